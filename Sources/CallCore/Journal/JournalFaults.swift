import Locking

/// Test hook: failures to inject at given points, each with the `errno` to report and how many times.
/// Production code never injects, so every check is one uncontended lock and an empty-dictionary look-up.
final class JournalFaults: Sendable {
    private let pending = Locked<[JournalFaultPoint: (code: Int32, remaining: Int)]>([:])

    /// Makes the next `times` operations at `point` fail with `code`.
    func inject(_ point: JournalFaultPoint, errno code: Int32, times: Int = 1) {
        pending.withLock { $0[point] = (code, times) }
    }

    /// Removes every injected failure.
    func clear() {
        pending.withLock { $0.removeAll() }
    }

    /// Consumes one injected failure at `point`, if any, and returns its `errno`.
    func take(_ point: JournalFaultPoint) -> Int32? {
        pending.withLock { faults -> Int32? in
            guard let fault = faults[point] else { return nil }
            faults[point] = fault.remaining > 1 ? (fault.code, fault.remaining - 1) : nil
            return fault.code
        }
    }

    /// Throws the injected failure at `point`, if any, as if `operation` on `path` had failed.
    func check(_ point: JournalFaultPoint, operation: String, path: String) throws(JournalPOSIXFailure) {
        if let code = take(point) {
            throw JournalPOSIXFailure(operation: operation, path: path, code: code)
        }
    }
}
