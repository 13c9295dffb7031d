import CallCore
import Foundation

/// The changes feed at the store's scale: a feed of every call, then 20,000 writes recorded on top (replacements,
/// deletions and new calls, so pages skip superseded entries and carry deletions), and pages of 1,000 read from
/// its start, middle and end, selected and rendered as the route answers them.
enum ChangesMix {
    static func run(store: IndexedCallStore, calls: [Call], generator: CallGenerator, organization: String, runs: Int) {
        var clock = Measure.now()
        var log = ChangeLog.seeded(from: store)
        log.beginEpoch(1)
        print(String(format: "\nchanges feed of %d calls seeded in %.2f s", store.count, Measure.seconds(since: clock)))
        var current = store
        clock = Measure.now()
        let batches = BenchRun.writeBatches(20_000, existing: calls, generator: generator)
        var samples: [UInt64] = []
        for batch in batches {
            let next = current.applying(batch)
            let recorded = Measure.now()
            log.record([.mutations(batch)], before: current, oldestKept: 0)
            samples.append(Measure.now() - recorded)
            current = next
        }
        let (median, p99) = Measure.summary(samples)
        print(String(format: "recorded %d writes in the feed: median %.2f µs, p99 %.2f µs each", batches.count, median * 1000, p99 * 1000))
        let signer = ChangesTokenSigner(secret: [UInt8](repeating: 7, count: 32))
        let total = current.count(organizationID: organization)
        print("query".padding(toLength: 36, withPad: " ", startingAt: 0) + "changes".leftPadded(9) + "select µs".leftPadded(11)
            + "render µs".leftPadded(11) + "p99 µs".leftPadded(9))
        // Positions: the start, the middle, and where only the last writes remain.
        let middle = UInt64(total / 2)
        let tail = log.lastSequence(organizationID: organization)
        var worst = 0.0
        for (name, after) in [("from since null", UInt64(0)), ("from the middle", middle), ("the last writes", tail > 3000 ? tail - 3000 : 0)] {
            var select: [UInt64] = []
            var render: [UInt64] = []
            var count = 0
            for _ in 0..<runs {
                var start = Measure.now()
                let page = log.page(organizationID: organization, after: after, limit: 1000)
                select.append(Measure.now() - start)
                start = Measure.now()
                let token = signer.text(of: ChangesToken(epoch: log.currentEpoch, sequence: page.nextSequence, baseline: 0), organizationID: organization)
                let body = ChangesResponseWriter.envelope(page: page, nextSince: token, organizationID: organization, includeTranscript: false)
                render.append(Measure.now() - start)
                count = page.count
                precondition(!body.isEmpty)
            }
            let selected = Measure.summary(select)
            let rendered = Measure.summary(render)
            let whole = zip(select, render).map { $0 + $1 }
            worst = max(worst, Measure.summary(whole).median)
            print(name.padding(toLength: 36, withPad: " ", startingAt: 0) + String(count).leftPadded(9)
                + String(format: "%.0f", selected.median * 1000).leftPadded(11)
                + String(format: "%.0f", rendered.median * 1000).leftPadded(11)
                + String(format: "%.0f", Measure.summary(whole).p99 * 1000).leftPadded(9))
        }
        print(String(format: "slowest page of 1,000 (median, selected and rendered): %.2f ms (bar: 5 ms)", worst))
    }
}
