import CallCore

/// The time to answer list requests apart from reading them: each page is selected once and its envelope written
/// `runs` times ("render"), then the whole answer is made as the list route makes it, selection, next cursor and
/// `applied_filters` included, and written ("answer + render"). Measures the JSON writer, which the query timings
/// never reach.
enum EncodeMix {
    static func run(store: IndexedCallStore, generator: CallGenerator, runs: Int) {
        let organization = CallGenerator.organizations[0].id
        let agents = generator.agents(of: organization)
        let filtered = CallFilter(statuses: [.ended, .error], agentIDs: Array(agents.prefix(3)), directions: [.inbound])
        let shapes: [(String, ListQuery)] = [
            ("page 1 of 20", ListQuery(page: 0, limit: 20)),
            ("page 1 of 20, filtered", ListQuery(page: 0, limit: 20, filter: filtered)),
            ("page 150 of 50", ListQuery(page: 150, limit: 50)),
            ("page of 100", ListQuery(page: 3, limit: 100)),
            ("page of 20 with transcripts", ListQuery(page: 0, limit: 20, includeTranscript: true)),
        ]
        let signer = ListCursorSigner(secret: [UInt8](repeating: 9, count: 32))
        print("\nresponse rendering (\(runs) runs each)")
        print("page".padding(toLength: 36, withPad: " ", startingAt: 0) + "bytes".leftPadded(9) + "render µs".leftPadded(11)
            + "p99 µs".leftPadded(9) + "answer+render µs".leftPadded(18))
        var totals = (render: 0.0, answer: 0.0)
        for (name, query) in shapes {
            let page = store.list(query, organizationID: organization)
            let render = time(runs) { ListResponseWriter.envelope(query: query, organizationID: organization, page: page).count }
            let answer = time(runs) {
                guard let answer = try? store.answer(query, organizationID: organization, signer: signer) else { return 0 }
                return ListResponseWriter.envelope(query: query, organizationID: organization, answer: answer).count
            }
            totals.render += render.median
            totals.answer += answer.median
            print(name.padding(toLength: 36, withPad: " ", startingAt: 0) + String(render.size).leftPadded(9)
                + String(format: "%.2f", render.median * 1000).leftPadded(11) + String(format: "%.2f", render.p99 * 1000).leftPadded(9)
                + String(format: "%.2f", answer.median * 1000).leftPadded(18))
        }
        print(String(format: "sum of medians: render %.2f µs, answer + render %.2f µs", totals.render * 1000, totals.answer * 1000))
    }

    /// Median and p99 (ms) of `runs` timed runs of `body` after a warm-up, and the size `body` reports.
    private static func time(_ runs: Int, _ body: () -> Int) -> (median: Double, p99: Double, size: Int) {
        var size = 0
        for _ in 0..<100 { size = body() }
        var samples: [UInt64] = []
        samples.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = Measure.now()
            size = body()
            samples.append(Measure.now() - start)
        }
        let (median, p99) = Measure.summary(samples)
        return (median, p99, size)
    }
}
