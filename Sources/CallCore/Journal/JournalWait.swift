import Dispatch
import Locking

/// A one-shot rendezvous: the writer thread fills in a value, a blocked caller takes it.
final class JournalWait<Value: Sendable>: Sendable {
    private let value = Locked<Value?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    /// Stores the value and wakes the waiter.
    func fulfil(_ result: Value) {
        value.withLock { $0 = result }
        ready.signal()
    }

    /// Blocks until `fulfil` was called, then returns its value.
    func wait() -> Value {
        while true {
            ready.wait()
            if let result = value.withLock({ $0 }) { return result }
        }
    }
}
