import CallCore
@testable import CallServer
import Testing

/// Which list bodies leave the event loop for a worker: decided after decoding, from the query's cost on the
/// organization's calls (`IndexedCallStore.listCost`), not from how the body is spelled.
@Suite struct ListDeferralTests {
    private static func store() throws -> IndexedCallStore {
        let calls = (0..<50).map { index in
            Call(
                id: "00000000-0000-4000-8000-\(String(100_000_000_000 + index))", callID: "c-\(index)", agentID: "a_b",
                organizationID: "org-1", status: .ended, type: .phoneCall, direction: .inbound, fromNumber: nil,
                toNumber: nil, startTimestamp: Int64(index) * 1_000, endTimestamp: Int64(index) * 1_000 + 500,
                transcript: "thank you for the refund order \(index)")
        }
        return try IndexedCallStore(calls: calls)
    }

    /// Whether the request leaves the event loop.
    private func isSlow(_ body: [UInt8], organizationID: String, in store: IndexedCallStore) -> Bool {
        switch ListCallsHandler.plan(body, organizationID: organizationID, in: store) {
        case .decodeOnWorker, .slow: return true
        case .invalid, .quick: return false
        }
    }

    @Test func transcriptsAndPhrasesDeferAndUsualQueriesDoNot() throws {
        let store = try Self.store()
        let slow = [
            #"{"include_transcript":true}"#,
            #"{"sort_by":"call_duration","include_transcript":true}"#,
            #"{"filter_criteria":{"transcript_search":"\"thank you\""}}"#,
            #"{"filter_criteria":{"transcript_search":"\u0022a b\u0022"}}"#,
            #"{"filt\u0065r_criteria":{"transcript_search":"refund \"thank you\""}}"#,
        ]
        let quick = [
            "", "{}", #"{"limit":20}"#,
            #"{"limit":5,"include_transcript":false}"#,
            #"{"limit":20,"filter_criteria":{"call_status":["ended"],"agent_id":["a_b"],"transcript_search":"refund order"}}"#,
            #"{"filter_criteria":{"agent_id":["a\u005fb"],"transcript_search":"ref* th*"}}"#,
            #"{"sort_by":"start_timestamp","sort_order":"desc"}"#,
            // Bodies that do not decode answer their 400 on the loop.
            #"{"include_transcrip":true}"#, #"\"#, #"{"filter_criteria":{"agent_id":[1]}}"#,
        ]
        for body in slow { #expect(isSlow(Array(body.utf8), organizationID: "org-1", in: store), "\(body)") }
        for body in quick { #expect(!isSlow(Array(body.utf8), organizationID: "org-1", in: store), "\(body)") }
        // A body too large to decode on the loop leaves it undecoded; one just below the size is decided by its cost.
        let padding = String(repeating: " ", count: ListCallsHandler.quickBodyBytes)
        #expect(isSlow(Array((#"{"limit":20}"# + padding).utf8), organizationID: "org-1", in: store))
        let agents = (0..<200).map { "\"a\($0)\"" }.joined(separator: ",")
        let listBody = #"{"filter_criteria":{"agent_id":[\#(agents)]}}"#
        #expect(listBody.utf8.count < ListCallsHandler.quickBodyBytes)
        #expect(!isSlow(Array(listBody.utf8), organizationID: "org-1", in: store))
        // Another organization's (or no) calls: only transcripts to return make it slow.
        #expect(!isSlow(Array(#"{"limit":20}"#.utf8), organizationID: "org-none", in: store))
        #expect(isSlow(Array(#"{"include_transcript":true}"#.utf8), organizationID: "org-none", in: store))
    }
}
