import CallCore
import Foundation

/// `CallBench --loop-bound`: the time hostile but legal list bodies hold an event loop. One organization of
/// 100,000 calls carries a delta of 30,000 writes (as while a rebuild lags behind); each body is timed as the list
/// handler runs it on the loop (decoded, classified, listed, written), and the report gives the worst time
/// of the bodies that stay on the loop (`listCost` calls them quick and they are at most 8 KiB; "big" marks a body
/// the cost allows that goes to a worker for its size).
enum LoopBound {
    static let organizationCalls = 100_000
    /// Writes held in the delta; CALLBENCH_DELTA overrides it (0: the base alone).
    static let deltaWrites = ProcessInfo.processInfo.environment["CALLBENCH_DELTA"].flatMap { Int($0) } ?? 30_000

    static func run(runs: Int) {
        let organization = CallGenerator.organizations[0].id
        let generator = CallGenerator()
        // The generator gives the first organization half of the calls.
        var clock = Measure.now()
        let calls = BenchRun.generate(2 * organizationCalls).filter { $0.organizationID == organization }
        print("generated \(calls.count) calls of \(organization) in \(String(format: "%.1f", Measure.seconds(since: clock))) s")
        clock = Measure.now()
        // Never rebuilt, so the delta keeps every write.
        let options = IndexedCallStore.Options(minimumDelta: Int.max, rebuildDivisor: 1, rebuildInBackground: false)
        var store: IndexedCallStore
        do {
            store = try IndexedCallStore(calls: calls, options: options)
        } catch {
            print("build failed: \(error)")
            exit(1)
        }
        var rng = BenchRandom(seed: 4711)
        var batch: [CallMutation] = []
        for index in 0..<deltaWrites {
            var call = generator.call(10 * organizationCalls + index)
            if index % 3 == 2 {
                call.callID = "delta-\(index)"
            } else {
                // Two writes in three replace a base call.
                let victim = calls[rng.below(calls.count)]
                call.id = victim.id
                call.callID = victim.callID
            }
            call.organizationID = organization
            batch.append(.upsert(call))
            if batch.count == 100 {
                store = store.applying(batch)
                batch = []
            }
        }
        store = store.applying(batch)
        print("built and wrote \(deltaWrites) calls in \(String(format: "%.1f", Measure.seconds(since: clock))) s; \(store.count) calls stored")

        let sample = calls.prefix(5_000)
        let realAgents = generator.agents(of: organization)
        let agents = realAgents + (0..<(1000 - realAgents.count)).map { "agent-absent-\($0)" }
        let customers = Array(Set(sample.compactMap { $0.direction == .inbound ? $0.fromNumber : $0.toNumber })).sorted().prefix(1000)
        let folded = TextNormalizer.foldedWords(in: sample.map(\.transcript).joined(separator: " "))
        func prefixes(length: Int) -> String {
            var seen = Set<String>()
            let terms = folded.filter { $0.count >= length }.map { String($0.prefix(length)) }.filter { seen.insert($0).inserted }
            return terms.prefix(32).map { $0 + "*" }.joined(separator: " ")
        }
        let letters = (UInt8(ascii: "a")...UInt8(ascii: "z")).map { String(UnicodeScalar($0)) + "*" } + ["th*", "he*", "re*", "co*", "pr*", "st*"]
        func list(_ values: some Sequence<String>) -> String { "[" + values.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        let agentList = list(agents)
        let bodies: [(String, String)] = [
            ("no filter", #"{}"#),
            ("no filter, by duration", #"{"sort_by":"call_duration"}"#),
            ("no filter, by end, ascending", #"{"sort_by":"end_timestamp","sort_order":"asc"}"#),
            ("no filter, by call_id", #"{"sort_by":"call_id"}"#),
            ("agent_id 1 value", #"{"filter_criteria":{"agent_id":["\#(realAgents[3])"]}}"#),
            ("agent_id 2 values, by duration", #"{"sort_by":"call_duration","filter_criteria":{"agent_id":["\#(realAgents[3])","\#(realAgents[40])"]}}"#),
            ("agent_id 1,000 values", #"{"filter_criteria":{"agent_id":\#(agentList)}}"#),
            ("agent_id 1,000 values, page 200", #"{"page":200,"limit":100,"filter_criteria":{"agent_id":\#(agentList)}}"#),
            ("agent_id 1,000 values, by duration", #"{"sort_by":"call_duration","filter_criteria":{"agent_id":\#(agentList)}}"#),
            ("agent_id 1,000 + status", #"{"filter_criteria":{"call_status":["ended"],"agent_id":\#(agentList)}}"#),
            ("from_number+to_number 1,000 each", #"{"filter_criteria":{"from_number":\#(list(customers)),"to_number":\#(list(customers))}}"#),
            ("agent/from/to 1,000 each + 5 statuses", #"{"filter_criteria":{"call_status":["ended","ongoing","error","scheduled","registered"],"agent_id":\#(agentList),"from_number":\#(list(customers)),"to_number":\#(list(customers))}}"#),
            ("32 prefixes, 2 letters", #"{"filter_criteria":{"transcript_search":"\#(prefixes(length: 2))"}}"#),
            ("32 prefixes, 3 letters", #"{"filter_criteria":{"transcript_search":"\#(prefixes(length: 3))"}}"#),
            ("32 prefixes, 4 letters", #"{"filter_criteria":{"transcript_search":"\#(prefixes(length: 4))"}}"#),
            ("32 prefixes, a*..z* th* ...", #"{"filter_criteria":{"transcript_search":"\#(letters.joined(separator: " "))"}}"#),
            ("32 prefixes + agent_id 1,000", #"{"filter_criteria":{"agent_id":\#(agentList),"transcript_search":"\#(prefixes(length: 3))"}}"#),
            ("'a* z*' repeated 16 times", #"{"filter_criteria":{"transcript_search":"\#(Array(repeating: "a* z*", count: 16).joined(separator: " "))"}}"#),
            ("32 words", #"{"filter_criteria":{"transcript_search":"\#(Array(Set(folded.filter { $0.count > 3 })).sorted().prefix(32).joined(separator: " "))"}}"#),
            ("phrase 'credit card'", #"{"filter_criteria":{"transcript_search":"\"credit card\""}}"#),
            ("include_transcript", #"{"include_transcript":true}"#),
        ]
        print("\nper body, as the handler runs it on the loop: decode, listCost, list, write (\(runs) runs)")
        print("body                                      ops        class  median ms  p99 ms  max ms  matched  (medians: decode/listCost/list/write)")
        var worstQuick = (name: "", max: 0.0)
        // CALLBENCH_ONLY=name times one body (for a profiler).
        let only = ProcessInfo.processInfo.environment["CALLBENCH_ONLY"]
        for (name, text) in bodies where only == nil || only == name {
            let body = Array(text.utf8)
            let query: ListQuery
            do {
                query = try ListRequestDecoder.decode(body)
            } catch {
                print("\(name): \(error)")
                continue
            }
            var samples: [UInt64] = []
            // Per phase: decode, classify, list, write.
            var phases = [[UInt64]](repeating: [], count: 4)
            var cost = ListCost(operations: 0)
            var matched = 0
            for run in 0..<(runs + 3) {
                let start = Measure.now()
                let decoded = (try? ListRequestDecoder.decode(body)) ?? query
                let decodedAt = Measure.now()
                cost = store.listCost(decoded, organizationID: organization)
                let listStart = Measure.now()
                let page = store.list(decoded, organizationID: organization)
                let listedAt = Measure.now()
                let written = ListResponseWriter.envelope(query: decoded, organizationID: organization, page: page)
                let end = Measure.now()
                matched = page.totalCount + (written.isEmpty ? 1 : 0)
                if run >= 3 {
                    samples.append(end - start)
                    phases[0].append(decodedAt - start)
                    phases[1].append(listStart - decodedAt)
                    phases[2].append(listedAt - listStart)
                    phases[3].append(end - listedAt)
                }
            }
            let breakdown = phases.map { String(format: "%.3f", Measure.summary($0).median) }.joined(separator: "/")
            let (median, p99) = Measure.summary(samples)
            let slowest = Double(samples.max() ?? 0) / 1e6
            // The list handler sends bodies over 8 KiB to a worker undecoded (ListCallsHandler.quickBodyBytes).
            let quick = cost.isQuick && body.count <= 8 * 1024
            if quick, slowest > worstQuick.max { worstQuick = (name, slowest) }
            let ops = cost.operations == .max ? "unbounded" : String(cost.operations)
            print(name.padding(toLength: 40, withPad: " ", startingAt: 0) + "  " + ops.padding(toLength: 10, withPad: " ", startingAt: 0)
                + (quick ? " quick" : cost.isQuick ? " big  " : " slow ")
                + String(format: "  %9.3f  %6.3f  %6.3f  %d", median, p99, slowest, matched) + "  (\(breakdown))")
        }
        print(String(format: "\nworst quick-classified body: %@, %.3f ms", worstQuick.name, worstQuick.max))
    }
}
