import Synchronization

/// A global allowance of bytes shared by every event loop (bodies in flight, output clients have not read):
/// a reservation either fits whole or is refused, so the total never passes the limit.
final class ByteBudget: Sendable {
    /// The most bytes reservations may hold at once.
    let limit: Int
    private let used = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// Takes `bytes` if they fit under the limit.
    func reserve(_ bytes: Int) -> Bool {
        guard bytes > 0 else { return true }
        var current = used.load(ordering: .relaxed)
        while true {
            guard bytes <= limit - current else { return false }
            let (exchanged, original) = used.compareExchange(
                expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    /// Adds `bytes` whether or not they fit (output that already exists), or gives them back when negative.
    func adjust(by bytes: Int) {
        guard bytes != 0 else { return }
        used.wrappingAdd(bytes, ordering: .relaxed)
    }

    /// Gives back a reservation.
    func release(_ bytes: Int) {
        adjust(by: -bytes)
    }

    /// Bytes held now.
    var inUse: Int { used.load(ordering: .relaxed) }

    /// Whether the holdings have reached the limit.
    var isExhausted: Bool { inUse >= limit }
}
