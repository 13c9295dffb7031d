@testable import CallCore
import Testing

/// The query engine stays within bounded work for hostile but legal bodies (long lists, many prefixes, repeated
/// terms) and answers them exactly as the reference engine does; `listCost` tells quick queries from slow ones.
@Suite("Bounded query work: long lists, prefixes, repeated terms, cost classification")
struct QueryWorkBoundsTests {
    private typealias Generator = TestSupport.SeededGenerator

    private func expectSame(
        _ indexed: IndexedCallStore, _ reference: InMemoryCallStore, _ query: ListQuery, organization: String,
        failures: inout Int, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let actual = indexed.list(query, organizationID: organization)
        let wanted = reference.list(query, organizationID: organization)
        guard actual != wanted else { return }
        failures += 1
        if failures <= 3 {
            Issue.record("""
                \(query.filter): total \(actual.totalCount) vs \(wanted.totalCount); \
                ids \(actual.calls.map(\.callID)) vs \(wanted.calls.map(\.callID))
                """, sourceLocation: sourceLocation)
        }
    }

    /// A random selection of about `count` values from `pool` mixed with values no call has.
    private func longList(_ pool: [String], count: Int, _ g: inout Generator) -> [String] {
        var list = (0..<count).map { index in
            Int.random(in: 0...9, using: &g) == 0 ? (pool.randomElement(using: &g) ?? "x") : "absent-\(index)"
        }
        list.shuffle(using: &g)
        return list.uniquedInOrder()
    }

    // MARK: - Delta filters

    @Test func longListsOverALargeDeltaAgreeWithTheReference() throws {
        var g = Generator(seed: 1000)
        var ids = 0
        // Never rebuilt: every write stays in the delta.
        let options = IndexedCallStore.Options(minimumDelta: Int.max, rebuildDivisor: 1, rebuildInBackground: false)
        var (indexed, reference) = try RandomCalls.writtenStores(&g, size: 300, batches: 40, ids: &ids, options: options)
        // Writes with agents and numbers the base has never seen: matched by string, not by the base's codes.
        var fresh: [CallMutation] = []
        for index in 0..<200 {
            ids += 1
            let organization = RandomCalls.organizations[index % 3]
            var call = RandomCalls.randomCall(&g, organization: organization, callID: "fresh-\(index)", id: TestSupport.uuid(for: "id-\(ids)"))
            call.agentID = "new-agent-\(index % 20)"
            if index % 2 == 0 { call.fromNumber = "+1777\(index % 15)" }
            if index % 3 == 0 { call.toNumber = "+1888\(index % 12)" }
            fresh.append(.upsert(call))
        }
        indexed = indexed.applying(fresh)
        reference = reference.applying(fresh)
        let organization = try #require(RandomCalls.organizations.first)
        #expect(try #require(indexed.partitions[organization]).deltaSize > 150)
        let agents = ["agent-1", "agent-2", "agent-3", "agent-4"] + (0..<20).map { "new-agent-\($0)" }
        let fromNumbers = (0...3).map { "+1555000000\($0)" } + (0..<15).map { "+1777\($0)" }
        let toNumbers = (0...2).map { "+1666000000\($0)" } + (0..<12).map { "+1888\($0)" }
        var failures = 0
        for index in 0..<300 {
            var query = RandomCalls.randomQuery(&g)
            // Long lists (bit sets and hash sets) and short ones (searched in place), known and unknown values.
            let size = [1, 2, 5, 9, 40, 1000][index % 6]
            query.filter.agentIDs = longList(agents, count: size, &g)
            if index % 2 == 0 { query.filter.fromNumbers = longList(fromNumbers, count: size, &g) }
            if index % 3 == 0 { query.filter.toNumbers = longList(toNumbers, count: size, &g) }
            if index % 5 == 0 {
                // Only values the base has, or only values it lacks.
                query.filter.agentIDs = index % 10 == 0 ? Array(agents.prefix(4 + index % 3)) : Array(agents.suffix(12))
            }
            query.page = Int64.random(in: 0...3, using: &g)
            for organization in RandomCalls.organizations {
                expectSame(indexed, reference, query, organization: organization, failures: &failures)
            }
        }
        #expect(failures == 0)
    }

    @Test func deltaFilterOfAnOrganizationWithoutBaseMatchesByString() throws {
        // An organization first written after the store was built lives in the delta of an empty base.
        let store = try IndexedCallStore(calls: [TestSupport.call("c0", organization: "org-old")])
        let calls = (0..<40).map { index in
            TestSupport.call("c\(index)", organization: "org-new", agent: "agent-\(index % 10)", from: "+1\(index % 4)")
        }
        let indexed = store.applying(calls.map { .upsert($0) })
        let reference = try InMemoryCallStore(calls: [TestSupport.call("c0", organization: "org-old")]).applying(calls.map { .upsert($0) })
        var failures = 0
        for agents in [["agent-3"], (0..<9).map { "agent-\($0 * 2)" }, (0..<1000).map { "agent-\($0)" }, ["none"]] {
            let query = ListQuery(limit: 100, filter: CallFilter(agentIDs: agents, fromNumbers: (0..<20).map { "+1\($0)" }))
            expectSame(indexed, reference, query, organization: "org-new", failures: &failures)
        }
        #expect(failures == 0)
    }

    // MARK: - Prefix terms

    /// Calls with distinct start times (so a narrow start range makes the matcher test rows one by one against
    /// the other criteria) and transcripts of random words.
    private func prefixStore(_ g: inout Generator, count: Int) -> [Call] {
        (0..<count).map { index in
            TestSupport.call(
                "p-\(index)", organization: "org-p", agent: "agent-\(index % 5)", start: Int64(index) * 1_000,
                transcript: RandomCalls.randomTranscript(&g))
        }
    }

    @Test func prefixSearchesAgreeWithTheReferenceWhenRowsAreTestedOneByOne() throws {
        var g = Generator(seed: 31)
        let calls = prefixStore(&g, count: 3000)
        let indexed = try IndexedCallStore(calls: calls)
        let reference = try InMemoryCallStore(calls: calls)
        let searches = ["he*", "c*", "he* c*", "a* z*", "x* o* t*", "ref* help", "4* 42", "zz*", "h* he* hel* help*", "u* s*"]
        var failures = 0
        for search in searches {
            for window in [(0, 3_000_000), (1_000_000, 1_030_000), (2_500_000, 2_510_000), (0, 40_000)] {
                let query = ListQuery(
                    limit: 100, filter: CallFilter(startTimestamp: ThresholdRange(lower: Int64(window.0), upper: Int64(window.1)),
                        transcriptSearch: TranscriptQuery(search)))
                expectSame(indexed, reference, query, organization: "org-p", failures: &failures)
                var withAgent = query
                withAgent.filter.agentIDs = ["agent-2"]
                expectSame(indexed, reference, withAgent, organization: "org-p", failures: &failures)
            }
        }
        #expect(failures == 0)
    }

    @Test func prefixTermsAreTestedByTheirWordsRowsNeverByTranscripts() throws {
        var g = Generator(seed: 32)
        let store = try IndexedCallStore(calls: prefixStore(&g, count: 600))
        let partition = try #require(store.partitions["org-p"]).base
        let search = try #require(TranscriptQuery("he* c* re*"))
        let constraints = try #require(PartitionMatcher.constraints(CallFilter(transcriptSearch: search), partition))
        #expect(constraints.count == 3)
        for constraint in constraints {
            guard case .anyWord = constraint.kind else {
                Issue.record("a prefix of several words is planned as its words' rows")
                continue
            }
            let tester = constraint.tester(partition)
            #expect(!tester.readsTranscripts)
            guard case .bitmap(let union) = tester else {
                Issue.record("the tester is the union of the words' rows")
                continue
            }
            // Exactly the rows the constraint selects.
            let selected = constraint.rows(partition, within: 0..<partition.rowCount)
            #expect(union.rows(in: RowBitmap.wordRange(0..<partition.rowCount)) == selected)
        }
        // A phrase still verifies its candidates against transcripts (off the loop, by `listCost`).
        let phrase = try #require(TranscriptQuery("\"he* card\""))
        let phraseConstraints = try #require(PartitionMatcher.constraints(CallFilter(transcriptSearch: phrase), partition))
        #expect(phraseConstraints.contains { $0.tester(partition).readsTranscripts })
    }

    // MARK: - Repeated terms

    @Test func repeatedTermsArePlannedOnce() throws {
        #expect(TranscriptQuery("a* a* a*")?.phrases == [[.init(word: "a", isPrefix: true)]])
        #expect(TranscriptQuery("a* a* a*")?.text == "a* a* a*")
        #expect(TranscriptQuery("Help help HÉLP")?.phrases == [[.init(word: "help")], [.init(word: "hélp".folded)]].uniquedInOrder())
        #expect(TranscriptQuery("help* help")?.phrases.count == 2)
        let query = try #require(TranscriptQuery(#""credit card" credit "credit card" card credit"#))
        #expect(query.phrases == [[.init(word: "credit"), .init(word: "card")], [.init(word: "credit")], [.init(word: "card")]])
        var g = Generator(seed: 33)
        let store = try IndexedCallStore(calls: prefixStore(&g, count: 200))
        let partition = try #require(store.partitions["org-p"]).base
        let constraints = try #require(PartitionMatcher.constraints(CallFilter(transcriptSearch: TranscriptQuery("a* a* a*")), partition))
        #expect(constraints.count == 1)
    }

    @Test func repeatedTermsGiveTheSamePagesAsTermsGivenOnce() throws {
        var g = Generator(seed: 34)
        var ids = 0
        let options = IndexedCallStore.Options(minimumDelta: 20, rebuildDivisor: 4, rebuildInBackground: true)
        let (indexed, reference) = try RandomCalls.writtenStores(&g, size: 900, batches: 10, ids: &ids, options: options)
        var failures = 0
        for search in RandomCalls.searches {
            // Repeated outside quotes (a quoted search repeated keeps its quotes balanced).
            // Upper case where it folds back to the same words (`ß` upper-cases to `SS`, another word).
            let shouted = search.uppercased().lowercased() == search.lowercased() ? search.uppercased() : search
            let repeated = [search, shouted, search].joined(separator: search.filter { $0 == "\"" }.count % 2 == 0 ? " " : "\" ")
            var once = RandomCalls.randomQuery(&g)
            once.filter.transcriptSearch = TranscriptQuery(search)
            var thrice = once
            thrice.filter.transcriptSearch = TranscriptQuery(repeated)
            for organization in RandomCalls.organizations {
                let first = indexed.list(once, organizationID: organization)
                let second = indexed.list(thrice, organizationID: organization)
                // The repetition plans as the single search did, and so answers the same page.
                #expect(once.filter.transcriptSearch?.phrases == thrice.filter.transcriptSearch?.phrases, "\(repeated)")
                if first != second { failures += 1 }
                expectSame(indexed, reference, thrice, organization: organization, failures: &failures)
            }
        }
        #expect(failures == 0)
    }

    // MARK: - Cost classification

    @Test func transcriptsAndPhrasesAreSlow() throws {
        var g = Generator(seed: 35)
        let store = try IndexedCallStore(calls: prefixStore(&g, count: 300))
        #expect(!store.listCost(ListQuery(includeTranscript: true), organizationID: "org-p").isQuick)
        #expect(!store.listCost(ListQuery(includeTranscript: true), organizationID: "org-none").isQuick)
        for search in [#""credit card""#, #"help "he* card""#, #""a b c d e""#] {
            let query = ListQuery(filter: CallFilter(transcriptSearch: TranscriptQuery(search)))
            #expect(!store.listCost(query, organizationID: "org-p").isQuick, "\(search)")
        }
    }

    @Test func usualQueriesAreQuick() throws {
        var g = Generator(seed: 36)
        let store = try IndexedCallStore(calls: prefixStore(&g, count: 300))
        let filters = [
            CallFilter(),
            CallFilter(statuses: [.ended], agentIDs: ["agent-1", "agent-2"]),
            CallFilter(agentIDs: (0..<1000).map { "agent-\($0)" }),
            CallFilter(transcriptSearch: TranscriptQuery("help refund* card")),
            CallFilter(transcriptSearch: TranscriptQuery((0..<32).map { "w\($0)*" }.joined(separator: " "))),
        ]
        for filter in filters {
            #expect(store.listCost(ListQuery(filter: filter), organizationID: "org-p").isQuick, "\(filter)")
        }
        #expect(store.listCost(ListQuery(), organizationID: "org-none").operations == 0)
    }

    @Test func costGrowsWithTheDeltaAndTheLists() throws {
        var g = Generator(seed: 37)
        let calls = prefixStore(&g, count: 300)
        let options = IndexedCallStore.Options(minimumDelta: Int.max, rebuildDivisor: 1, rebuildInBackground: false)
        let store = try IndexedCallStore(calls: calls, options: options)
        let written = store.applying((0..<200).map { index in
            .upsert(TestSupport.call("d-\(index)", organization: "org-p", transcript: RandomCalls.randomTranscript(&g)))
        })
        let short = ListQuery(filter: CallFilter(agentIDs: ["agent-1"], transcriptSearch: TranscriptQuery("he*")))
        var long = short
        long.filter.agentIDs = (0..<1000).map { "agent-\($0)" }
        let before = store.listCost(short, organizationID: "org-p").operations
        let after = written.listCost(short, organizationID: "org-p").operations
        #expect(after > before)
        #expect(written.listCost(long, organizationID: "org-p").operations > after)
    }

    @Test func aPrefixOverAVastVocabularyIsSlow() throws {
        // 5,000 distinct words starting with "w": past what is summed per query.
        let calls = (0..<1000).map { index in
            TestSupport.call("v-\(index)", organization: "org-v", start: Int64(index),
                transcript: (0..<5).map { "w\(index * 5 + $0)" }.joined(separator: " "))
        }
        let store = try IndexedCallStore(calls: calls)
        #expect(!store.listCost(ListQuery(filter: CallFilter(transcriptSearch: TranscriptQuery("w*"))), organizationID: "org-v").isQuick)
        #expect(store.listCost(ListQuery(filter: CallFilter(transcriptSearch: TranscriptQuery("w12*"))), organizationID: "org-v").isQuick)
    }
}

extension String {
    /// The word as a query folds it.
    fileprivate var folded: String { TextNormalizer.fold(self) }
}

extension RowTester {
    /// Whether the test reads the row's transcript (a phrase verification), which only work off the event loop may do.
    var readsTranscripts: Bool {
        if case .phrase = self { return true }
        return false
    }
}
