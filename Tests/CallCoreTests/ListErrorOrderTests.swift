import CallCore
import Testing

/// API.md: unknown fields first, then the fields in table order; inside `filter_criteria` unknown fields first, then its
/// fields in order; inside a range unknown fields, lower, upper, then lower > upper.
@Suite("ListRequestDecoder: which error is reported first")
struct ListErrorOrderTests {
    private func message(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        guard let error = TestSupport.apiError({ () throws(APIError) in try ListRequestDecoder.decode(Array(body.utf8)) }) else {
            Issue.record("accepted: \(body)", sourceLocation: sourceLocation)
            return ""
        }
        return error.message
    }

    @Test func unknownTopLevelFieldBeatsEveryInvalidValue() {
        #expect(message(#"{"page":-1,"limit":0,"bogus":1,"filter_criteria":{"nope":1}}"#) == "Unknown field bogus.")
    }

    @Test func firstUnknownFieldInDocumentOrderIsReported() {
        #expect(message(#"{"zeta":1,"alpha":2}"#) == "Unknown field zeta.")
    }

    @Test func topLevelFieldsAreCheckedInTableOrderNotDocumentOrder() {
        #expect(message(#"{"limit":0,"page":-1}"#).hasPrefix("page "))
        #expect(message(#"{"sort_by":"x","limit":0}"#).hasPrefix("limit "))
        #expect(message(#"{"sort_order":"x","sort_by":"x"}"#).hasPrefix("sort_by "))
        #expect(message(#"{"include_transcript":1,"sort_order":"x"}"#).hasPrefix("sort_order "))
        #expect(message(#"{"filter_criteria":1,"include_transcript":1}"#).hasPrefix("include_transcript "))
    }

    @Test func invalidTopLevelValueBeatsUnknownFilterField() {
        #expect(message(#"{"filter_criteria":{"nope":1},"limit":500}"#).hasPrefix("limit "))
    }

    @Test func unknownFilterFieldBeatsInvalidFilterValues() {
        #expect(message(#"{"filter_criteria":{"call_status":["x"],"nope":1}}"#) == "Unknown field filter_criteria.nope.")
    }

    @Test func filterFieldsAreCheckedInTableOrder() {
        let order = [
            ("call_status", #"["x"]"#, "filter_criteria.call_status[0]"),
            ("agent_id", "[1]", "filter_criteria.agent_id[0]"),
            ("call_type", #"["x"]"#, "filter_criteria.call_type[0]"),
            ("direction", #"["x"]"#, "filter_criteria.direction[0]"),
            ("from_number", "[1]", "filter_criteria.from_number[0]"),
            ("to_number", "[1]", "filter_criteria.to_number[0]"),
            ("duration_ms", #"{"lower_threshold":-1}"#, "filter_criteria.duration_ms.lower_threshold"),
            ("start_timestamp", #"{"lower_threshold":-1}"#, "filter_criteria.start_timestamp.lower_threshold"),
            ("transcript_search", "1", "filter_criteria.transcript_search"),
            ("updated_timestamp", #"{"lower_threshold":-1}"#, "filter_criteria.updated_timestamp.lower_threshold"),
        ]
        // With every field invalid, written in reverse, the earliest in table order must be reported; then drop it and repeat.
        for first in order.indices {
            let members = order[first...].reversed().map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",")
            #expect(message(#"{"filter_criteria":{\#(members)}}"#).hasPrefix(order[first].2 + " "), "\(order[first].0)")
        }
    }

    @Test func earlierListItemIsReportedFirst() {
        #expect(message(#"{"filter_criteria":{"call_status":["ended",2,"bogus"]}}"#).hasPrefix("filter_criteria.call_status[1] "))
        #expect(message(#"{"filter_criteria":{"call_status":["ended","bogus",2]}}"#).hasPrefix("filter_criteria.call_status[1] "))
    }

    @Test func rangeChecksUnknownThenLowerThenUpperThenOrder() {
        let prefix = #"{"filter_criteria":{"duration_ms":"#
        #expect(message(prefix + #"{"upper_threshold":-1,"lower_threshold":-1,"x":1}}}"#) == "Unknown field filter_criteria.duration_ms.x.")
        #expect(message(prefix + #"{"upper_threshold":-1,"lower_threshold":-1}}}"#).hasPrefix("filter_criteria.duration_ms.lower_threshold "))
        #expect(message(prefix + #"{"upper_threshold":-1,"lower_threshold":1}}}"#).hasPrefix("filter_criteria.duration_ms.upper_threshold "))
        #expect(message(prefix + #"{"upper_threshold":1,"lower_threshold":2}}}"#).hasPrefix("filter_criteria.duration_ms.lower_threshold "))
    }

    @Test func malformedJSONBeatsEverything() {
        #expect(message(#"{"bogus":1,"page":-1,}"#).contains("not valid JSON"))
    }
}
