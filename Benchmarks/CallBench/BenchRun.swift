import CallCore
import Dispatch
import Foundation

/// The benchmark's steps: generate, export, build, time the mix, check against the reference, then writes.
enum BenchRun {
    /// Generates `count` calls on every core (each call depends only on its index).
    static func generate(_ count: Int) -> [Call] {
        let generator = CallGenerator()
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = (count + workers - 1) / workers
        let parts = Chunks<[Call]>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let range = (worker * chunk)..<min(count, (worker + 1) * chunk)
            parts.set(worker, range.map { generator.call($0) })
        }
        return parts.joined()
    }

    /// Times `queries` on `engine`: a warm-up, then `runs` runs (fewer for a query slower than a second in all).
    static func time(_ queries: [BenchQuery], on store: IndexedCallStore, runs: Int) -> [QueryResult] {
        queries.map { item in
            var matched = 0
            for _ in 0..<3 { matched = store.list(item.query, organizationID: item.organization).totalCount }
            var samples: [UInt64] = []
            samples.reserveCapacity(runs)
            let budget = Measure.now()
            for _ in 0..<runs {
                let start = Measure.now()
                let page = store.list(item.query, organizationID: item.organization)
                samples.append(Measure.now() - start)
                matched = page.totalCount
                if Measure.now() - budget > 2_000_000_000 { break }
            }
            let (median, p99) = Measure.summary(samples)
            return QueryResult(query: item, matched: matched, median: median, p99: p99)
        }
    }

    /// The queries whose page or total differ between the two engines.
    static func differences(_ queries: [BenchQuery], _ store: IndexedCallStore, _ reference: InMemoryCallStore) -> [String] {
        queries.compactMap { item in
            let actual = store.list(item.query, organizationID: item.organization)
            let wanted = reference.list(item.query, organizationID: item.organization)
            guard actual != wanted else { return nil }
            return "\(item.name): total \(actual.totalCount) vs reference \(wanted.totalCount), "
                + "first ids \(actual.calls.prefix(3).map(\.callID)) vs \(wanted.calls.prefix(3).map(\.callID))"
        }
    }

    /// `count` single-call write batches: replacements, deletions and new calls, spread over the organizations.
    static func writeBatches(_ count: Int, existing calls: [Call], generator: CallGenerator) -> [[CallMutation]] {
        var rng = BenchRandom(seed: 77)
        return (0..<count).map { index in
            let victim = calls[rng.below(calls.count)]
            switch index % 4 {
            case 0:
                return [.delete(organizationID: victim.organizationID, callID: victim.callID)]
            case 1, 2:
                var replaced = generator.call(calls.count + index)
                replaced.id = victim.id
                replaced.callID = victim.callID
                replaced.organizationID = victim.organizationID
                replaced.agentID = victim.agentID
                return [.upsert(replaced)]
            default:
                return [.upsert(generator.call(calls.count + index))]
            }
        }
    }
}

/// Per-worker results, each slot written by one worker and read after `concurrentPerform` returns.
final class Chunks<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    func joined<Element>() -> [Element] where T == [Element] {
        slots.flatMap { $0 ?? [] }
    }
}
