/// One group commit's bytes as the writer sends them: the group and record headers, with small payloads copied in
/// beside them, and large payloads left in their own storage and written from there. A large import is thus never
/// copied into a second buffer of its own size; the many small records of a busy group still go out as one write.
struct JournalGroupBytes {
    /// Payloads at least this long are written from their own storage instead of being copied.
    static let copyLimit = 64 << 10

    /// The headers and copied payloads, in file order, with the referenced payloads left out.
    private var framing: [UInt8] = []
    /// The referenced payloads, each with the offset in `framing` that it goes after.
    private var referenced: [(offset: Int, payload: [UInt8])] = []
    /// Records in the group.
    private(set) var recordCount = 0
    /// Bytes of the whole group.
    private(set) var byteCount = 0

    /// Frames `records` (at least one) as one group numbered from `firstSequence`, replacing what was held.
    mutating func frame(_ records: some Sequence<[UInt8]>, firstSequence: UInt64, salt: JournalSalt) {
        framing.removeAll(keepingCapacity: true)
        var references: [(offset: Int, payload: [UInt8])] = []
        var referencedBytes = 0
        recordCount = JournalGroupFrame.appendGroup(records, firstSequence: firstSequence, salt: salt, to: &framing) {
            framing, payload in
            if payload.count >= Self.copyLimit {
                references.append((framing.count, payload))
                referencedBytes += payload.count
            } else {
                framing.append(contentsOf: payload)
            }
        }
        referenced = references
        byteCount = framing.count + referencedBytes
    }

    /// Lets go of the referenced payloads, and of a buffer grown large, once the group is written.
    mutating func release() {
        referenced = []
        if framing.capacity > 16 << 20 { framing = [] }
    }

    /// Calls `body` with each contiguous piece of the group in file order, while it returns true.
    func forEachPiece(_ body: (UnsafeRawBufferPointer) -> Bool) {
        assert(
            zip([0] + referenced.map(\.offset), referenced.map(\.offset) + [framing.count]).allSatisfy { $0 <= $1 },
            "referenced payloads go at ascending offsets within the framing")
        framing.withUnsafeBytes { framed in
            var start = 0
            for (offset, payload) in referenced {
                guard body(UnsafeRawBufferPointer(rebasing: framed[start..<offset])) else { return }
                guard payload.withUnsafeBytes({ body($0) }) else { return }
                start = offset
            }
            _ = body(UnsafeRawBufferPointer(rebasing: framed[start...]))
        }
    }
}
