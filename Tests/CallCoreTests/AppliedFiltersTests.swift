import CallCore
import Testing

@Suite("applied_filters normalization")
struct AppliedFiltersTests {
    private func applied(_ body: String) throws -> String {
        let query = try ListRequestDecoder.decode(Array(body.utf8))
        return String(decoding: query.filter.appliedFiltersJSON, as: UTF8.self)
    }

    @Test func noCriteriaIsAnEmptyObject() throws {
        #expect(try applied("") == "{}")
        #expect(try applied(#"{"filter_criteria":{}}"#) == "{}")
        #expect(try applied(#"{"filter_criteria":null}"#) == "{}")
    }

    @Test func contractExampleIsEchoedNormalized() throws {
        let body = #"{"filter_criteria":{"call_status":["ongoing","ended"],"agent_id":["agent-123"],"duration_ms":{"lower_threshold":30000,"upper_threshold":300000},"transcript_search":"help support"}}"#
        #expect(try applied(body) == #"{"call_status":["ongoing","ended"],"agent_id":["agent-123"],"duration_ms":{"lower_threshold":30000,"upper_threshold":300000},"transcript_search":"help support"}"#)
    }

    @Test func enumerationListsAreLowerCaseAndDeduplicated() throws {
        let body = #"{"filter_criteria":{"call_status":["ENDED","ended","Ongoing"],"call_type":["WEB_CALL","web_call"],"direction":["INBOUND"]}}"#
        #expect(try applied(body) == #"{"call_status":["ended","ongoing"],"call_type":["web_call"],"direction":["inbound"]}"#)
    }

    @Test func stringListsKeepCaseAndAreDeduplicatedInFirstSeenOrder() throws {
        let body = #"{"filter_criteria":{"agent_id":["b","A","b","a"],"from_number":["+1","+1"],"to_number":["+2"]}}"#
        #expect(try applied(body) == #"{"agent_id":["b","A","a"],"from_number":["+1"],"to_number":["+2"]}"#)
    }

    @Test func emptyListsAndEmptyRangesAreLeftOut() throws {
        let body = #"{"filter_criteria":{"call_status":[],"agent_id":[],"duration_ms":{},"start_timestamp":{"upper_threshold":null},"updated_timestamp":{}}}"#
        #expect(try applied(body) == "{}")
    }

    @Test func rangesKeepOnlyTheGivenBounds() throws {
        let body = #"{"filter_criteria":{"duration_ms":{"upper_threshold":5},"start_timestamp":{"lower_threshold":0},"updated_timestamp":{"upper_threshold":7,"lower_threshold":null}}}"#
        #expect(try applied(body) == #"{"duration_ms":{"upper_threshold":5},"start_timestamp":{"lower_threshold":0},"updated_timestamp":{"upper_threshold":7}}"#)
    }

    @Test func transcriptSearchIsTrimmedOrLeftOutWithoutWords() throws {
        #expect(try applied(#"{"filter_criteria":{"transcript_search":"  \"credit card\" refund*\n"}}"#)
            == #"{"transcript_search":"\"credit card\" refund*"}"#)
        #expect(try applied(#"{"filter_criteria":{"transcript_search":"  ?! "}}"#) == "{}")
        #expect(try applied(#"{"filter_criteria":{"transcript_search":""}}"#) == "{}")
    }

    @Test func keysFollowTheFilterTableOrder() throws {
        let body = #"{"filter_criteria":{"updated_timestamp":{"lower_threshold":2},"transcript_search":"x","start_timestamp":{"lower_threshold":1},"duration_ms":{"lower_threshold":1},"to_number":["+2"],"from_number":["+1"],"direction":["inbound"],"call_type":["web_call"],"agent_id":["a"],"call_status":["ended"]}}"#
        let value = try JSONReader.parse(try applied(body))
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["call_status", "agent_id", "call_type", "direction", "from_number", "to_number",
                                       "duration_ms", "start_timestamp", "transcript_search", "updated_timestamp"])
    }

    @Test func handBuiltFiltersAreNormalizedToo() {
        let filter = CallFilter(statuses: [.ended, .ended], agentIDs: ["x", "x"], duration: ThresholdRange())
        #expect(String(decoding: filter.appliedFiltersJSON, as: UTF8.self) == #"{"call_status":["ended"],"agent_id":["x"]}"#)
    }
}
