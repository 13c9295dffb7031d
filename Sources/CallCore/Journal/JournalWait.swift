import Dispatch
import Locking

/// A one-shot rendezvous: a completion (the writer thread's, say) fills in a value, a blocked caller takes it.
public final class JournalWait<Value: Sendable>: Sendable {
    private let value = Locked<Value?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    /// A rendezvous not yet fulfilled.
    public init() {}

    /// Stores the value and wakes the waiter.
    public func fulfil(_ result: Value) {
        value.withLock { $0 = result }
        ready.signal()
    }

    /// Blocks until `fulfil` was called, then returns its value.
    public func wait() -> Value {
        while true {
            ready.wait()
            if let result = value.withLock({ $0 }) { return result }
        }
    }
}
