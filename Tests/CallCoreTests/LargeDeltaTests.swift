@testable import CallCore
import Testing

/// Pages over a delta much larger than the page (only the part of the delta a page can reach is sorted), and
/// call ids that share long prefixes (ordered by successive eight-byte keys): both must answer exactly as the
/// reference engine does.
@Suite("Large deltas and long shared call_id prefixes")
struct LargeDeltaTests {
    private typealias Generator = TestSupport.SeededGenerator

    @Test func pagesOverALargeDeltaAgreeWithTheReference() throws {
        var g = Generator(seed: 5150)
        var ids = 0
        // Never rebuilt: every write stays in the delta.
        let options = IndexedCallStore.Options(minimumDelta: Int.max, rebuildDivisor: 1, rebuildInBackground: false)
        let (indexed, reference) = try RandomCalls.writtenStores(&g, size: 300, batches: 80, ids: &ids, options: options)
        let organization = try #require(RandomCalls.organizations.first)
        let delta = try #require(indexed.partitions[organization]).deltaSize
        #expect(delta > 150, "the delta should dwarf a page (\(delta) entries)")
        var failures = 0
        for index in 0..<400 {
            var query = RandomCalls.randomQuery(&g)
            // Half the queries filter nothing, so the delta's matches far outnumber the page.
            if index % 2 == 0 { query.filter = CallFilter() }
            query.limit = Int.random(in: 1...8, using: &g)
            query.page = Int64.random(in: 0...12, using: &g)
            let actual = indexed.list(query, organizationID: organization)
            let wanted = reference.list(query, organizationID: organization)
            if actual != wanted {
                failures += 1
                if failures <= 3 {
                    Issue.record("\(query): \(actual.calls.map(\.callID)) vs \(wanted.calls.map(\.callID))")
                }
            }
        }
        #expect(failures == 0)
    }

    @Test func callIDsSharingLongPrefixesSortByteWise() throws {
        var g = Generator(seed: 77)
        let stems = ["bench-123456789-", "bench-123456789-000000", "bench-123456789-0000000000", ""]
        var callIDs = Set<String>()
        while callIDs.count < 400 {
            let stem = stems.randomElement(using: &g) ?? ""
            let digits = String(Int.random(in: 0...99_999, using: &g))
            callIDs.insert(stem + String(digits.prefix(Int.random(in: 1...digits.count, using: &g))))
        }
        callIDs.insert("bench-123456789-")
        let calls = callIDs.enumerated().map { index, callID in
            TestSupport.call(callID, id: TestSupport.uuid(for: "long-\(index)"))
        }
        let store = try IndexedCallStore(calls: calls)
        let reference = try InMemoryCallStore(calls: calls)
        let organization = try #require(calls.first).organizationID
        for order in [SortOrder.ascending, .descending] {
            for page in 0..<5 {
                let query = ListQuery(page: Int64(page), limit: 100, sortBy: .callID, sortOrder: order)
                #expect(store.list(query, organizationID: organization) == reference.list(query, organizationID: organization))
            }
        }
        let sorted = callIDs.sorted { ByteOrder.precedes($0, $1) }
        let listed = store.list(ListQuery(limit: 100, sortBy: .callID, sortOrder: .ascending), organizationID: organization)
        #expect(listed.calls.map(\.callID) == Array(sorted.prefix(100)))
    }
}
