@testable import HTTPKit
import Dispatch
import Locking
import Synchronization
import Testing

/// The slow-work pool: shares per key, a bounded queue, fair order between tenants, dropped work.
@Suite struct WorkerPoolTests {
    /// A pool whose only worker is held busy until `release` is signalled, so the queue can be inspected.
    private final class Blocked: Sendable {
        let pool: WorkerPool
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let order = Locked<[String]>([])
        let done = DispatchSemaphore(value: 0)

        init(queueLimit: Int = 256, perKey: Int = 4) {
            pool = WorkerPool(workers: 1, queueLimit: queueLimit, perKeyLimit: perKey, outputBudget: nil)
            let release = self.release
            let started = self.started
            _ = pool.submit(WorkerPool.Job(
                owner: WorkOwner(tenant: "blocker", key: "blocker"), cancellation: WorkCancellation(),
                run: { started.signal(); release.wait() }, drop: {}))
            started.wait()
        }

        func job(_ tenant: String, _ key: String, _ label: String, cancellation: WorkCancellation = WorkCancellation()) -> WorkerPool.Job {
            WorkerPool.Job(
                owner: WorkOwner(tenant: tenant, key: key), cancellation: cancellation,
                run: { [self] in order.withLock { $0.append(label) }; done.signal() },
                drop: { [self] in order.withLock { $0.append("dropped " + label) }; done.signal() })
        }
    }

    @Test func aKeyWithItsShareWaitingIsRefusedAndOthersAreNot() {
        let blocked = Blocked(perKey: 4)
        for index in 0..<4 { #expect(blocked.pool.submit(blocked.job("org-a", "k1", "a\(index)")) == nil) }
        #expect(blocked.pool.submit(blocked.job("org-a", "k1", "a4")) == .keyShareUsed)
        #expect(blocked.pool.submit(blocked.job("org-a", "k2", "b0")) == nil)
        #expect(blocked.pool.depth == 5)
        #expect(blocked.pool.refusedCount == 1)  // the `slow_queue` refusals of /metrics
        blocked.release.signal()
        for _ in 0..<5 { blocked.done.wait() }
    }

    @Test func aFullQueueIsRefused() {
        let blocked = Blocked(queueLimit: 3, perKey: 4)
        for index in 0..<3 { #expect(blocked.pool.submit(blocked.job("org-\(index)", "k\(index)", "\(index)")) == nil) }
        #expect(blocked.pool.submit(blocked.job("org-x", "kx", "x")) == .queueFull)
        #expect(blocked.pool.refusedCount == 1)
        blocked.release.signal()
        for _ in 0..<3 { blocked.done.wait() }
    }

    @Test func tenantsAreServedInTurnThenTheirKeys() {
        let blocked = Blocked(perKey: 4)
        // org-a floods with two keys before org-b asks once.
        for index in 0..<3 { _ = blocked.pool.submit(blocked.job("org-a", "k1", "a1-\(index)")) }
        for index in 0..<2 { _ = blocked.pool.submit(blocked.job("org-a", "k2", "a2-\(index)")) }
        _ = blocked.pool.submit(blocked.job("org-b", "k3", "b"))
        blocked.release.signal()
        for _ in 0..<6 { blocked.done.wait() }
        let order = blocked.order.withLock { $0 }
        #expect(order == ["a1-0", "b", "a2-0", "a1-1", "a2-1", "a1-2"])
    }

    @Test func workWhoseClientHasGoneIsDroppedNotRun() {
        let blocked = Blocked()
        let gone = WorkCancellation()
        _ = blocked.pool.submit(blocked.job("org-a", "k1", "left", cancellation: gone))
        _ = blocked.pool.submit(blocked.job("org-a", "k1", "stayed"))
        gone.cancel()
        blocked.release.signal()
        for _ in 0..<2 { blocked.done.wait() }
        #expect(blocked.order.withLock { $0 } == ["dropped left", "stayed"])
    }

    @Test func workWaitsWhileTheOutputBudgetIsExhausted() {
        let budget = ByteBudget(limit: 100)
        budget.adjust(by: 100)
        let pool = WorkerPool(workers: 1, queueLimit: 8, perKeyLimit: 4, outputBudget: budget)
        let ran = Atomic<Bool>(false)
        let done = DispatchSemaphore(value: 0)
        _ = pool.submit(WorkerPool.Job(
            owner: WorkOwner(tenant: "t", key: "k"), cancellation: WorkCancellation(),
            run: { ran.store(true, ordering: .relaxed); done.signal() }, drop: {}))
        #expect(done.wait(timeout: .now() + .milliseconds(100)) == .timedOut)
        let ranEarly = ran.load(ordering: .relaxed)
        #expect(!ranEarly)
        budget.release(1)
        done.wait()
        let ranLater = ran.load(ordering: .relaxed)
        #expect(ranLater)
    }

    @Test func aBudgetTakesWholeReservationsOnlyWhileTheyFit() {
        let budget = ByteBudget(limit: 1_000)
        #expect(budget.reserve(600))
        #expect(!budget.reserve(401))
        #expect(budget.reserve(400))
        #expect(budget.isExhausted)
        budget.release(600)
        #expect(budget.inUse == 400)
        #expect(budget.reserve(0))
    }
}
