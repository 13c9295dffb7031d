import CallCore

/// One benchmark query: what it is called, the organization it runs in, and the list request.
struct BenchQuery {
    let name: String
    let organization: String
    let query: ListQuery
}

/// The fixed mix of the benchmark: every filter alone and combined, every kind of search, every sort field in both
/// orders, deep pages and a query matching nothing, all in the largest organization.
enum QueryMix {
    static func queries(generator: CallGenerator, sample: [Call]) -> [BenchQuery] {
        let organization = CallGenerator.organizations[0].id
        let agents = generator.agents(of: organization)
        let midAgent = agents[12]
        let customer = sample.first { $0.organizationID == organization && $0.direction == .inbound && $0.fromNumber != nil }?.fromNumber
            ?? CallGenerator.customer(1)
        let line = CallGenerator.lines[3]
        let week = ThresholdRange(lower: 1_740_787_200_000, upper: 1_740_787_200_000 + 7 * 86_400_000)  // 2025-03-01 + 7 days
        let quarter = ThresholdRange(lower: 1_735_689_600_000, upper: 1_743_465_600_000)  // 2025 Q1
        let minutes = ThresholdRange(lower: 30_000, upper: 300_000)

        var mix: [BenchQuery] = []
        func add(_ name: String, page: Int64 = 0, limit: Int = 20, sort: SortField = .startTimestamp,
                 order: SortOrder = .descending, _ filter: CallFilter = CallFilter()) {
            mix.append(BenchQuery(name: name, organization: organization, query: ListQuery(
                page: page, limit: limit, sortBy: sort, sortOrder: order, filter: filter)))
        }
        func search(_ text: String) -> CallFilter { CallFilter(transcriptSearch: TranscriptQuery(text)) }

        add("no filter")
        add("status=ended", CallFilter(statuses: [.ended]))
        add("status=ongoing,error", CallFilter(statuses: [.ongoing, .error]))
        add("agent_id", CallFilter(agentIDs: [midAgent]))
        add("call_type=web", CallFilter(types: [.webCall]))
        add("direction=inbound", CallFilter(directions: [.inbound]))
        add("from_number", CallFilter(fromNumbers: [customer]))
        add("to_number (line)", CallFilter(toNumbers: [line]))
        add("duration 30s-5min", CallFilter(duration: minutes))
        add("start one week", CallFilter(startTimestamp: week))
        add("updated one week", CallFilter(updatedTimestamp: week))
        add("ended+inbound", CallFilter(statuses: [.ended], directions: [.inbound]))
        add("ended updated since one week", sort: .updatedTimestamp, order: .ascending,
            CallFilter(statuses: [.ended], updatedTimestamp: ThresholdRange(lower: week.lower)))
        add("agent+duration", CallFilter(agentIDs: [midAgent], duration: minutes))
        add("all filters but from", CallFilter(
            statuses: [.ended, .error], agentIDs: [agents[0], agents[1], midAgent], types: [.phoneCall], directions: [.outbound],
            duration: minutes, startTimestamp: quarter, transcriptSearch: TranscriptQuery("refund")))
        add("all filters", CallFilter(
            statuses: [.ended], agentIDs: Array(agents.prefix(40)), types: [.phoneCall], directions: [.inbound],
            fromNumbers: [customer], toNumbers: Array(CallGenerator.lines.prefix(20)),
            duration: ThresholdRange(lower: 0), startTimestamp: ThresholdRange(lower: 0), transcriptSearch: TranscriptQuery("help")))
        add("search common 'help'", search("help"))
        add("search rare word", search(TranscriptGenerator.benchmarkRareWord))
        add("search rare code", search("kalomi"))
        add("search prefix 'refund*'", search("refund*"))
        add("search short prefix 'pa*'", search("pa*"))
        add("search phrase 'credit card'", search("\"credit card\""))
        add("search phrase 'thank you for'", search("\"thank you for\""))
        add("search two words", search("warranty replacement"))
        add("search accented 'ZURICH'", search("ZURICH"))
        add("search+status+sort duration", sort: .callDuration, CallFilter(statuses: [.ended], transcriptSearch: TranscriptQuery("invoice")))
        for field in SortField.allCases {
            for order in SortOrder.allCases where !(field == .startTimestamp && order == .descending) {
                add("sort \(field.rawValue) \(order.rawValue)", sort: field, order: order)
            }
        }
        add("deep page 10000x25", page: 10_000, limit: 25)
        add("deep call_id asc 4000x100", page: 4_000, limit: 100, sort: .callID, order: .ascending)
        add("deep end desc 3000x100", page: 3_000, limit: 100, sort: .endTimestamp)
        add("deep ended by duration 2000x100", page: 2_000, limit: 100, sort: .callDuration, CallFilter(statuses: [.ended]))
        add("deep 'help' by call_id 1500x100", page: 1_500, limit: 100, sort: .callID, order: .ascending, search("help"))
        add("deep inbound end asc 2000x100", page: 2_000, limit: 100, sort: .endTimestamp, order: .ascending, CallFilter(directions: [.inbound]))
        add("page past the end", page: 1 << 40, limit: 100)
        add("matches nothing", search("xyzzyplugh"))
        add("matches nothing (agent)", CallFilter(agentIDs: ["agent-nobody"]))
        return mix
    }
}
