import Testing

@testable import CallCore

/// The schemas are stated from the same field lists and constants the decoders enforce: a field the decoder takes
/// and the schema omits (or the reverse) fails here.
struct APISchemasTests {
    private func propertyNames(_ schema: JSONValue?) -> [String] {
        guard case .object(let members)? = schema?["properties"] else { return [] }
        return members.map(\.key)
    }

    /// The list body's schema without its `null` alternative.
    private func nonNull(_ schema: JSONValue?) -> JSONValue? {
        guard case .array(let alternatives)? = schema?["anyOf"] else { return schema }
        return alternatives.first { $0["type"] != "null" }
    }

    @Test func listRequestNamesExactlyTheDecodersFields() {
        #expect(propertyNames(ListSchemas.request) == ListRequestDecoder.topLevelFields)
        let filter = ListSchemas.request["properties"]?["filter_criteria"]
        #expect(propertyNames(filter) == ListRequestDecoder.filterFields)
        let range = filter?["properties"]?["duration_ms"]
        #expect(propertyNames(range) == ListRequestDecoder.rangeFields)
        #expect(ListSchemas.request["additionalProperties"] == false)
        #expect(filter?["additionalProperties"] == false)
    }

    @Test func listRequestStatesDefaultsAndBoundsFromTheQuery() {
        let properties = ListSchemas.request["properties"]
        #expect(properties?["limit"]?["default"] == .integer(Int64(ListQuery.defaultLimit)))
        #expect(properties?["limit"]?["minimum"] == .integer(ListQuery.limitRange.lowerBound))
        #expect(properties?["limit"]?["maximum"] == .integer(ListQuery.limitRange.upperBound))
        #expect(properties?["page"]?["type"] == ["integer", "null"])
        #expect(properties?["sort_by"]?["enum"] == .array(SortField.allCases.map { .string($0.rawValue) }))
        let statuses = properties?["filter_criteria"]?["properties"]?["call_status"]
        #expect(statuses?["maxItems"] == .integer(Int64(ListQuery.maxListItems)))
    }

    @Test func anyCaseEnumerationPatternMatchesEverySpellingTheDecoderTakes() throws {
        let schema = SchemaVocabulary.anyCase(CallStatus.self, "status")
        guard case .array(let alternatives)? = schema["anyOf"], case .string(let pattern)? = alternatives.last?["pattern"] else {
            Issue.record("no pattern alternative")
            return
        }
        let regex = try Regex(pattern)
        for spelling in ["ENDED", "ended", "Ended", "eNdEd", "SCHEDULED", "error"] {
            #expect(CallStatus(caseInsensitive: spelling) != nil)
            #expect(spelling.wholeMatch(of: regex) != nil, "\(spelling)")
        }
        for spelling in ["END", "ended ", "ENDEDX", "finished", ""] {
            #expect(CallStatus(caseInsensitive: spelling) == nil)
            #expect(spelling.wholeMatch(of: regex) == nil, "\(spelling)")
        }
    }

    @Test func callIDSchemaMatchesTheRecordRules() throws {
        let schema = CallSchemas.callID
        guard case .string(let pattern)? = schema["pattern"] else {
            Issue.record("no pattern")
            return
        }
        let regex = try Regex(pattern)
        for text in ["call-1", "a.b_c:d-e", String(repeating: "x", count: 128)] {
            #expect(CallRecordRules.isValidCallID(text))
            #expect(text.wholeMatch(of: regex) != nil && text.count <= 128)
        }
        for text in ["call 1", "café", "a/b"] {
            #expect(!CallRecordRules.isValidCallID(text))
            #expect(text.wholeMatch(of: regex) == nil)
        }
        #expect(schema["not"]?["enum"] == [.string(CallRecordRules.reservedCallID)])
    }

    @Test func schemasAreJSONThatReadsBackTheSame() throws {
        for schema in [ListSchemas.request, ListSchemas.data, CallSchemas.call, CallSchemas.callReference, EnvelopeSchemas.error] {
            let bytes = schema.jsonBytes
            let parsed = try JSONReader.parse(bytes)
            #expect(parsed == schema)
        }
    }
}
