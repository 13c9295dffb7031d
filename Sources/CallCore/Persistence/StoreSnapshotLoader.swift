/// Loads an indexed snapshot: every section is read (and checked) straight into its array on all cores, call
/// blocks decoded in place into one shared call array; then each partition is put together from its sections, in
/// parallel, and the writes held on top of its index are applied again. A version 1 snapshot (before
/// `updated_timestamp`) loads too: its calls get `legacyUpdatedTimestamp` and that field's order is built.
enum StoreSnapshotLoader {
    static func load(
        _ location: JournalSnapshotLocation, legacyUpdatedTimestamp: Int64
    ) throws(StoreSnapshotError) -> (store: IndexedCallStore, changes: ChangeLog?, repairs: [String]) {
        #if _endian(big)
        // Sections hold the writer's native (little-endian) integers.
        throw SnapshotSectionReader.corrupt(location, "indexed snapshots are little-endian; this host is not")
        #else
        let reader = try SnapshotSectionReader(location: location)
        let sections = reader.sections
        // Where each call block's calls go in the shared array.
        var firstCall = [Int](repeating: 0, count: sections.count)
        var total = 0
        for (index, section) in sections.enumerated() where section.tag == SnapshotTag.calls.rawValue {
            guard section.chunk <= section.length / CallBinaryCodec.minimumCallBytes else { throw SnapshotSectionReader.corrupt(location, "call block \(index) is too small") }
            firstCall[index] = total
            total += section.chunk
        }
        let blockStarts = firstCall
        let holdsUpdated = reader.version >= 2
        let layout: CallBinaryCodec.Layout = holdsUpdated ? .current : .withoutUpdated(legacyUpdatedTimestamp)
        let (storage, data) = try readSections(reader, layout: layout, firstCall: blockStarts, callCount: total)
        let damaged = data.indices.filter { if case .damaged = data[$0] { true } else { false } }
        if !damaged.isEmpty {
            return try StoreSnapshotRepair.rebuild(
                reader, storage: storage, data: data, firstCall: blockStarts, damaged: damaged,
                legacyUpdatedTimestamp: legacyUpdatedTimestamp)
        }
        // The changes feed, when there is one, is the last sections, right after the store's table.
        let tableIndex = sections.lastIndex { $0.tag == SnapshotTag.store.rawValue } ?? max(0, sections.count - 1)
        let holdsChanges = tableIndex < sections.count - 1
        var cursor = SnapshotCursor(sections: sections, data: data, location: location, index: tableIndex)
        let table = try cursor.words64(.store)
        guard let count = table.first, count == UInt64(table.count - 1) else { throw cursor.corrupt("bad partition table") }
        let starts = table.dropFirst().map { Int(truncatingIfNeeded: $0) } + [tableIndex]
        for index in 0..<(starts.count - 1) where !(0 <= starts[index] && starts[index] < starts[index + 1]) {
            throw cursor.corrupt("bad partition table")
        }
        let assembled = Parallel.map(starts.count - 1) { index -> Result<(String, PartitionVersion, SnapshotCallPositions), StoreSnapshotError> in
            do throws(StoreSnapshotError) {
                var cursor = SnapshotCursor(sections: sections, data: data, location: location, index: starts[index])
                let partition = try assemble(
                    &cursor, storage: storage, firstCall: blockStarts, holdsUpdated: holdsUpdated,
                    legacyUpdatedTimestamp: legacyUpdatedTimestamp)
                guard cursor.index == starts[index + 1] else { throw cursor.corrupt("partition has extra sections") }
                return .success(partition)
            } catch {
                return .failure(error)
            }
        }
        var partitions: [String: PartitionVersion] = [:]
        var positions: [String: SnapshotCallPositions] = [:]
        for result in assembled {
            let (organization, version, partitionPositions) = try result.get()
            positions[organization] = partitionPositions
            guard partitions.updateValue(version, forKey: organization) == nil else {
                throw SnapshotSectionReader.corrupt(location, "organization \(organization) appears twice")
            }
        }
        let store = IndexedCallStore(partitions: partitions, options: IndexedCallStore.Options())
        guard holdsChanges else { return (store, nil, []) }
        let epochs = try cursor.bytes(.changes)
        var organizations: [[UInt8]] = []
        while cursor.index < sections.count { organizations.append(try cursor.bytes(.changes)) }
        let changes = ChangeLog.fromSnapshot(epochs: epochs, organizations: organizations, store: store, positions: positions)
        return (store, changes, [])
        #endif
    }

    /// One partition: its organization, its base, then the writes held on top of it.
    private static func assemble(
        _ cursor: inout SnapshotCursor, storage: [Call], firstCall: [Int], holdsUpdated: Bool, legacyUpdatedTimestamp: Int64
    ) throws(StoreSnapshotError) -> (String, PartitionVersion, SnapshotCallPositions) {
        let organization = String(decoding: try cursor.bytes(.organization), as: UTF8.self)
        // The partition's first call block follows its sizes section; an empty partition has none.
        let blocks = cursor.index + 1
        let first = blocks < firstCall.count ? firstCall[blocks] : 0
        let base = try BasePartition.load(&cursor, storage: storage, firstCall: first, holdsUpdatedOrder: holdsUpdated)
        let delta = try cursor.bytes(.delta)
        let (version, positions) = try holding(
            delta, on: base, organization: organization, legacyUpdatedTimestamp: legacyUpdatedTimestamp,
            corrupt: cursor.corrupt)
        return (organization, version, positions)
    }

    /// A partition's version: `base` with the writes held on top of it (`delta`, which must all be
    /// `organization`'s) applied again, and where each of its calls lies in the snapshot.
    static func holding(
        _ delta: [UInt8], on base: BasePartition, organization: String, legacyUpdatedTimestamp: Int64,
        corrupt: (String) -> StoreSnapshotError
    ) throws(StoreSnapshotError) -> (PartitionVersion, SnapshotCallPositions) {
        let mutations: [CallMutation]
        do {
            mutations = try MutationRecord.decode(delta, legacyUpdatedTimestamp: legacyUpdatedTimestamp)
        } catch {
            throw corrupt("\(error)")
        }
        for mutation in mutations {
            switch mutation {
            case .upsert(let call) where call.organizationID == organization: continue
            case .delete(let owner, _, _) where owner == organization: continue
            default: throw corrupt("a held write of organization \(organization) belongs to another")
            }
        }
        let version = PartitionVersion(base: base)
        let positions = SnapshotCallPositions(base: base.calls, held: mutations.heldCalls)
        return (mutations.isEmpty ? version : version.applying(mutations, options: IndexedCallStore.Options()), positions)
    }

    /// Every section read and checked, on all cores: call blocks decoded into one array of `callCount` calls
    /// (block `i` at `firstCall[i]`), the other sections kept as arrays.
    private static func readSections(
        _ reader: SnapshotSectionReader, layout: CallBinaryCodec.Layout, firstCall: [Int], callCount: Int
    ) throws(StoreSnapshotError) -> ([Call], [SnapshotSectionData]) {
        var failure: StoreSnapshotError?
        var data: [SnapshotSectionData] = []
        // Each call block is decoded into `buffer[firstCall[i]...]` by unchecked pointer.
        assert(
            zip(reader.sections, firstCall).allSatisfy { section, first in
                section.tag != SnapshotTag.calls.rawValue || first >= 0 && first + section.chunk <= callCount
            }, "every call block's slots lie within the call array")
        let storage = [Call](unsafeUninitializedCapacity: callCount) { buffer, initialized in
            assert(buffer.count == callCount, "room for exactly the snapshot's calls")
            let destination = CallDestination(base: buffer.baseAddress)
            let results = Parallel.map(reader.sections.count) { index -> Result<SnapshotSectionData, StoreSnapshotError> in
                do throws(StoreSnapshotError) {
                    return .success(try readSection(reader, index, layout: layout, into: destination, at: firstCall[index]))
                } catch {
                    // Sections derived from the calls can be rebuilt; damage to the calls themselves cannot.
                    let tag = reader.sections[index].tag
                    return StoreSnapshotRepair.rebuildable.contains(tag) ? .success(.damaged(error)) : .failure(error)
                }
            }
            for result in results {
                switch result {
                case .success(let section): data.append(section)
                case .failure(let error): failure = failure ?? error
                }
            }
            guard failure != nil else {
                initialized = callCount
                return
            }
            // Release the calls of the blocks that did decode: the array is given up.
            for (index, result) in results.enumerated() {
                if case .success(.calls) = result, let base = buffer.baseAddress {
                    (base + firstCall[index]).deinitialize(count: reader.sections[index].chunk)
                }
            }
        }
        if let failure { throw failure }
        return (storage, data)
    }

    private static func readSection(
        _ reader: SnapshotSectionReader, _ index: Int, layout: CallBinaryCodec.Layout, into destination: CallDestination, at firstCall: Int
    ) throws(StoreSnapshotError) -> SnapshotSectionData {
        let section = reader.sections[index]
        switch (section.tag, section.width) {
        case (SnapshotTag.calls.rawValue, 1):
            let bytes = try reader.array(index, as: UInt8.self)
            guard let base = destination.base else {
                throw SnapshotSectionReader.corrupt(reader.location, "call block \(index) without calls")
            }
            let decoded = bytes.withUnsafeBytes { raw in
                Result { () throws(CallBinaryCodec.Corrupt) in
                    try CallBinaryCodec.decodeBlock(raw, count: section.chunk, layout: layout, into: base + firstCall)
                }
            }
            if case .failure(let error) = decoded {
                throw SnapshotSectionReader.corrupt(reader.location, "call block \(index): \(error.description)")
            }
            return .calls
        case (SnapshotTag.postingBitmaps.rawValue, _): return .pieces(try reader.pieces(index))
        case (_, 1): return .bytes(try reader.array(index, as: UInt8.self))
        case (_, 4): return .words32(try reader.array(index, as: UInt32.self))
        default: return .words64(try reader.array(index, as: UInt64.self))
        }
    }
}

extension StoreSnapshotLoader {
    /// The uninitialized call array that decoding workers fill, each its own blocks' slots; the array takes
    /// ownership only after every worker has finished.
    private struct CallDestination: @unchecked Sendable {
        let base: UnsafeMutablePointer<Call>?
    }
}
