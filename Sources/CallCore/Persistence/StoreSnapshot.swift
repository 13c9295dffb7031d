/// The snapshot of an `IndexedCallStore`: each partition's calls in row order with its built index (orders,
/// string columns, transcript tables), plus the writes held on top of that index, so a restart loads the index
/// instead of rebuilding it. Loads the older calls-only payload too (then the index is built).
public enum StoreSnapshot {
    /// Streams the snapshot of `store` into `output`, with the changes feed published with it when given.
    public static func write(_ store: IndexedCallStore, changes: ChangeLog? = nil, to output: JournalSnapshotWriter) throws(JournalError) {
        var writer = try SnapshotSectionWriter(output: output)
        var starts: [UInt64] = []
        var positions: [String: SnapshotCallPositions] = [:]
        for organization in store.partitions.keys.sorted() {
            guard let version = store.partitions[organization] else { continue }
            starts.append(UInt64(writer.sectionCount))
            try writer.put(.organization, Array(organization.utf8))
            try version.base.write(to: &writer)
            let delta = deltaMutations(version, organization: organization)
            try writer.put(.delta, MutationRecord.encode(delta))
            positions[organization] = SnapshotCallPositions(base: version.base.calls, held: delta.heldCalls)
        }
        // Last, so the loader finds where every partition starts before assembling them in parallel.
        try writer.put(.store, [UInt64(starts.count)] + starts)
        // After the store's table, so a loader that finds none (an older snapshot) starts the feed from the calls.
        if let changes {
            try writer.put(.changes, changes.snapshotEpochBytes())
            for section in changes.snapshotOrganizationBytes(positions: positions) { try writer.put(.changes, section) }
        }
        try writer.finish()
    }

    /// Where a snapshot of `store` places each partition's calls (what its changes section names them by).
    static func callPositions(of store: IndexedCallStore) -> [String: SnapshotCallPositions] {
        store.partitions.mapValues { version in
            SnapshotCallPositions(base: version.base.calls, held: deltaMutations(version, organization: "").heldCalls)
        }
    }

    /// The writes that turn a freshly loaded base into `version`: deletions of base rows no live entry replaces,
    /// then every live entry.
    private static func deltaMutations(_ version: PartitionVersion, organization: String) -> [CallMutation] {
        let view = DeltaView(version.runs)
        var upserts: [CallMutation] = []
        var replaced = Set<String>()
        view.forEachLiveEntry { _, _, entry in
            guard let call = entry.pointee.call else { return }
            upserts.append(.upsert(call))
            replaced.insert(call.callID)
        }
        var mutations: [CallMutation] = []
        for row in view.killedBaseRows {
            let callID = version.base.calls.callID(Int(row))
            if !replaced.contains(callID) { mutations.append(.delete(organizationID: organization, callID: callID)) }
        }
        return mutations + upserts
    }

    /// Whether the snapshot at `location` is in this release's form: it holds the index and every call's
    /// `updated_timestamp` (false for a calls-only one, which a restart must index, and for an older version).
    public static func isCurrent(_ location: JournalSnapshotLocation) -> Bool {
        var current = SnapshotSectionWriter.magic
        SnapshotBytes.put(&current, SnapshotSectionWriter.version)
        return (try? location.bytes(payloadOffset: 0, count: min(current.count, location.payloadLength))) == current
    }

    /// The store in the snapshot at `location` (an empty store when there is none); calls stored by a release
    /// before `updated_timestamp` existed get `legacyUpdatedTimestamp`.
    public static func load(
        _ location: JournalSnapshotLocation?, legacyUpdatedTimestamp: Int64
    ) throws(StoreSnapshotError) -> IndexedCallStore {
        try loadWithChanges(location, legacyUpdatedTimestamp: legacyUpdatedTimestamp).store
    }

    /// The store and the changes feed in the snapshot at `location`; `changes` is nil when the snapshot holds none
    /// (written before the feed existed) or one that does not match its calls, and the caller starts a new history.
    /// `repairs` has a line for each damaged index section rebuilt from the calls (the snapshot should be rewritten).
    public static func loadWithChanges(
        _ location: JournalSnapshotLocation?, legacyUpdatedTimestamp: Int64
    ) throws(StoreSnapshotError) -> (store: IndexedCallStore, changes: ChangeLog?, repairs: [String]) {
        guard let location else {
            return (IndexedCallStore(partitions: [:], options: IndexedCallStore.Options()), ChangeLog(), [])
        }
        let magic: [UInt8]
        do {
            magic = try location.bytes(payloadOffset: 0, count: min(4, location.payloadLength))
        } catch {
            throw StoreSnapshotError("\(location.path): \(error)")
        }
        if magic == SnapshotSectionWriter.magic {
            return try StoreSnapshotLoader.load(location, legacyUpdatedTimestamp: legacyUpdatedTimestamp)
        }
        return (try loadCallsOnly(location, legacyUpdatedTimestamp: legacyUpdatedTimestamp), nil, [])
    }

    /// A payload of calls only (`CallBinaryCodec`, written before snapshots held the index): decode and build.
    private static func loadCallsOnly(
        _ location: JournalSnapshotLocation, legacyUpdatedTimestamp: Int64
    ) throws(StoreSnapshotError) -> IndexedCallStore {
        let payload: [UInt8]
        do {
            payload = try location.readPayload()
        } catch {
            throw StoreSnapshotError("\(error)")
        }
        let decoded = payload.withUnsafeBytes { raw -> Result<[Call], CallBinaryCodec.Corrupt> in
            do throws(CallBinaryCodec.Corrupt) {
                return .success(try CallBinaryCodec.decode(raw, legacyUpdatedTimestamp: legacyUpdatedTimestamp))
            } catch {
                return .failure(error)
            }
        }
        do {
            return try IndexedCallStore(calls: decoded.get())
        } catch let error as CallBinaryCodec.Corrupt {
            throw SnapshotSectionReader.corrupt(location, error.description)
        } catch {
            throw SnapshotSectionReader.corrupt(location, "\(error)")
        }
    }
}

extension [CallMutation] {
    /// The calls of the upserts, in order (a snapshot's held writes, which the changes feed names by position).
    var heldCalls: [Call] {
        compactMap { mutation in
            if case .upsert(let call) = mutation { return call }
            return nil
        }
    }
}
