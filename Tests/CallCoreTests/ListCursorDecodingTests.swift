import CallCore
import Testing

/// The `cursor` member of a list body: its place in the error order, `page` beside it, and both decoders agreeing.
@Suite struct ListCursorDecodingTests {
    private let token = ListCursorSigner(secret: [UInt8](repeating: 1, count: 32))
        .token(after: OrderKey(value: .integer(5), id: "x"), query: ListQuery(), organizationID: "org-a") ?? ""

    private func decoded(_ body: String) -> Result<ListQuery, APIError> {
        Result { () throws(APIError) in try ListRequestDecoder.decode(Array(body.utf8)) }
    }

    private func message(_ body: String) -> String? {
        guard case .failure(let error) = decoded(body) else { return nil }
        return error.message
    }

    @Test func aCursorIsDecodedAlikeOnBothPaths() throws {
        for body in [#"{"cursor":"\#(token)"}"#, #"{"limit":7,"page":null,"cursor":"\#(token)"}"#, #"{"cursor":"\#(token)","page":null}"#] {
            let query = try decoded(body).get()
            #expect(query.cursor == ListCursor(token: token))
            // The JSON tree (every error's path) gives the same query.
            let viaTree = try ListRequestDecoder.decode(JSONReader.parse(Array(body.utf8)))
            #expect(viaTree == query)
        }
        #expect(try decoded(#"{"cursor":null,"page":3}"#).get().cursor == nil)
    }

    @Test func aCursorWithAPageIsRefusedNamingCursor() {
        for body in [#"{"page":0,"cursor":"\#(token)"}"#, #"{"cursor":"\#(token)","page":4}"#] {
            #expect(message(body)?.hasPrefix("cursor ") == true, "\(body)")
        }
    }

    @Test func aMalformedCursorIsRefusedNamingCursor() {
        for value in [#""""#, #""!!""#, #""AAAA""#, "1", "true", "[]", #""\#(token)A""#] {
            #expect(message(#"{"cursor":\#(value)}"#)?.hasPrefix("cursor ") == true, "\(value)")
        }
    }

    @Test func cursorIsCheckedAfterFilterCriteria() {
        #expect(message(#"{"cursor":"!","filter_criteria":{"call_status":["x"]}}"#)?.hasPrefix("filter_criteria.call_status[0] ") == true)
        #expect(message(#"{"cursor":"!","include_transcript":1}"#)?.hasPrefix("include_transcript ") == true)
        #expect(message(#"{"cursor":"!","bogus":1}"#) == "Unknown field bogus.")
    }
}
