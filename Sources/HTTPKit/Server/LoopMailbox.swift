import Glibc
import Synchronization

/// Responses finished on other threads, waiting for their event loop to write them.
final class LoopMailbox: Sendable {
    struct Delivery: Sendable {
        var fd: Int32
        var connectionSerial: UInt64
        var result: Result<HTTPResponse, any Error>
    }

    private let pending = Mutex<[Delivery]>([])
    private let wakeFD: Int32

    init(wakeFD: Int32) {
        self.wakeFD = wakeFD
    }

    /// Queues a delivery and wakes the loop.
    func post(_ delivery: Delivery) {
        pending.withLock { $0.append(delivery) }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Everything queued so far, in posting order.
    func take() -> [Delivery] {
        pending.withLock { queue in
            let taken = queue
            queue.removeAll(keepingCapacity: true)
            return taken
        }
    }
}
