@testable import CallCore
import Testing

/// One organization large enough that its duration and updated_timestamp orders keep cut bitmaps and dense filters are matched by the
/// word-by-word intersection: random queries must still return exactly the reference engine's page and total.
@Suite("IndexedCallStore agrees with the reference on a large partition")
struct LargePartitionMatchTests {
    private typealias Generator = TestSupport.SeededGenerator

    @Test func denseFiltersAgreeWithTheReference() throws {
        var g = Generator(seed: 777)
        // One organization with three times the positions from which the duration order keeps cuts: about
        // two calls in five have a duration, so the order is past that point; a few hundred elsewhere, which must
        // never show.
        let size = 3 * OrderCutBitmaps.minimumPositions
        let calls = (0..<(size + 300)).map { index in
            RandomCalls.randomCall(
                &g, organization: index < size ? "org-a" : "org-b", callID: "c-\(index)",
                id: TestSupport.uuid(for: "large-\(index)"))
        }
        #expect(calls.prefix(size).filter { $0.duration != nil }.count >= OrderCutBitmaps.minimumPositions)
        let indexed = try IndexedCallStore(calls: calls)
        let reference = try InMemoryCallStore(calls: calls)
        var failures = 0
        var compared = 0
        for round in 0..<60 {
            var query = RandomCalls.randomQuery(&g)
            // Half the queries get a duration range and a dense criterion, so most go through the bitmaps.
            if round % 2 == 0 {
                query.filter.duration = RandomCalls.randomRange(&g, scale: 500, span: 0...6) ?? ThresholdRange(lower: 1_000)
                if query.filter.statuses.isEmpty { query.filter.statuses = [.ended, .error] }
            }
            // A third get an updated_timestamp range (that order has every row, so it keeps cuts too).
            if round % 3 == 1 {
                query.filter.updatedTimestamp = RandomCalls.randomRange(&g, scale: 1_000, span: 0...30) ?? ThresholdRange(upper: 20_000)
                if query.filter.directions.isEmpty { query.filter.directions = [.inbound] }
            }
            let actual = indexed.list(query, organizationID: "org-a")
            let wanted = reference.list(query, organizationID: "org-a")
            compared += wanted.totalCount
            if actual != wanted {
                failures += 1
                if failures <= 3 {
                    Issue.record("\(query): total \(actual.totalCount) vs \(wanted.totalCount); ids \(actual.calls.map(\.callID)) vs \(wanted.calls.map(\.callID))")
                }
            }
        }
        #expect(failures == 0)
        // The queries must match something on the whole, or the comparison proves little.
        #expect(compared > 50_000, "matched \(compared) in total")
    }
}
