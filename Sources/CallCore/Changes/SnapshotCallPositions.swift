/// Where each call of one partition lies in a snapshot, so the changes feed can name a call by a number instead of
/// its `call_id`, and a restart finds it without a lookup: its base row, or (past the base's rows) its place among
/// the upserts the snapshot holds on top of the base.
struct SnapshotCallPositions: Sendable {
    /// The partition's base rows.
    let base: CallTable
    /// The upserts held on top of the base, in the order the snapshot writes them.
    let held: [Call]

    /// How many positions there are.
    var count: Int { base.count + held.count }

    /// The call at `position`, nil when there is none.
    subscript(position: UInt32) -> Call? {
        let index = Int(position)
        if index < base.count { return base[index] }
        let heldIndex = index - base.count
        return heldIndex < held.count ? held[heldIndex] : nil
    }

    /// Each call's position, by the identity of its stored version (for the writer).
    func byIdentity() -> [ObjectIdentifier: UInt32] {
        var positions: [ObjectIdentifier: UInt32] = [:]
        positions.reserveCapacity(base.count + held.count)
        for row in 0..<base.count { positions[ObjectIdentifier(base[row].box)] = UInt32(truncatingIfNeeded: row) }
        for (index, call) in held.enumerated() {
            positions[ObjectIdentifier(call.box)] = UInt32(truncatingIfNeeded: base.count + index)
        }
        return positions
    }
}
