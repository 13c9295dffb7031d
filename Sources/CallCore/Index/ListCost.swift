/// What a list query is expected to cost before it runs, from the query and the store's sizes (no row and no
/// transcript read), so the server can answer quick queries on its event loop and send the rest to workers.
public struct ListCost: Sendable, Equatable {
    /// Estimated work in operations of a few nanoseconds each (a bit set, a posting read, a delta entry's test);
    /// `Int.max` when the query reads transcripts (a phrase to verify, transcripts to return).
    public let operations: Int

    /// Most operations a quick query may cost: about 2 ms, measured at 100,000 calls in an organization.
    public static let quickBudget = 600_000

    /// Creates a cost from its estimated operations.
    public init(operations: Int) {
        self.operations = operations
    }

    /// Whether the query may run on the event loop (it cannot hold it longer than a couple of milliseconds).
    public var isQuick: Bool { operations <= Self.quickBudget }
}
