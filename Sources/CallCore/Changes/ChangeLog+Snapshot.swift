/// The changes feed in a snapshot, one section after the store's: the epochs, then per organization its counters,
/// epoch starts and live entries in sequence order. An upsert is stored as its `call_id` (the call itself is in the
/// store's sections); a deletion as its `call_id`, `id` and time. Integers little-endian.
extension ChangeLog {
    /// The section's bytes for this log (live entries only).
    func snapshotBytes() -> [UInt8] {
        var out: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) { SnapshotBytes.put(&out, value) }
        func put(_ text: String) {
            put(UInt32(truncatingIfNeeded: text.utf8.count))
            out += text.utf8
        }
        put(UInt64(epochs.count))
        for epoch in epochs { put(epoch) }
        put(UInt64(organizations.count))
        for organization in organizations.keys.sorted() {
            guard let changes = organizations[organization] else { continue }
            put(organization)
            put(changes.lastSequence)
            put(changes.expiredThrough)
            put(UInt64(changes.epochStarts.count))
            for start in changes.epochStarts {
                put(UInt64(start.epoch))
                put(start.firstSequence)
            }
            let live = changes.count - changes.supersededCount
            out.reserveCapacity(out.count + live * 56)
            put(UInt64(live))
            for index in 0..<changes.count where changes.isLive(index) {
                let entry = changes.entry(at: index)
                put(entry.sequence)
                put(entry.call.callID)
                if entry.isDeletion {
                    put(UInt8(1))
                    put(entry.call.id)
                    put(entry.deletedAt)
                } else {
                    put(UInt8(0))
                }
            }
        }
        return out
    }

    /// The log a snapshot section holds, its upserts resolved to `store`'s calls; nil when the bytes do not make
    /// one that covers exactly the store's calls (the caller then starts a new history from the store).
    static func fromSnapshot(_ bytes: [UInt8], store: IndexedCallStore) -> ChangeLog? {
        var reader = SectionReader(bytes: bytes)
        guard let epochCount = reader.count(each: 8) else { return nil }
        var epochs: [UInt64] = []
        for _ in 0..<epochCount {
            guard let epoch = reader.word() else { return nil }
            epochs.append(epoch)
        }
        guard let organizationCount = reader.count(each: 1) else { return nil }
        var organizations: [String: OrganizationChanges] = [:]
        for _ in 0..<organizationCount {
            guard let organization = reader.text(), let last = reader.word(), let expired = reader.word(),
                let startCount = reader.count(each: 16)
            else { return nil }
            var starts: [OrganizationChanges.EpochStart] = []
            for _ in 0..<startCount {
                guard let epoch = reader.word(), epoch < UInt64(epochs.count), let first = reader.word() else { return nil }
                starts.append(OrganizationChanges.EpochStart(epoch: Int(epoch), firstSequence: first))
            }
            guard let entryCount = reader.count(each: 13) else { return nil }
            let partition = store.partitions[organization]
            var changes = OrganizationChanges(lastSequence: last, expiredThrough: expired, epochStarts: starts)
            var upserts = 0
            var previous: UInt64 = 0
            for _ in 0..<entryCount {
                guard let sequence = reader.word(), sequence > previous, sequence <= last, let callID = reader.text(),
                    let kind = reader.byte()
                else { return nil }
                previous = sequence
                switch kind {
                case 0:
                    guard let call = partition?.call(callID: callID) else { return nil }
                    changes.restore(ChangeEntry(sequence: sequence, call: call, deletedAt: ChangeEntry.notDeleted))
                    upserts += 1
                case 1:
                    guard let id = reader.text(), let time = reader.word() else { return nil }
                    let deletedAt = Int64(bitPattern: time)
                    guard deletedAt != ChangeEntry.notDeleted else { return nil }
                    changes.restore(ChangeEntry(
                        sequence: sequence, call: .deleted(id: id, callID: callID, organizationID: organization), deletedAt: deletedAt))
                default:
                    return nil
                }
            }
            // Each live call once: as many upserts as calls, none missing (so none twice).
            guard upserts == (partition?.liveCount ?? 0) else { return nil }
            organizations[organization] = changes
        }
        guard reader.isAtEnd, store.partitions.keys.allSatisfy({ organizations[$0] != nil }) else { return nil }
        return ChangeLog(organizations: organizations, epochs: epochs)
    }
}

extension Call {
    /// What a deletion keeps of a call: its `id`, `call_id` and organization (nothing else is ever read from it).
    static func deleted(id: String, callID: String, organizationID: String) -> Call {
        Call(id: id, callID: callID, agentID: "", organizationID: organizationID, status: .ended, type: .phoneCall,
             direction: .inbound, startTimestamp: 0)
    }
}

/// Reads the section front to back; every read is nil past the end.
private struct SectionReader {
    let bytes: [UInt8]
    var index = 0

    var isAtEnd: Bool { index == bytes.count }

    mutating func byte() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func word() -> UInt64? {
        guard bytes.count - index >= 8 else { return nil }
        var value: UInt64 = 0
        for offset in (0..<8).reversed() { value = value << 8 | UInt64(bytes[index + offset]) }
        index += 8
        return value
    }

    /// A count of items of at least `each` bytes, no more than the bytes left could hold.
    mutating func count(each: Int) -> Int? {
        guard let value = word(), value <= UInt64((bytes.count - index) / each) else { return nil }
        return Int(value)
    }

    mutating func text() -> String? {
        guard bytes.count - index >= 4 else { return nil }
        var length = 0
        for offset in (0..<4).reversed() { length = length << 8 | Int(bytes[index + offset]) }
        index += 4
        guard length <= bytes.count - index else { return nil }
        defer { index += length }
        return String(validating: bytes[index..<(index + length)], as: UTF8.self)
    }
}
