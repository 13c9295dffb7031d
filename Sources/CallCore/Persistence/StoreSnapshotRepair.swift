/// Loads a snapshot some of whose index sections failed their checksums: everything in them is derived from the
/// calls, so each partition is built again from its call blocks and the writes held on top of it, and the changes
/// feed is kept when its own sections are intact. Damage to the calls, an organization's name or its held writes
/// cannot be repaired this way and is refused by the loader.
enum StoreSnapshotRepair {
    /// Tags of the sections a load can rebuild when they are damaged.
    static let rebuildable: Set<UInt32> = Set(
        [
            SnapshotTag.partition, .order, .codes, .valueBytes, .valueEnds, .postingCounts, .postingOffsets, .postingRows,
            .postingBitmapIndex, .postingBitmaps, .pairKeys, .pairValues, .store, .changes,
        ].map(\.rawValue))

    /// One organization's parts, as the section list lays them out.
    private struct PartitionParts {
        var organization: String
        var members: [UInt32] = []
        var delta: [UInt8]?
    }

    /// The store and changes feed of a snapshot whose `damaged` sections (all rebuildable) failed, with a line for
    /// the log saying what was rebuilt.
    static func rebuild(
        _ reader: SnapshotSectionReader, storage: [Call], data: [SnapshotSectionData], firstCall: [Int], damaged: [Int],
        legacyUpdatedTimestamp: Int64
    ) throws(StoreSnapshotError) -> (store: IndexedCallStore, changes: ChangeLog?, repairs: [String]) {
        let sections = reader.sections
        var parts: [PartitionParts] = []
        var changeSections: [Int] = []
        var pastStore = false
        for (index, section) in sections.enumerated() {
            switch (section.tag, data[index]) {
            case (SnapshotTag.organization.rawValue, .bytes(let name)) where !pastStore:
                parts.append(PartitionParts(organization: String(decoding: name, as: UTF8.self)))
            case (SnapshotTag.calls.rawValue, _) where !pastStore && !parts.isEmpty:
                let first = firstCall[index]
                parts[parts.count - 1].members += (first..<(first + section.chunk)).map { UInt32(truncatingIfNeeded: $0) }
            case (SnapshotTag.delta.rawValue, .bytes(let bytes)) where !pastStore && !parts.isEmpty:
                parts[parts.count - 1].delta = bytes
            case (SnapshotTag.store.rawValue, _):
                pastStore = true
            case (SnapshotTag.changes.rawValue, _) where pastStore:
                changeSections.append(index)
            case (SnapshotTag.organization.rawValue, _), (SnapshotTag.calls.rawValue, _), (SnapshotTag.delta.rawValue, _),
                (SnapshotTag.changes.rawValue, _):
                throw SnapshotSectionReader.corrupt(reader.location, "section \(index) is out of place")
            default:
                continue
            }
        }
        // The layout itself must be whole: only the contents of derived sections may be rebuilt.
        guard pastStore else { throw SnapshotSectionReader.corrupt(reader.location, "no store table among the sections") }
        let allParts = parts
        let built = Parallel.map(allParts.count) { index -> Result<(PartitionVersion, SnapshotCallPositions), StoreSnapshotError> in
            partition(allParts[index], storage: storage, location: reader.location, legacyUpdatedTimestamp: legacyUpdatedTimestamp)
        }
        var partitions: [String: PartitionVersion] = [:]
        var positions: [String: SnapshotCallPositions] = [:]
        for (part, result) in zip(parts, built) {
            let (version, partitionPositions) = try result.get()
            guard partitions.updateValue(version, forKey: part.organization) == nil else {
                throw SnapshotSectionReader.corrupt(reader.location, "organization \(part.organization) appears twice")
            }
            positions[part.organization] = partitionPositions
        }
        let store = IndexedCallStore(partitions: partitions, options: IndexedCallStore.Options())
        var repairs = damaged.map { index in
            let section = sections[index]
            let tag = SnapshotTag(rawValue: section.tag).map { "\($0)" } ?? "\(section.tag)"
            return "\(reader.location.path): section \(index) (\(tag), payload offset \(section.offset)) is damaged"
        }
        repairs.append("rebuilt the index of \(parts.count) organization(s) from the snapshot's calls")
        var changes: ChangeLog?
        let changesDamaged = changeSections.contains { if case .damaged = data[$0] { true } else { false } }
        if !changeSections.isEmpty, !changesDamaged {
            let bytes = changeSections.compactMap { index -> [UInt8]? in
                if case .bytes(let value) = data[index] { return value }
                return nil
            }
            changes = ChangeLog.fromSnapshot(
                epochs: bytes[0], organizations: Array(bytes.dropFirst()), store: store, positions: positions)
        }
        if changes == nil {
            repairs.append("the changes feed starts a new history: tokens issued before get 410 cursor_expired")
        }
        return (store, changes, repairs)
    }

    /// One organization's partition built from its calls, with its held writes applied again.
    private static func partition(
        _ parts: PartitionParts, storage: [Call], location: JournalSnapshotLocation, legacyUpdatedTimestamp: Int64
    ) -> Result<(PartitionVersion, SnapshotCallPositions), StoreSnapshotError> {
        guard let delta = parts.delta else {
            return .failure(SnapshotSectionReader.corrupt(location, "organization \(parts.organization) has no held writes"))
        }
        let base = BasePartitionBuilder.build(storage: storage, members: parts.members)
        return Result { () throws(StoreSnapshotError) in
            try StoreSnapshotLoader.holding(
                delta, on: base, organization: parts.organization, legacyUpdatedTimestamp: legacyUpdatedTimestamp
            ) { SnapshotSectionReader.corrupt(location, "held writes of \(parts.organization): \($0)") }
        }
    }
}
