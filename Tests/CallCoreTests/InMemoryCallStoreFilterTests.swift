import CallCore
import Testing

@Suite("InMemoryCallStore: loading and filters")
struct InMemoryCallStoreFilterTests {
    private let calls: [Call] = [
        TestSupport.call("a", agent: "agent-1", status: .ended, type: .phoneCall, direction: .inbound,
                         from: "+15550000001", to: "+15550000009", start: 1_000, end: 31_000,
                         transcript: "Hello, I need help with my credit card refund."),
        TestSupport.call("b", agent: "agent-2", status: .ongoing, type: .webCall, direction: .outbound,
                         from: nil, to: "+15550000008", start: 2_000, transcript: "Support line: the café is closed."),
        TestSupport.call("c", agent: "agent-1", status: .error, type: .webCall, direction: .inbound,
                         from: "+15550000002", to: nil, start: 3_000, end: 303_000, transcript: "card credit, refunds pending"),
        TestSupport.call("d", agent: "agent-3", status: .scheduled, type: .phoneCall, direction: .outbound,
                         from: "+15550000001", to: "+15550000009", start: 4_000),
        TestSupport.call("a", organization: "org-2", agent: "agent-1", status: .ended, start: 5_000, transcript: "help"),
    ]

    private func store() throws -> InMemoryCallStore {
        try InMemoryCallStore(calls: calls)
    }

    private func callIDs(_ filter: CallFilter, organization: String = "org-1") throws -> [String] {
        let query = ListQuery(limit: 100, sortBy: .callID, sortOrder: .ascending, filter: filter)
        return try store().list(query, organizationID: organization).calls.map(\.callID)
    }

    @Test func countsEveryCallAcrossOrganizations() throws {
        #expect(try store().count == 5)
    }

    @Test func rejectsDuplicateCallIDWithinAnOrganization() {
        let error = TestSupport.apiError { () throws(APIError) in
            try InMemoryCallStore(calls: [TestSupport.call("x", id: TestSupport.uuid(for: "1")), TestSupport.call("x", id: TestSupport.uuid(for: "2"))])
        }
        #expect(error?.code == "invalid_request")
        #expect(error?.message.contains("call_id") == true)
    }

    @Test func rejectsDuplicateID() {
        let error = TestSupport.apiError { () throws(APIError) in
            try InMemoryCallStore(calls: [TestSupport.call("x", id: TestSupport.uuid(for: "1")),
                                          TestSupport.call("y", id: TestSupport.uuid(for: "1"), organization: "org-2")])
        }
        #expect(error?.message.hasPrefix("id ") == true)
    }

    @Test func organizationsAreIsolated() throws {
        #expect(try callIDs(CallFilter(), organization: "org-2") == ["a"])
        #expect(try callIDs(CallFilter(), organization: "nobody").isEmpty)
        #expect(try store().call(organizationID: "org-2", callID: "b") == nil)
        #expect(try store().call(organizationID: "org-1", callID: "b")?.agentID == "agent-2")
    }

    @Test func noFilterListsEveryCallOfTheOrganization() throws {
        #expect(try callIDs(CallFilter()) == ["a", "b", "c", "d"])
    }

    @Test func filtersByStatusTypeAndDirection() throws {
        #expect(try callIDs(CallFilter(statuses: [.ended, .error])) == ["a", "c"])
        #expect(try callIDs(CallFilter(types: [.webCall])) == ["b", "c"])
        #expect(try callIDs(CallFilter(directions: [.outbound])) == ["b", "d"])
    }

    @Test func filtersByAgentExactly() throws {
        #expect(try callIDs(CallFilter(agentIDs: ["agent-1"])) == ["a", "c"])
        #expect(try callIDs(CallFilter(agentIDs: ["AGENT-1"])).isEmpty)
        #expect(try callIDs(CallFilter(agentIDs: ["agent-2", "agent-3"])) == ["b", "d"])
    }

    @Test func filtersByNumbersAndNeverMatchesAMissingNumber() throws {
        #expect(try callIDs(CallFilter(fromNumbers: ["+15550000001"])) == ["a", "d"])
        #expect(try callIDs(CallFilter(toNumbers: ["+15550000008", "+15550000009"])) == ["a", "b", "d"])
    }

    @Test func durationFilterIsInclusiveAndNeedsAKnownDuration() throws {
        #expect(try callIDs(CallFilter(duration: ThresholdRange(lower: 0))) == ["a", "c"])
        #expect(try callIDs(CallFilter(duration: ThresholdRange(lower: 30_000, upper: 30_000))) == ["a"])
        #expect(try callIDs(CallFilter(duration: ThresholdRange(lower: 30_001))) == ["c"])
        #expect(try callIDs(CallFilter(duration: ThresholdRange(upper: 299_999))) == ["a"])
    }

    @Test func startTimestampFilterIsInclusive() throws {
        #expect(try callIDs(CallFilter(startTimestamp: ThresholdRange(lower: 2_000, upper: 3_000))) == ["b", "c"])
        #expect(try callIDs(CallFilter(startTimestamp: ThresholdRange(lower: 4_001))).isEmpty)
    }

    @Test func transcriptSearchFindsWordsPrefixesAndPhrases() throws {
        #expect(try callIDs(CallFilter(transcriptSearch: TranscriptQuery("help"))) == ["a"])
        #expect(try callIDs(CallFilter(transcriptSearch: TranscriptQuery("CAFE"))) == ["b"])
        #expect(try callIDs(CallFilter(transcriptSearch: TranscriptQuery("refund*"))) == ["a", "c"])
        #expect(try callIDs(CallFilter(transcriptSearch: TranscriptQuery("refund"))) == ["a"])
        #expect(try callIDs(CallFilter(transcriptSearch: TranscriptQuery(#""credit card""#))) == ["a"])
        #expect(try callIDs(CallFilter(transcriptSearch: TranscriptQuery(#""card credit""#))) == ["c"])
        #expect(try callIDs(CallFilter(transcriptSearch: TranscriptQuery("credit card"))) == ["a", "c"])
        #expect(try callIDs(CallFilter(transcriptSearch: TranscriptQuery("unknownword"))).isEmpty)
        #expect(try callIDs(CallFilter(transcriptSearch: TranscriptQuery("zz*"))).isEmpty)
    }

    @Test func allCriteriaMustHold() throws {
        let filter = CallFilter(statuses: [.ended, .error, .ongoing], agentIDs: ["agent-1"], types: [.webCall],
                                transcriptSearch: TranscriptQuery("refund*"))
        #expect(try callIDs(filter) == ["c"])
        #expect(try store().list(ListQuery(filter: filter), organizationID: "org-1").totalCount == 1)
    }
}
