import CallCore
import Testing

@Suite("InMemoryCallStore: order and pages")
struct InMemoryCallStoreOrderTests {
    /// Two unfinished calls (no end, no duration) and ties on every field, to exercise nulls-last and id tie-breaks.
    private let calls: [Call] = [
        TestSupport.call("c3", id: "00000000-0000-0000-0000-000000000003", status: .ended, start: 100, end: 400),  // dur 300
        TestSupport.call("c1", id: "00000000-0000-0000-0000-000000000001", status: .ongoing, start: 200),
        TestSupport.call("c5", id: "00000000-0000-0000-0000-000000000005", status: .ended, start: 100, end: 200),  // dur 100
        TestSupport.call("c2", id: "00000000-0000-0000-0000-000000000002", status: .error, start: 300, end: 400),  // dur 100
        TestSupport.call("c4", id: "00000000-0000-0000-0000-000000000004", status: .scheduled, start: 300),
    ]

    private func order(_ field: SortField, _ direction: SortOrder) throws -> [String] {
        let store = try InMemoryCallStore(calls: calls)
        return store.list(ListQuery(limit: 100, sortBy: field, sortOrder: direction), organizationID: "org-1").calls.map(\.callID)
    }

    @Test func sortsByStartTimestampWithIDTieBreakInTheSameDirection() throws {
        #expect(try order(.startTimestamp, .ascending) == ["c3", "c5", "c1", "c2", "c4"])
        #expect(try order(.startTimestamp, .descending) == ["c4", "c2", "c1", "c5", "c3"])
    }

    @Test func sortsByEndTimestampWithUnfinishedCallsLastInBothDirections() throws {
        #expect(try order(.endTimestamp, .ascending) == ["c5", "c2", "c3", "c1", "c4"])
        #expect(try order(.endTimestamp, .descending) == ["c3", "c2", "c5", "c4", "c1"])
    }

    @Test func sortsByDurationWithUnknownDurationsLastInBothDirections() throws {
        #expect(try order(.callDuration, .ascending) == ["c2", "c5", "c3", "c1", "c4"])
        #expect(try order(.callDuration, .descending) == ["c3", "c5", "c2", "c4", "c1"])
    }

    @Test func sortsByCallIDBytewise() throws {
        #expect(try order(.callID, .ascending) == ["c1", "c2", "c3", "c4", "c5"])
        #expect(try order(.callID, .descending) == ["c5", "c4", "c3", "c2", "c1"])
        let mixed = try InMemoryCallStore(calls: ["b", "B", "a", "A", "_", "10", "9"].map { TestSupport.call($0) })
        let ids = mixed.list(ListQuery(limit: 100, sortBy: .callID, sortOrder: .ascending), organizationID: "org-1").calls.map(\.callID)
        #expect(ids == ["10", "9", "A", "B", "_", "a", "b"])
    }

    @Test func defaultOrderIsNewestStartFirst() throws {
        let store = try InMemoryCallStore(calls: calls)
        #expect(store.list(ListQuery(), organizationID: "org-1").calls.first?.callID == "c4")
    }

    // MARK: - Pages

    private func page(_ number: Int64, limit: Int, of count: Int) throws -> CallPage {
        let store = try InMemoryCallStore(calls: (0..<count).map { TestSupport.call(String(format: "c%03d", $0), start: Int64($0)) })
        return store.list(ListQuery(page: number, limit: limit, sortOrder: .ascending), organizationID: "org-1")
    }

    @Test func pagesAreConsecutiveSlicesOfOneOrder() throws {
        let first = try page(0, limit: 10, of: 25)
        let second = try page(1, limit: 10, of: 25)
        #expect(first.calls.map(\.startTimestamp) == Array(0..<10))
        #expect(second.calls.map(\.startTimestamp) == Array(10..<20))
        #expect(first.totalCount == 25 && second.totalCount == 25)
    }

    @Test func lastPageHoldsTheRemainder() throws {
        let last = try page(2, limit: 10, of: 25)
        #expect(last.calls.map(\.startTimestamp) == Array(20..<25))
    }

    @Test func pagePastTheEndIsEmptyButCountsAll() throws {
        let past = try page(3, limit: 10, of: 25)
        #expect(past.calls.isEmpty && past.totalCount == 25)
    }

    @Test func hugePageNumbersNeverTrap() throws {
        for number in [Int64.max, Int64.max / 100, Int64.max / 100 + 1, Int64(Int32.max)] {
            let result = try page(number, limit: 100, of: 5)
            #expect(result.calls.isEmpty && result.totalCount == 5)
        }
    }

    @Test func emptyStoreGivesEmptyPage() throws {
        let empty = try page(0, limit: 20, of: 0)
        #expect(empty.calls.isEmpty && empty.totalCount == 0)
    }

    @Test func pageRangeArithmeticIsSafe() {
        #expect(ListQuery(page: 0, limit: 20).pageRange(in: 0) == 0..<0)
        #expect(ListQuery(page: 2, limit: 20).pageRange(in: 45) == 40..<45)
        #expect(ListQuery(page: Int64.max, limit: 100).pageRange(in: 10) == 10..<10)
        #expect(ListQuery(page: Int64.max, limit: 100).offset == nil)
        #expect(ListQuery(page: -1, limit: 20).pageRange(in: 10) == 10..<10)
    }
}
