@testable import CallCore
import Testing

/// API.md: every filter list holds at most 1,000 items as sent (repeats included) and a search at most 32 distinct
/// terms; more is 400 `invalid_request` naming the field, in that field's place in the error order. Both decoders
/// agree: the byte reader gives such bodies up and the tree words the error.
@Suite("List request caps: 1,000 items per list, 32 distinct search terms")
struct ListCapsTests {
    private static let lists = ["call_status", "agent_id", "call_type", "direction", "from_number", "to_number"]

    /// A valid item of each list (enumeration lists need one of their names).
    private static func item(_ list: String, _ index: Int) -> String {
        switch list {
        case "call_status": return ["ended", "ONGOING", "error", "Registered"][index % 4]
        case "call_type": return ["phone_call", "WEB_CALL"][index % 2]
        case "direction": return ["inbound", "OUTBOUND"][index % 2]
        default: return "value-\(index)"
        }
    }

    private static func body(_ list: String, count: Int, repeating: Bool = false) -> [UInt8] {
        let items = (0..<count).map { "\"\(item(list, repeating ? 0 : $0))\"" }.joined(separator: ",")
        return Array(#"{"filter_criteria":{"\#(list)":[\#(items)]}}"#.utf8)
    }

    private static func search(_ text: String) -> [UInt8] {
        Array(#"{"filter_criteria":{"transcript_search":"\#(text)"}}"#.utf8)
    }

    private func decode(_ body: [UInt8]) -> Result<ListQuery, APIError> {
        Result { () throws(APIError) in try ListRequestDecoder.decode(body) }
    }

    private func error(_ body: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> APIError? {
        guard case .failure(let error) = decode(body) else {
            Issue.record("accepted", sourceLocation: sourceLocation)
            return nil
        }
        return error
    }

    private func fastPath(_ body: [UInt8]) -> ListQuery? {
        body.withUnsafeBytes { ListRequestBytes.decode($0) }
    }

    @Test func capsAreExposedForDocumentation() {
        #expect(ListQuery.maxListItems == 1000)
        #expect(TranscriptQuery.maxTerms == 32)
    }

    @Test func aListOfAThousandItemsIsAcceptedByBothDecoders() throws {
        for list in Self.lists {
            let body = Self.body(list, count: ListQuery.maxListItems)
            let query = try decode(body).get()
            // The fast path reads it too, and reads it as the tree does.
            #expect(fastPath(body) == query, "\(list)")
            let treeQuery = try body.withUnsafeBytes { raw in
                try Result { () throws(APIError) in try ListRequestDecoder.decodeThroughTree(raw) }.get()
            }
            #expect(treeQuery == query, "\(list)")
        }
        let agents = try decode(Self.body("agent_id", count: 1000)).get().filter.agentIDs
        #expect(agents.count == 1000)
        #expect(agents.first == "value-0" && agents.last == "value-999")
    }

    @Test func aListOfAThousandAndOneItemsIsRefusedNamingTheList() {
        for list in Self.lists {
            let body = Self.body(list, count: ListQuery.maxListItems + 1)
            #expect(fastPath(body) == nil, "\(list): the byte reader gives it up")
            let error = error(body)
            #expect(error?.status == 400)
            #expect(error?.code == "invalid_request")
            #expect(error?.message.hasPrefix("filter_criteria.\(list) ") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("1000") == true)
        }
    }

    @Test func repeatsCountAsSentButAreDroppedAfterwards() throws {
        for list in Self.lists {
            let accepted = try decode(Self.body(list, count: 1000, repeating: true)).get()
            let kept = [accepted.filter.statuses.count, accepted.filter.agentIDs.count, accepted.filter.types.count,
                accepted.filter.directions.count, accepted.filter.fromNumbers.count, accepted.filter.toNumbers.count]
            #expect(kept.reduce(0, +) == 1, "\(list): one distinct item kept")
            let refused = error(Self.body(list, count: 1001, repeating: true))
            #expect(refused?.message.hasPrefix("filter_criteria.\(list) ") == true, "\(list)")
        }
    }

    @Test func theCapIsTheListsOwnErrorBeforeItsItems() {
        // A bad item inside an over-long list: the list is too long whatever it holds.
        var items = (0..<1001).map { "\"a\($0)\"" }
        items[5] = "7"
        let body = Array(#"{"filter_criteria":{"agent_id":[\#(items.joined(separator: ","))]}}"#.utf8)
        #expect(error(body)?.message.hasPrefix("filter_criteria.agent_id ") == true)
        #expect(error(body)?.message.contains("[5]") == false)
    }

    @Test func theCapTakesItsFieldsPlaceInTheErrorOrder() {
        let long = (0..<1001).map { "\"a\($0)\"" }.joined(separator: ",")
        // call_status comes before agent_id, call_type after it, whatever the document order.
        let before = Array(#"{"filter_criteria":{"agent_id":[\#(long)],"call_status":["bogus"]}}"#.utf8)
        #expect(error(before)?.message.hasPrefix("filter_criteria.call_status[0]") == true)
        let after = Array(#"{"filter_criteria":{"call_type":["bogus"],"agent_id":[\#(long)]}}"#.utf8)
        #expect(error(after)?.message.hasPrefix("filter_criteria.agent_id ") == true)
        // Top-level fields come before filter_criteria; unknown filter fields before every filter field.
        let top = Array(#"{"filter_criteria":{"agent_id":[\#(long)]},"limit":0}"#.utf8)
        #expect(error(top)?.message.hasPrefix("limit ") == true)
        let unknown = Array(#"{"filter_criteria":{"agent_id":[\#(long)],"nope":1}}"#.utf8)
        #expect(error(unknown)?.message == "Unknown field filter_criteria.nope.")
        let laterList = Array(#"{"filter_criteria":{"to_number":[\#(long)],"from_number":[\#(long)]}}"#.utf8)
        #expect(error(laterList)?.message.hasPrefix("filter_criteria.from_number ") == true)
    }

    // MARK: - transcript_search

    private static func terms(_ count: Int) -> String {
        (0..<count).map { "w\($0)" }.joined(separator: " ")
    }

    @Test func thirtyTwoDistinctTermsAreAcceptedAndThirtyThreeRefused() throws {
        let accepted = Self.search(Self.terms(32))
        #expect(try decode(accepted).get().filter.transcriptSearch?.phrases.count == 32)
        #expect(fastPath(accepted) != nil)
        let refused = Self.search(Self.terms(33))
        #expect(fastPath(refused) == nil)
        let error = error(refused)
        #expect(error?.status == 400)
        #expect(error?.code == "invalid_request")
        #expect(error?.message.hasPrefix("filter_criteria.transcript_search ") == true, "\(error?.message ?? "")")
    }

    @Test func wordsPrefixesAndPhrasesEachCountAsOneTerm() throws {
        // 10 words, 10 prefixes, 12 phrases of two words: 32 terms of 44 words.
        let words = (0..<10).map { "w\($0)" }
        let prefixes = (0..<10).map { "p\($0)*" }
        let phrases = (0..<12).map { #"\"x\#($0) y\#($0)\""# }
        let text = (words + prefixes + phrases).joined(separator: " ")
        #expect(try decode(Self.search(text)).get().filter.transcriptSearch?.phrases.count == 32)
        #expect(error(Self.search(text + " one-more"))?.message.hasPrefix("filter_criteria.transcript_search ") == true)
        #expect(error(Self.search(text + #" \"one more\""#))?.message.hasPrefix("filter_criteria.transcript_search ") == true)
    }

    @Test func repeatedTermsCountOnce() throws {
        // 32 distinct terms, each given three times in several spellings: 96 written terms.
        let base = (0..<32).map { "w\($0)" }
        let text = (base + base.map { $0.uppercased() } + base).joined(separator: " ")
        let query = try decode(Self.search(text)).get()
        #expect(query.filter.transcriptSearch?.phrases.count == 32)
        // applied_filters still echoes the text as sent (trimmed).
        #expect(query.filter.transcriptSearch?.text == text)
        #expect(fastPath(Self.search(text)) == query)
        let phrase = #"\"credit card\""#
        let phrases = Array(repeating: phrase, count: 40).joined(separator: " ")
        #expect(try decode(Self.search(phrases)).get().filter.transcriptSearch?.phrases.count == 1)
    }

    @Test func theTermCapTakesItsFieldsPlaceInTheErrorOrder() {
        let body = Array(#"{"filter_criteria":{"transcript_search":"\#(Self.terms(33))","start_timestamp":{"lower_threshold":-1}}}"#.utf8)
        #expect(error(body)?.message.hasPrefix("filter_criteria.start_timestamp.lower_threshold") == true)
        let longList = (0..<1001).map { "\"a\($0)\"" }.joined(separator: ",")
        let listFirst = Array(#"{"filter_criteria":{"transcript_search":"\#(Self.terms(33))","to_number":[\#(longList)]}}"#.utf8)
        #expect(error(listFirst)?.message.hasPrefix("filter_criteria.to_number ") == true)
    }

    @Test func theSameCapsApplyToAnAlreadyParsedBody() throws {
        // The MCP tool passes the parsed object.
        let value = try #require(try? JSONReader.parse(Self.body("direction", count: 1001)))
        let error = TestSupport.apiError { () throws(APIError) in try ListRequestDecoder.decode(value) }
        #expect(error?.message.hasPrefix("filter_criteria.direction ") == true)
    }
}
