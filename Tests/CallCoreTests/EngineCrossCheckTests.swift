import CallCore
import Testing

/// Random stores and random queries: the store must agree with a direct transcription of API.md written here,
/// which folds transcripts with `TextNormalizer.foldedWords` and sorts with explicit keys.
@Suite("InMemoryCallStore agrees with a direct reading of the contract")
struct EngineCrossCheckTests {
    private static let vocabulary = ["help", "helpful", "support", "refund", "refunds", "Café", "cafe", "credit", "card", "order", "42", "naïve"]

    private func randomCalls(_ generator: inout TestSupport.SeededGenerator) -> [Call] {
        (0..<120).map { index in
            let status = CallStatus.allCases.randomElement(using: &generator) ?? .ended
            let start = Int64.random(in: 0...50, using: &generator) * 1_000
            let words = (0..<Int.random(in: 0...8, using: &generator)).map { _ in Self.vocabulary.randomElement(using: &generator) ?? "" }
            return TestSupport.call(
                "call-\(Int.random(in: 0...9, using: &generator))-\(index)",
                organization: index % 7 == 0 ? "org-2" : "org-1",
                agent: "agent-\(Int.random(in: 1...3, using: &generator))",
                status: status,
                type: Bool.random(using: &generator) ? .phoneCall : .webCall,
                direction: Bool.random(using: &generator) ? .inbound : .outbound,
                from: Bool.random(using: &generator) ? "+1555000000\(Int.random(in: 0...2, using: &generator))" : nil,
                start: start,
                end: status.hasEnded ? start + Int64.random(in: 0...5, using: &generator) * 1_000 : nil,
                transcript: words.joined(separator: Bool.random(using: &generator) ? " " : ", ")
            )
        }
    }

    private func randomQuery(_ generator: inout TestSupport.SeededGenerator) -> ListQuery {
        var filter = CallFilter()
        if Bool.random(using: &generator) { filter.statuses = [CallStatus.allCases.randomElement(using: &generator) ?? .ended] }
        if Bool.random(using: &generator) { filter.agentIDs = ["agent-\(Int.random(in: 1...3, using: &generator))"] }
        if Int.random(in: 0...3, using: &generator) == 0 { filter.types = [.webCall] }
        if Int.random(in: 0...3, using: &generator) == 0 { filter.fromNumbers = ["+15550000001", "+15550000002"] }
        if Bool.random(using: &generator) { filter.duration = ThresholdRange(lower: Int64.random(in: 0...3, using: &generator) * 1_000) }
        if Bool.random(using: &generator) { filter.startTimestamp = ThresholdRange(upper: Int64.random(in: 0...50, using: &generator) * 1_000) }
        let searches = ["help", "refund*", "\"credit card\"", "cafe", "CAFÉ help*", "naive", "\"help* support\"", "42", "zzz"]
        if Bool.random(using: &generator) { filter.transcriptSearch = TranscriptQuery(searches.randomElement(using: &generator) ?? "") }
        return ListQuery(
            page: Int64.random(in: 0...3, using: &generator),
            limit: Int.random(in: 1...15, using: &generator),
            sortBy: SortField.allCases.randomElement(using: &generator) ?? .startTimestamp,
            sortOrder: Bool.random(using: &generator) ? .ascending : .descending,
            filter: filter
        )
    }

    /// The contract, spelled out directly.
    private func expected(_ calls: [Call], _ query: ListQuery, organization: String) -> CallPage {
        let matching = calls.filter { call in
            call.organizationID == organization && query.filter.matchesFields(of: call)
                && (query.filter.transcriptSearch?.matches(words: TextNormalizer.foldedWords(in: call.transcript)) ?? true)
        }
        func key(_ call: Call) -> Int64? {
            switch query.sortBy {
            case .startTimestamp: return call.startTimestamp
            case .endTimestamp: return call.endTimestamp
            case .callDuration: return call.duration
            case .updatedTimestamp: return call.updatedTimestamp
            case .callID: return nil
            }
        }
        let ascending = query.sortOrder == .ascending
        let sorted = matching.sorted { a, b in
            if query.sortBy == .callID, a.callID != b.callID {
                return ascending ? Array(a.callID.utf8).lexicographicallyPrecedes(Array(b.callID.utf8)) : Array(b.callID.utf8).lexicographicallyPrecedes(Array(a.callID.utf8))
            }
            if query.sortBy != .callID {
                switch (key(a), key(b)) {
                case (nil, .some): return false
                case (.some, nil): return true
                case let (x?, y?) where x != y: return ascending ? x < y : x > y
                default: break
                }
            }
            return ascending ? a.id < b.id : a.id > b.id
        }
        let start = Int(query.page) * query.limit
        let page = start < sorted.count ? Array(sorted[start..<min(sorted.count, start + query.limit)]) : []
        return CallPage(calls: page, totalCount: sorted.count)
    }

    @Test func randomQueriesAgreeWithTheContract() throws {
        var generator = TestSupport.SeededGenerator(seed: 2024)
        for _ in 0..<10 {
            let calls = randomCalls(&generator)
            let store = try InMemoryCallStore(calls: calls)
            for _ in 0..<60 {
                let query = randomQuery(&generator)
                for organization in ["org-1", "org-2"] {
                    let actual = store.list(query, organizationID: organization)
                    let wanted = expected(calls, query, organization: organization)
                    #expect(actual.totalCount == wanted.totalCount)
                    #expect(actual.calls.map(\.id) == wanted.calls.map(\.id))
                }
            }
        }
    }
}
