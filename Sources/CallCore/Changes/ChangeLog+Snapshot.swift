/// The changes feed in a snapshot, in sections after the store's table: one with the epochs, then one per
/// organization with its counters, epoch starts and live entries in sequence order. An upsert is stored as the
/// position of its call in the store's sections (`SnapshotCallPositions`: found again without a lookup); a deletion
/// as its `call_id`, `id` and time. Integers little-endian. Organizations are read back in parallel.
extension ChangeLog {
    /// The epochs section.
    func snapshotEpochBytes() -> [UInt8] {
        var out: [UInt8] = []
        SnapshotBytes.put(&out, UInt64(epochs.count))
        for epoch in epochs { SnapshotBytes.put(&out, epoch) }
        return out
    }

    /// One section per organization, in `call_id`-independent sorted order, its calls named by their `positions`.
    func snapshotOrganizationBytes(positions: [String: SnapshotCallPositions]) -> [[UInt8]] {
        organizations.keys.sorted().compactMap { organization in
            organizations[organization].map { Self.bytes(of: $0, organization: organization, positions: positions[organization]) }
        }
    }

    private static func bytes(of changes: OrganizationChanges, organization: String, positions: SnapshotCallPositions?) -> [UInt8] {
        var out: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) { SnapshotBytes.put(&out, value) }
        func put(_ text: String) {
            put(UInt32(truncatingIfNeeded: text.utf8.count))
            out += text.utf8
        }
        let byIdentity = positions?.byIdentity() ?? [:]
        put(organization)
        put(changes.lastSequence)
        put(changes.expiredThrough)
        put(UInt64(changes.epochStarts.count))
        for start in changes.epochStarts {
            put(UInt64(start.epoch))
            put(start.firstSequence)
        }
        let live = changes.count - changes.supersededCount
        out.reserveCapacity(out.count + live * 13 + changes.tombstones * 64)
        put(UInt64(live))
        for index in 0..<changes.count where changes.isLive(index) {
            let entry = changes.entry(at: index)
            put(entry.sequence)
            if entry.isDeletion {
                put(UInt8(1))
                put(entry.call.callID)
                put(entry.call.id)
                put(entry.deletedAt)
            } else {
                put(UInt8(0))
                // A live upsert's call is stored, so it has a position (UInt32.max would fail the load: a new history).
                put(byIdentity[ObjectIdentifier(entry.call.box)] ?? UInt32.max)
            }
        }
        return out
    }

    /// The log the snapshot's sections hold (`epochs`, then one per organization), its upserts resolved through
    /// `positions`; nil when they do not make one that covers exactly `store`'s calls (the caller then starts a new
    /// history from the store).
    static func fromSnapshot(
        epochs epochBytes: [UInt8], organizations sections: [[UInt8]], store: IndexedCallStore,
        positions: [String: SnapshotCallPositions]
    ) -> ChangeLog? {
        let epochs: [UInt64]? = epochBytes.withUnsafeBytes { raw in
            var reader = ChangeSectionReader(raw)
            guard let count = reader.count(each: 8) else { return nil }
            var epochs: [UInt64] = []
            for _ in 0..<count {
                guard let epoch = reader.word() else { return nil }
                epochs.append(epoch)
            }
            return reader.isAtEnd ? epochs : nil
        }
        guard let epochs else { return nil }
        let decoded = Parallel.map(sections.count) { index in
            sections[index].withUnsafeBytes { raw in
                organization(from: raw, epochCount: epochs.count, store: store, positions: positions)
            }
        }
        var organizations: [String: OrganizationChanges] = [:]
        for result in decoded {
            guard let (organization, changes) = result, organizations.updateValue(changes, forKey: organization) == nil else { return nil }
        }
        guard store.partitions.keys.allSatisfy({ organizations[$0] != nil }) else { return nil }
        return ChangeLog(organizations: organizations, epochs: epochs)
    }

    /// One organization's feed from its section.
    private static func organization(
        from raw: UnsafeRawBufferPointer, epochCount: Int, store: IndexedCallStore, positions: [String: SnapshotCallPositions]
    ) -> (String, OrganizationChanges)? {
        var reader = ChangeSectionReader(raw)
        guard let organization = reader.text(), let last = reader.word(), let expired = reader.word(),
            let startCount = reader.count(each: 16)
        else { return nil }
        var starts: [OrganizationChanges.EpochStart] = []
        for _ in 0..<startCount {
            guard let epoch = reader.word(), epoch < UInt64(epochCount), let first = reader.word() else { return nil }
            starts.append(OrganizationChanges.EpochStart(epoch: Int(epoch), firstSequence: first))
        }
        guard let entryCount = reader.count(each: 13) else { return nil }
        let located = positions[organization]
        var changes = OrganizationChanges(lastSequence: last, expiredThrough: expired, epochStarts: starts)
        // Each position at most once, so as many upserts as live calls means every live call exactly once.
        var used = [UInt64](repeating: 0, count: ((located?.count ?? 0) + 63) / 64)
        var upserts = 0
        var previous: UInt64 = 0
        for _ in 0..<entryCount {
            guard let sequence = reader.word(), sequence > previous, sequence <= last, let kind = reader.byte() else { return nil }
            previous = sequence
            switch kind {
            case 0:
                guard let position = reader.word32(), let call = located?[position] else { return nil }
                let (word, bit) = (Int(position) / 64, UInt64(1) << UInt64(position % 64))
                guard used[word] & bit == 0 else { return nil }
                used[word] |= bit
                changes.restore(ChangeEntry(sequence: sequence, call: call, deletedAt: ChangeEntry.notDeleted))
                upserts += 1
            case 1:
                guard let callID = reader.text(), let id = reader.text(), let time = reader.word() else { return nil }
                let deletedAt = Int64(bitPattern: time)
                guard deletedAt != ChangeEntry.notDeleted else { return nil }
                changes.restore(ChangeEntry(
                    sequence: sequence, call: .deleted(id: id, callID: callID, organizationID: organization), deletedAt: deletedAt))
            default:
                return nil
            }
        }
        guard reader.isAtEnd, upserts == (store.partitions[organization]?.liveCount ?? 0) else { return nil }
        return (organization, changes)
    }
}

extension Call {
    /// What a deletion keeps of a call: its `id`, `call_id` and organization (nothing else is ever read from it).
    static func deleted(id: String, callID: String, organizationID: String) -> Call {
        Call(id: id, callID: callID, agentID: "", organizationID: organizationID, status: .ended, type: .phoneCall,
             direction: .inbound, startTimestamp: 0)
    }
}

extension ChangeLog {
    /// Reads a section front to back from its bytes in place; every read is nil past the end.
    private struct ChangeSectionReader {
        let raw: UnsafeRawBufferPointer
        var index = 0

        init(_ raw: UnsafeRawBufferPointer) {
            self.raw = raw
        }

        var isAtEnd: Bool { index == raw.count }

        mutating func byte() -> UInt8? {
            guard index < raw.count else { return nil }
            defer { index += 1 }
            return raw[index]
        }

        mutating func word() -> UInt64? {
            guard raw.count - index >= 8 else { return nil }
            defer { index += 8 }
            return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        }

        mutating func word32() -> UInt32? {
            guard raw.count - index >= 4 else { return nil }
            defer { index += 4 }
            return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt32.self))
        }

        /// A count of items of at least `each` bytes, no more than the bytes left could hold.
        mutating func count(each: Int) -> Int? {
            guard let value = word(), value <= UInt64((raw.count - index) / each) else { return nil }
            return Int(value)
        }

        mutating func text() -> String? {
            guard let length = word32().map({ Int($0) }), length <= raw.count - index else { return nil }
            defer { index += length }
            return String(validating: UnsafeRawBufferPointer(rebasing: raw[index..<(index + length)]), as: UTF8.self)
        }
    }
}
