import Dispatch
import Foundation
import Locking
import Synchronization

/// The bounded pool that runs work too slow for an event loop. Each key has its own queue; the workers take
/// jobs round-robin over the tenants with work waiting, and within a tenant round-robin over its keys, so a
/// tenant that floods the pool delays itself, not the others. A key with its share of jobs already waiting, or
/// a full queue, is refused at once rather than queued; a job whose client has gone is dropped, not run.
final class WorkerPool: Sendable {
    /// Why a job was not queued.
    enum Refusal: Error, Equatable {
        /// The key already has its share of jobs waiting (429).
        case keyShareUsed
        /// The whole queue is full (503).
        case queueFull
    }

    struct Job: Sendable {
        var owner: WorkOwner
        var cancellation: WorkCancellation
        /// Does the work and delivers its result.
        var run: @Sendable () -> Void
        /// Delivers the news that the work was dropped because its client has gone.
        var drop: @Sendable () -> Void
    }

    /// The waiting jobs of one tenant, by key, with the order its keys are served in.
    private struct TenantQueue {
        var jobs: [String: [Job]] = [:]
        var keys: [String] = []
        var turn = 0
    }

    private struct State {
        var tenants: [String: TenantQueue] = [:]
        var order: [String] = []
        var turn = 0
        var waiting = 0
    }

    let queueLimit: Int
    let perKeyLimit: Int
    private let state = Locked(State())
    private let available = DispatchSemaphore(value: 0)
    private let outputBudget: ByteBudget?
    /// Jobs refused (a key's share used, or the queue full); off the request path, so one shared counter.
    private let refused = Atomic<UInt64>(0)

    /// A pool of `workers` threads (started at once) that lets `queueLimit` jobs wait, `perKeyLimit` of them per
    /// key; while `outputBudget` is exhausted, workers wait before they run a job.
    init(workers: Int, queueLimit: Int, perKeyLimit: Int, outputBudget: ByteBudget?) {
        self.queueLimit = max(1, queueLimit)
        self.perKeyLimit = max(1, perKeyLimit)
        self.outputBudget = outputBudget
        for index in 0..<max(1, workers) {
            let thread = Thread { [self] in self.work() }
            thread.name = "slow-work-\(index)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Jobs refused so far.
    var refusedCount: UInt64 { refused.load(ordering: .relaxed) }

    /// Jobs waiting for a worker now.
    var depth: Int { state.withLock { $0.waiting } }

    /// Queues `job`, or says why not.
    func submit(_ job: Job) -> Refusal? {
        let refusal: Refusal? = state.withLock { state in
            var tenant = state.tenants[job.owner.tenant] ?? TenantQueue()
            let waitingForKey = tenant.jobs[job.owner.key]?.count ?? 0
            // The key's own share first: a key that floods is told it is the one over (429), not that the server is.
            guard waitingForKey < perKeyLimit else { return .keyShareUsed }
            guard state.waiting < queueLimit else { return .queueFull }
            if tenant.keys.isEmpty { state.order.append(job.owner.tenant) }
            if waitingForKey == 0 { tenant.keys.append(job.owner.key) }
            tenant.jobs[job.owner.key, default: []].append(job)
            state.tenants[job.owner.tenant] = tenant
            state.waiting += 1
            return nil
        }
        if refusal == nil { available.signal() } else { refused.add(1, ordering: .relaxed) }
        return refusal
    }

    /// The next job in fair order (tenants in turn, then their keys in turn).
    private func next() -> Job? {
        state.withLock { state in
            guard !state.order.isEmpty else { return nil }
            state.turn %= state.order.count
            let tenantID = state.order[state.turn]
            guard var tenant = state.tenants[tenantID], !tenant.keys.isEmpty else {
                state.order.remove(at: state.turn)
                state.tenants[tenantID] = nil
                return nil
            }
            tenant.turn %= tenant.keys.count
            let key = tenant.keys[tenant.turn]
            var jobs = tenant.jobs[key] ?? []
            guard !jobs.isEmpty else { return nil }
            let job = jobs.removeFirst()
            if jobs.isEmpty {
                tenant.jobs[key] = nil
                tenant.keys.remove(at: tenant.turn)  // the next key slides into this turn
            } else {
                tenant.jobs[key] = jobs
                tenant.turn += 1
            }
            if tenant.keys.isEmpty {
                state.tenants[tenantID] = nil
                state.order.remove(at: state.turn)  // the next tenant slides into this turn
            } else {
                state.tenants[tenantID] = tenant
                state.turn += 1
            }
            state.waiting -= 1
            return job
        }
    }

    private func work() {
        while true {
            available.wait()
            guard let job = next() else { continue }
            if job.cancellation.isCancelled {
                job.drop()
                continue
            }
            // Responses nobody reads are piling up: render no more until some drain.
            while let budget = outputBudget, budget.isExhausted, !job.cancellation.isCancelled {
                usleep(2_000)
            }
            if job.cancellation.isCancelled {
                job.drop()
                continue
            }
            job.run()
        }
    }
}
