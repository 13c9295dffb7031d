import Dispatch
import Foundation

/// Runs independent pieces of work (index builds, decoding) on every core.
public enum Parallel {
    /// The number of cores this process may use.
    static var coreCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `body(0..<count)` computed concurrently, results in index order.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return count == 1 ? [body(0)] : [] }
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots.store(body(index), at: index)
        }
        return slots.collect()
    }
}

extension Parallel {
    /// Result slots written by concurrent workers, each slot by exactly one of them, and read only after
    /// `concurrentPerform` has returned (which orders the writes before the reads).
    fileprivate final class Slots<T>: @unchecked Sendable {
        private let base: UnsafeMutablePointer<T?>
        private let count: Int

        init(count: Int) {
            self.count = count
            base = UnsafeMutablePointer<T?>.allocate(capacity: count)
            base.initialize(repeating: nil, count: count)
        }

        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }

        func store(_ value: T, at index: Int) {
            assert(index >= 0 && index < count, "each worker stores into a slot of its own")
            (base + index).pointee = value
        }

        func collect() -> [T] {
            (0..<count).compactMap { (base + $0).pointee }
        }
    }
}
