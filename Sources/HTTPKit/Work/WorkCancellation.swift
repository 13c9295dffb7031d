import Synchronization

/// Set by the event loop when the client of a deferred request has gone, so queued work for it is dropped
/// instead of computed.
public final class WorkCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// A flag that is not set.
    public init() {}

    /// Marks the work as no longer wanted.
    public func cancel() {
        flag.store(true, ordering: .relaxed)
    }

    /// Whether the client has gone.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
