import CallCore
import Testing

@Suite("ListRequestDecoder: fields, defaults and null")
struct ListRequestDecoderTests {
    private func decode(_ body: String) throws(APIError) -> ListQuery {
        try ListRequestDecoder.decode(Array(body.utf8))
    }

    /// The 400 a body earns; fails the test when it decodes.
    private func rejection(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) -> APIError {
        guard let error = TestSupport.apiError({ () throws(APIError) in try decode(body) }) else {
            Issue.record("accepted: \(body)", sourceLocation: sourceLocation)
            return APIError(status: 0, code: "", message: "")
        }
        #expect(error.status == 400, sourceLocation: sourceLocation)
        #expect(error.code == "invalid_request", sourceLocation: sourceLocation)
        return error
    }

    /// Asserts the body is rejected with a message that starts with the field path.
    private func expectRejected(_ body: String, naming path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = rejection(body, sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix(path + " "), "\(error.message)", sourceLocation: sourceLocation)
    }

    /// Asserts the body is rejected for the unknown field at `path`.
    private func expectUnknown(_ body: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = rejection(body, sourceLocation: sourceLocation)
        #expect(error.message == "Unknown field \(path).", sourceLocation: sourceLocation)
    }

    // MARK: - Defaults

    @Test func emptyBodyMeansAllDefaults() throws {
        let query = try ListRequestDecoder.decode([UInt8]())
        #expect(query == ListQuery())
        #expect(query.page == 0)
        #expect(query.limit == 20)
        #expect(query.sortBy == .startTimestamp)
        #expect(query.sortOrder == .descending)
        #expect(query.includeTranscript == false)
        #expect(query.filter == CallFilter())
    }

    @Test func emptyObjectMeansAllDefaults() throws {
        #expect(try decode("{}") == ListQuery())
    }

    @Test func explicitNullMeansNotGiven() throws {
        let body = #"{"page":null,"limit":null,"sort_by":null,"sort_order":null,"include_transcript":null,"filter_criteria":null}"#
        #expect(try decode(body) == ListQuery())
        let filter = #"{"filter_criteria":{"call_status":null,"agent_id":null,"call_type":null,"direction":null,"from_number":null,"to_number":null,"duration_ms":null,"start_timestamp":null,"transcript_search":null}}"#
        #expect(try decode(filter) == ListQuery())
        let bounds = #"{"filter_criteria":{"duration_ms":{"lower_threshold":null,"upper_threshold":5}}}"#
        #expect(try decode(bounds).filter.duration == ThresholdRange(lower: nil, upper: 5))
    }

    @Test func decodesTheFullExampleFromTheContract() throws {
        let body = """
            {"page":0,"limit":50,"sort_by":"start_timestamp","sort_order":"descending",
             "filter_criteria":{"call_status":["ongoing","ended"],"agent_id":["agent-123"],
             "duration_ms":{"lower_threshold":30000,"upper_threshold":300000},
             "transcript_search":"help support"}}
            """
        let query = try decode(body)
        #expect(query.limit == 50)
        #expect(query.filter.statuses == [.ongoing, .ended])
        #expect(query.filter.agentIDs == ["agent-123"])
        #expect(query.filter.duration == ThresholdRange(lower: 30_000, upper: 300_000))
        #expect(query.filter.transcriptSearch?.text == "help support")
    }

    // MARK: - Whole body

    @Test func malformedJSONIsInvalidRequest() {
        let error = rejection(#"{"page":1"#)
        #expect(error.message.contains("not valid JSON"))
        _ = rejection(" ")
        _ = rejection(#"{"page":1,"page":2}"#)
    }

    @Test func nonObjectBodyIsInvalidRequest() {
        for body in ["[]", "null", "1", "\"x\"", "true"] {
            #expect(rejection(body).message.contains("must be a JSON object"))
        }
    }

    @Test func unknownTopLevelFieldIsNamed() {
        expectUnknown(#"{"filter_critera":{}}"#, "filter_critera")
        expectUnknown(#"{"Page":1}"#, "Page")
    }

    @Test func unknownFilterFieldIsNamedWithItsPath() {
        expectUnknown(#"{"filter_criteria":{"status":["ended"]}}"#, "filter_criteria.status")
    }

    @Test func unknownRangeFieldIsNamedWithItsPath() {
        expectUnknown(#"{"filter_criteria":{"duration_ms":{"min":1}}}"#, "filter_criteria.duration_ms.min")
        expectUnknown(#"{"filter_criteria":{"start_timestamp":{"lower":1}}}"#, "filter_criteria.start_timestamp.lower")
    }

    // MARK: - page and limit

    @Test func pageAcceptsAnyNonNegativeInt64() throws {
        #expect(try decode(#"{"page":0}"#).page == 0)
        #expect(try decode(#"{"page":9223372036854775807}"#).page == Int64.max)
        #expect(try decode(#"{"page":-0}"#).page == 0)
    }

    @Test func pageRejectsNegativeFloatsBoolsStringsAndHugeNumbers() {
        for value in ["-1", "1.0", "1e2", "true", "\"1\"", "[1]", "{}", "9223372036854775808"] {
            expectRejected(#"{"page":\#(value)}"#, naming: "page")
        }
    }

    @Test func limitAcceptsOneThroughHundred() throws {
        #expect(try decode(#"{"limit":1}"#).limit == 1)
        #expect(try decode(#"{"limit":100}"#).limit == 100)
    }

    @Test func limitRejectsOutOfRangeAndWrongTypes() {
        for value in ["0", "101", "-1", "20.0", "false", "\"20\"", "99999999999999999999"] {
            expectRejected(#"{"limit":\#(value)}"#, naming: "limit")
        }
    }

    // MARK: - sort_by, sort_order, include_transcript

    @Test func sortByAcceptsExactlyTheFiveFields() throws {
        #expect(try decode(#"{"sort_by":"start_timestamp"}"#).sortBy == .startTimestamp)
        #expect(try decode(#"{"sort_by":"end_timestamp"}"#).sortBy == .endTimestamp)
        #expect(try decode(#"{"sort_by":"call_duration"}"#).sortBy == .callDuration)
        #expect(try decode(#"{"sort_by":"call_id"}"#).sortBy == .callID)
        #expect(try decode(#"{"sort_by":"updated_timestamp"}"#).sortBy == .updatedTimestamp)
        for value in ["\"START_TIMESTAMP\"", "\"duration\"", "\"\"", "1", "[\"call_id\"]"] {
            expectRejected(#"{"sort_by":\#(value)}"#, naming: "sort_by")
        }
    }

    @Test func sortOrderAcceptsLongAndShortSpellings() throws {
        #expect(try decode(#"{"sort_order":"ascending"}"#).sortOrder == .ascending)
        #expect(try decode(#"{"sort_order":"asc"}"#).sortOrder == .ascending)
        #expect(try decode(#"{"sort_order":"descending"}"#).sortOrder == .descending)
        #expect(try decode(#"{"sort_order":"desc"}"#).sortOrder == .descending)
        for value in ["\"ASC\"", "\"up\"", "\"\"", "0", "true"] {
            expectRejected(#"{"sort_order":\#(value)}"#, naming: "sort_order")
        }
    }

    @Test func includeTranscriptMustBeABoolean() throws {
        #expect(try decode(#"{"include_transcript":true}"#).includeTranscript)
        #expect(try decode(#"{"include_transcript":false}"#).includeTranscript == false)
        for value in ["1", "0", "\"true\"", "[]"] {
            expectRejected(#"{"include_transcript":\#(value)}"#, naming: "include_transcript")
        }
    }

    @Test func filterCriteriaMustBeAnObject() {
        for value in ["[]", "\"x\"", "1", "true"] {
            expectRejected(#"{"filter_criteria":\#(value)}"#, naming: "filter_criteria")
        }
    }
}
