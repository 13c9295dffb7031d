import CallCore
import Testing

@Suite("ListRequestDecoder: filter_criteria")
struct ListFilterDecodingTests {
    private func filter(_ criteria: String) throws(APIError) -> CallFilter {
        try ListRequestDecoder.decode(Array(#"{"filter_criteria":\#(criteria)}"#.utf8)).filter
    }

    private func expectRejected(_ criteria: String, naming path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = TestSupport.apiError({ () throws(APIError) in try filter(criteria) }) else {
            Issue.record("accepted: \(criteria)", sourceLocation: sourceLocation)
            return
        }
        #expect(error.status == 400 && error.code == "invalid_request", sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix(path + " "), "\(error.message)", sourceLocation: sourceLocation)
    }

    // MARK: - Enumeration lists

    @Test func enumerationListsAreCaseInsensitive() throws {
        let decoded = try filter(#"{"call_status":["Ended","ONGOING","scheduled"],"call_type":["web_call"],"direction":["InBound"]}"#)
        #expect(decoded.statuses == [.ended, .ongoing, .scheduled])
        #expect(decoded.types == [.webCall])
        #expect(decoded.directions == [.inbound])
    }

    @Test func listsAreDeduplicatedInFirstSeenOrder() throws {
        let decoded = try filter(#"{"call_status":["ended","ENDED","ongoing","Ended"],"agent_id":["b","a","b"],"from_number":["+1","+1"]}"#)
        #expect(decoded.statuses == [.ended, .ongoing])
        #expect(decoded.agentIDs == ["b", "a"])
        #expect(decoded.fromNumbers == ["+1"])
    }

    @Test func unknownEnumerationValueIsNamedByIndex() {
        expectRejected(#"{"call_status":["ended","finished"]}"#, naming: "filter_criteria.call_status[1]")
        expectRejected(#"{"call_type":["phone"]}"#, naming: "filter_criteria.call_type[0]")
        expectRejected(#"{"direction":["in","out"]}"#, naming: "filter_criteria.direction[0]")
        expectRejected(#"{"call_status":[""]}"#, naming: "filter_criteria.call_status[0]")
    }

    @Test func enumerationParsingIsASCIIOnly() {
        // U+0131 (dotless i) upper-cases to I under Unicode rules; it must not be accepted as REGISTERED.
        expectRejected(#"{"call_status":["regıstered"]}"#, naming: "filter_criteria.call_status[0]")
    }

    @Test func nonStringListItemIsNamedByIndex() {
        expectRejected(#"{"call_status":["ended",1]}"#, naming: "filter_criteria.call_status[1]")
        expectRejected(#"{"agent_id":["a",null]}"#, naming: "filter_criteria.agent_id[1]")
        expectRejected(#"{"from_number":[["+1"]]}"#, naming: "filter_criteria.from_number[0]")
        expectRejected(#"{"to_number":[true]}"#, naming: "filter_criteria.to_number[0]")
        expectRejected(#"{"call_type":[{}]}"#, naming: "filter_criteria.call_type[0]")
        expectRejected(#"{"direction":[1.5]}"#, naming: "filter_criteria.direction[0]")
    }

    @Test func listFieldThatIsNotAListIsRejected() {
        for name in ["call_status", "agent_id", "call_type", "direction", "from_number", "to_number"] {
            expectRejected(#"{"\#(name)":"ended"}"#, naming: "filter_criteria.\(name)")
            expectRejected(#"{"\#(name)":{}}"#, naming: "filter_criteria.\(name)")
        }
    }

    @Test func emptyListsAreTheSameAsNotGiven() throws {
        let decoded = try filter(#"{"call_status":[],"agent_id":[],"call_type":[],"direction":[],"from_number":[],"to_number":[]}"#)
        #expect(decoded == CallFilter())
    }

    @Test func stringListsKeepValuesExactly() throws {
        let decoded = try filter(#"{"agent_id":["Agent-1","agent-1"],"to_number":["+15550000002"]}"#)
        #expect(decoded.agentIDs == ["Agent-1", "agent-1"])
        #expect(decoded.toNumbers == ["+15550000002"])
    }

    // MARK: - Ranges

    @Test func rangesKeepOnlyGivenBounds() throws {
        #expect(try filter(#"{"duration_ms":{"lower_threshold":5}}"#).duration == ThresholdRange(lower: 5))
        #expect(try filter(#"{"start_timestamp":{"upper_threshold":9}}"#).startTimestamp == ThresholdRange(upper: 9))
        #expect(try filter(#"{"updated_timestamp":{"lower_threshold":4}}"#).updatedTimestamp == ThresholdRange(lower: 4))
        #expect(try filter(#"{"duration_ms":{"lower_threshold":3,"upper_threshold":3}}"#).duration == ThresholdRange(lower: 3, upper: 3))
    }

    @Test func emptyRangeIsTheSameAsNotGiven() throws {
        #expect(try filter(#"{"duration_ms":{},"start_timestamp":{"lower_threshold":null},"updated_timestamp":{}}"#) == CallFilter())
    }

    @Test func thresholdsMustBeNonNegativeIntegers() {
        for range in ["duration_ms", "start_timestamp", "updated_timestamp"] {
            for bound in ["lower_threshold", "upper_threshold"] {
                for value in ["-1", "1.0", "\"5\"", "true", "[]", "1e3", "9223372036854775808"] {
                    expectRejected(#"{"\#(range)":{"\#(bound)":\#(value)}}"#, naming: "filter_criteria.\(range).\(bound)")
                }
            }
            expectRejected(#"{"\#(range)":[1,2]}"#, naming: "filter_criteria.\(range)")
            expectRejected(#"{"\#(range)":5}"#, naming: "filter_criteria.\(range)")
        }
    }

    @Test func lowerAboveUpperIsRejectedNamingLowerThreshold() {
        expectRejected(#"{"duration_ms":{"lower_threshold":10,"upper_threshold":9}}"#, naming: "filter_criteria.duration_ms.lower_threshold")
        expectRejected(#"{"start_timestamp":{"upper_threshold":0,"lower_threshold":1}}"#, naming: "filter_criteria.start_timestamp.lower_threshold")
        expectRejected(#"{"updated_timestamp":{"lower_threshold":2,"upper_threshold":1}}"#, naming: "filter_criteria.updated_timestamp.lower_threshold")
    }

    // MARK: - transcript_search

    @Test func transcriptSearchIsTrimmedAndParsed() throws {
        let search = try filter(#"{"transcript_search":"  help support\n"}"#).transcriptSearch
        #expect(search?.text == "help support")
        #expect(search?.phrases.count == 2)
    }

    @Test func transcriptSearchWithoutWordsIsNoSearch() throws {
        #expect(try filter(#"{"transcript_search":""}"#).transcriptSearch == nil)
        #expect(try filter(#"{"transcript_search":"   "}"#).transcriptSearch == nil)
        #expect(try filter(#"{"transcript_search":"\"*?! --"}"#).transcriptSearch == nil)
    }

    @Test func transcriptSearchMustBeAString() {
        for value in ["1", "[\"a\"]", "true", "{}"] {
            expectRejected(#"{"transcript_search":\#(value)}"#, naming: "filter_criteria.transcript_search")
        }
    }

    @Test func transcriptSearchAllowsAThousandCharactersCountedAsScalars() throws {
        // 1,000 emoji are 4,000 UTF-8 bytes but 1,000 characters.
        let emoji = String(repeating: "😀", count: 999) + "a"
        #expect(try filter(#"{"transcript_search":"\#(emoji)"}"#).transcriptSearch?.text == emoji)
        #expect(try filter(#"{"transcript_search":"\#(String(repeating: "a", count: 1000))"}"#).transcriptSearch != nil)
        expectRejected(#"{"transcript_search":"\#(String(repeating: "a", count: 1001))"}"#, naming: "filter_criteria.transcript_search")
        expectRejected(#"{"transcript_search":"\#(String(repeating: "é", count: 1001))"}"#, naming: "filter_criteria.transcript_search")
    }
}
