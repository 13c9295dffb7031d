import CallCore

/// The time to render list responses, apart from selecting their calls: each page is selected once, then its
/// envelope is written `runs` times, as the list route writes it. Measures the JSON writer, which the query
/// timings never reach.
enum EncodeMix {
    static func run(store: IndexedCallStore, generator: CallGenerator, runs: Int) {
        let organization = CallGenerator.organizations[0].id
        let agents = generator.agents(of: organization)
        let filtered = CallFilter(statuses: [.ended, .error], agentIDs: Array(agents.prefix(3)), directions: [.inbound])
        let shapes: [(String, ListQuery)] = [
            ("page 1 of 20", ListQuery(page: 1, limit: 20)),
            ("page 1 of 20, filtered", ListQuery(page: 1, limit: 20, filter: filtered)),
            ("page 150 of 50", ListQuery(page: 150, limit: 50)),
            ("page of 100", ListQuery(page: 3, limit: 100)),
            ("page of 20 with transcripts", ListQuery(page: 1, limit: 20, includeTranscript: true)),
        ]
        print("\nresponse rendering (\(runs) runs each)")
        print("page".padding(toLength: 36, withPad: " ", startingAt: 0) + "bytes".leftPadded(9) + "median µs".leftPadded(11) + "p99 µs".leftPadded(9))
        var total = 0.0
        for (name, query) in shapes {
            let page = store.list(query, organizationID: organization)
            var size = 0
            for _ in 0..<100 { size = ListResponseWriter.envelope(query: query, organizationID: organization, page: page).count }
            var samples: [UInt64] = []
            samples.reserveCapacity(runs)
            for _ in 0..<runs {
                let start = Measure.now()
                let body = ListResponseWriter.envelope(query: query, organizationID: organization, page: page)
                samples.append(Measure.now() - start)
                size = body.count
            }
            let (median, p99) = Measure.summary(samples)
            total += median
            print(name.padding(toLength: 36, withPad: " ", startingAt: 0) + String(size).leftPadded(9)
                + String(format: "%.2f", median * 1000).leftPadded(11) + String(format: "%.2f", p99 * 1000).leftPadded(9))
        }
        print(String(format: "sum of medians: %.2f µs", total * 1000))
    }
}
