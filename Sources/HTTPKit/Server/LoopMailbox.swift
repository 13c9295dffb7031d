import Glibc
import Locking

/// What other threads leave for an event loop: responses they finished, and connections another loop accepted
/// for it. Each post wakes the loop through its eventfd.
final class LoopMailbox: Sendable {
    struct Delivery: Sendable {
        var fd: Int32
        var connectionSerial: UInt64
        var result: Result<HTTPResponse, any Error>
    }

    private let pending = Locked<[Delivery]>([])
    private let handed = Locked<[Int32]>([])
    /// The loop's eventfd; the loop owns it.
    let wakeFD: Int32

    init(wakeFD: Int32) {
        self.wakeFD = wakeFD
    }

    /// Queues a delivery and wakes the loop.
    func post(_ delivery: Delivery) {
        pending.withLock { $0.append(delivery) }
        wake()
    }

    /// Hands the loop an accepted connection to serve, and wakes it.
    func hand(connection fd: Int32) {
        handed.withLock { $0.append(fd) }
        wake()
    }

    /// Every delivery queued so far, in posting order.
    func take() -> [Delivery] {
        Self.takeAll(pending)
    }

    /// Every connection handed over so far.
    func takeConnections() -> [Int32] {
        Self.takeAll(handed)
    }

    /// Wakes the loop (also for shutdown).
    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    private static func takeAll<Element>(_ queue: borrowing Locked<[Element]>) -> [Element] {
        queue.withLock { queue in
            let taken = queue
            queue.removeAll(keepingCapacity: true)
            return taken
        }
    }
}
