/// The reference engine: calls partitioned by organization, transcripts tokenized once at load, and every query
/// answered by filtering and sorting the organization's calls. Simple enough to be obviously right; faster engines
/// are tested against it.
public final class InMemoryCallStore: CallQueryEngine, Sendable {
    /// One organization's calls with their tokenized transcripts (same positions).
    private struct Partition: Sendable {
        var calls: [Call] = []
        var transcriptWords: [[UInt32]] = []
        var positionByCallID: [String: Int] = [:]
    }

    private let partitions: [String: Partition]
    private let vocabulary: TranscriptWords

    /// The number of calls stored.
    public let count: Int

    /// Loads `calls`; a `call_id` twice within one organization, or an `id` twice anywhere, is a 400 naming it.
    public convenience init(calls: [Call]) throws(APIError) {
        if let duplicate = StoreValidation.firstDuplicate(calls) { throw duplicate }
        self.init(trusted: calls)
    }

    /// A new store with `batch` applied in order; this store is unchanged (readers holding it keep a
    /// consistent view). The reference engine simply rebuilds: it is the oracle, not the fast path.
    public func applying(_ batch: [CallMutation]) -> InMemoryCallStore {
        var order: [String] = []
        var byOrganization: [String: [Call]] = [:]
        var positions: [String: [String: Int]] = [:]
        for (organization, partition) in partitions {
            order.append(organization)
            byOrganization[organization] = partition.calls
            positions[organization] = partition.positionByCallID
        }
        var removed: [String: Set<Int>] = [:]
        for mutation in batch {
            switch mutation {
            case .upsert(let call):
                let organization = call.organizationID
                if byOrganization[organization] == nil { order.append(organization) }
                if let position = positions[organization]?[call.callID], removed[organization]?.contains(position) != true {
                    byOrganization[organization]?[position] = call
                } else {
                    positions[organization, default: [:]][call.callID] = byOrganization[organization, default: []].count
                    byOrganization[organization, default: []].append(call)
                }
            case .delete(let organization, let callID, _):
                if let position = positions[organization]?.removeValue(forKey: callID) {
                    removed[organization, default: []].insert(position)
                }
            }
        }
        var calls: [Call] = []
        for organization in order.sorted() {
            let gone = removed[organization] ?? []
            for (position, call) in (byOrganization[organization] ?? []).enumerated() where !gone.contains(position) {
                calls.append(call)
            }
        }
        return InMemoryCallStore(trusted: calls)
    }

    /// Builds from calls already known to be free of duplicates (the result of applying mutations).
    private init(trusted calls: [Call]) {
        var partitions: [String: Partition] = [:]
        var vocabulary = TranscriptWords()
        var folder = WordFolder()
        for call in calls {
            var partition = partitions.removeValue(forKey: call.organizationID) ?? Partition()
            partition.positionByCallID[call.callID] = partition.calls.count
            partition.calls.append(call)
            partition.transcriptWords.append(vocabulary.add(call.transcript, folder: &folder))
            partitions[call.organizationID] = partition
        }
        self.partitions = partitions
        self.vocabulary = vocabulary
        self.count = calls.count
    }

    /// Every call, organization by organization (for snapshots).
    public var allCalls: [Call] {
        partitions.keys.sorted().flatMap { partitions[$0]?.calls ?? [] }
    }

    /// The call with `callID` in `organizationID`, or nil (another organization's call is the same as none).
    public func call(organizationID: String, callID: String) -> Call? {
        guard let partition = partitions[organizationID], let position = partition.positionByCallID[callID] else { return nil }
        return partition.calls[position]
    }

    /// Filters, sorts and slices the organization's calls as API.md describes: the page's positions, or the
    /// calls after `after`.
    public func list(_ query: ListQuery, after: OrderKey?, organizationID: String) -> CallPage {
        guard let partition = partitions[organizationID] else { return CallPage(calls: [], totalCount: 0) }
        let search = query.filter.transcriptSearch.map { vocabulary.resolve($0) }
        var matching: [Call] = []
        for (position, call) in partition.calls.enumerated() where query.filter.matchesFields(of: call) {
            if let search, !TranscriptWords.matches(partition.transcriptWords[position], search) { continue }
            matching.append(call)
        }
        let ordering = CallOrdering(field: query.sortBy, order: query.sortOrder)
        matching.sort(by: ordering.precedes)
        guard let after else {
            let range = query.pageRange(in: matching.count)
            return CallPage(calls: Array(matching[range]), totalCount: matching.count, firstPosition: range.lowerBound)
        }
        let first = matching.firstIndex { ordering.precedes(after, OrderKey($0, field: query.sortBy)) } ?? matching.count
        let end = first + min(query.limit, matching.count - first)
        return CallPage(calls: Array(matching[first..<end]), totalCount: matching.count, firstPosition: first)
    }
}
