/// The fast query engine: per-organization partitions with columns, filter sets (bitmaps and sorted lists),
/// precomputed sort orders and an inverted transcript index, so a list query costs about its answer, not the
/// store. Immutable: `applying` returns a new version that shares all unchanged structure with this one.
public final class IndexedCallStore: CallQueryEngine, Sendable {
    /// When the writes held on top of a partition's base trigger a rebuild of that base.
    public struct Options: Sendable {
        /// Never rebuild for fewer delta entries than this.
        public var minimumDelta: Int
        /// Rebuild once the delta exceeds the base's rows divided by this (so a rebuild, which costs the
        /// partition, comes once per that many written rows: amortized, a write costs about `divisor` rows).
        public var rebuildDivisor: Int

        /// Whether rebuilds run in the background (adopted by a later write) rather than inside the write
        /// that crossed the threshold.
        public var rebuildInBackground: Bool

        /// Creates options; the defaults keep the delta small enough that queries barely notice it.
        public init(minimumDelta: Int = 256, rebuildDivisor: Int = 512, rebuildInBackground: Bool = true) {
            self.minimumDelta = minimumDelta
            self.rebuildDivisor = rebuildDivisor
            self.rebuildInBackground = rebuildInBackground
        }

        /// The delta size above which a partition of `baseRows` rows is rebuilt.
        func rebuildThreshold(baseRows: Int) -> Int {
            max(minimumDelta, baseRows / max(1, rebuildDivisor))
        }
    }

    let partitions: [String: PartitionVersion]
    let options: Options

    /// The number of calls stored.
    public let count: Int

    /// Loads and indexes `calls`; a `call_id` twice within one organization, or an `id` twice anywhere, is the
    /// same 400 the reference engine gives.
    public convenience init(calls: [Call]) throws(APIError) {
        try self.init(calls: calls, options: Options())
    }

    /// Loads and indexes `calls` with explicit rebuild options.
    public init(calls: [Call], options: Options) throws(APIError) {
        if let duplicate = StoreValidation.firstDuplicate(calls) { throw duplicate }
        var members: [String: [UInt32]] = [:]
        calls.withUnsafeBufferPointer { calls in
            for index in calls.indices {
                members[calls[index].organizationID, default: []].append(UInt32(truncatingIfNeeded: index))
            }
        }
        // Largest first, so the cores finish together; each partition refers to `calls` instead of copying it.
        let groups = members.sorted { $0.value.count > $1.value.count }
        members = [:]
        let built = Parallel.map(groups.count) { index in
            PartitionVersion(base: BasePartitionBuilder.build(storage: calls, members: groups[index].value))
        }
        self.partitions = Dictionary(uniqueKeysWithValues: zip(groups.map(\.key), built))
        self.options = options
        count = calls.count
    }

    init(partitions: [String: PartitionVersion], options: Options) {
        self.partitions = partitions
        self.options = options
        count = partitions.values.reduce(0) { $0 + $1.liveCount }
    }

    /// The call with `callID` in `organizationID`, or nil (another organization's call is the same as none).
    public func call(organizationID: String, callID: String) -> Call? {
        partitions[organizationID]?.call(callID: callID)
    }

    /// How many calls `organizationID` has stored (a quota's count; kept per partition, so no scan).
    public func count(organizationID: String) -> Int {
        partitions[organizationID]?.liveCount ?? 0
    }

    /// The page of `organizationID`'s calls that `query` selects (with `after`, the calls after that position),
    /// and how many match in all.
    public func list(_ query: ListQuery, after: OrderKey?, organizationID: String) -> CallPage {
        guard let partition = partitions[organizationID] else { return CallPage(calls: [], totalCount: 0) }
        partition.rebuild?.queried(partition)
        return PartitionQuery.list(query, after: after, on: partition)
    }

    /// A new version with `batch` applied in order; this version is unchanged. Costs about the batch (plus, once
    /// per many writes, the rebuild of a partition whose delta grew past the threshold).
    public func applying(_ batch: [CallMutation]) -> IndexedCallStore {
        var byOrganization: [String: [CallMutation]] = [:]
        for mutation in batch {
            switch mutation {
            case .upsert(let call): byOrganization[call.organizationID, default: []].append(mutation)
            case .delete(let organization, _, _): byOrganization[organization, default: []].append(mutation)
            }
        }
        var partitions = self.partitions
        // Rebuilds finished in the background are adopted by whichever write comes next, touched or not.
        for (organization, partition) in partitions where partition.rebuild?.ready != nil {
            partitions[organization] = partition.adoptingRebuild()
        }
        for (organization, mutations) in byOrganization {
            let current = partitions[organization] ?? PartitionVersion(base: BasePartition.empty)
            let next = current.applying(mutations, options: options)
            partitions[organization] = next.liveCount == 0 && next.runs.isEmpty && next.base.rowCount == 0 ? nil : next
        }
        return IndexedCallStore(partitions: partitions, options: options)
    }

    /// Every call, organization by organization (for snapshots and tests).
    public var allCalls: [Call] {
        partitions.keys.sorted().flatMap { partitions[$0]?.liveCalls ?? [] }
    }
}

extension IndexedCallStore {
    /// Approximate heap bytes of each kind of index structure, summed over partitions (calls themselves excluded).
    public var indexByteCounts: [(name: String, bytes: Int)] {
        var totals: [String: Int] = [:]
        for partition in partitions.values {
            for (name, bytes) in partition.base.byteCounts { totals[name, default: 0] += bytes }
        }
        return totals.sorted { $0.value > $1.value }.map { (name: $0.key, bytes: $0.value) }
    }
}
