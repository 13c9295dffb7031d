/// One page of a list result.
public struct CallPage: Sendable, Equatable {
    /// Where the calls are: an array of their own, or rows of a partition's table. A page of rows is written from
    /// the table in place, where an array of its own would retain each call when made and release it when dropped.
    private let source: Source
    /// How many calls match the filters across all pages.
    public var totalCount: Int
    /// The position of the page's first call among all matches (the match count when the page is empty).
    public internal(set) var firstPosition = 0

    private enum Source: Sendable {
        case calls([Call])
        case rows([Int], of: CallTable)
    }

    /// Creates a page whose first call is at `firstPosition` among the matches.
    public init(calls: [Call], totalCount: Int, firstPosition: Int = 0) {
        source = .calls(calls)
        self.totalCount = totalCount
        self.firstPosition = firstPosition
    }

    /// A page of `table`'s calls at `rows`, in order.
    init(rows: [Int], of table: CallTable, totalCount: Int, firstPosition: Int = 0) {
        source = .rows(rows, of: table)
        self.totalCount = totalCount
        self.firstPosition = firstPosition
    }

    /// The calls at this page's positions, in order.
    public var calls: [Call] {
        switch source {
        case .calls(let calls): calls
        case .rows(let rows, let table): rows.map { table[$0] }
        }
    }

    /// The base row the page's last call was read from, when the page is base rows only (a cursor's hint).
    public var lastBaseRow: Int? {
        if case .rows(let rows, _) = source { return rows.last }
        return nil
    }

    /// The page's last call, if any (without making the array of them all).
    public var lastCall: Call? {
        switch source {
        case .calls(let calls): calls.last
        case .rows(let rows, let table): rows.last.map { table[$0] }
        }
    }

    /// The number of calls on this page.
    public var count: Int {
        switch source {
        case .calls(let calls): calls.count
        case .rows(let rows, _): rows.count
        }
    }

    /// Calls `body` with the address of each call on the page, in order (valid only during the call).
    func withRecords<R>(_ body: (UnsafeBufferPointer<UnsafePointer<Call>>) -> R) -> R {
        switch source {
        case .calls(let calls):
            return calls.withUnsafeBufferPointer { records in
                withUnsafeTemporaryAllocation(of: UnsafePointer<Call>.self, capacity: records.count) { addresses in
                    assert(addresses.count == records.count, "one address per record")
                    guard let first = records.baseAddress else { return body(UnsafeBufferPointer(addresses)) }
                    for index in records.indices { addresses.initializeElement(at: index, to: first + index) }
                    return body(UnsafeBufferPointer(addresses))
                }
            }
        case .rows(let rows, let table):
            return table.withRecords(rows: rows, body)
        }
    }

    /// Equal when the calls, the total and the first call's position are.
    public static func == (lhs: CallPage, rhs: CallPage) -> Bool {
        lhs.totalCount == rhs.totalCount && lhs.firstPosition == rhs.firstPosition && lhs.calls == rhs.calls
    }
}
