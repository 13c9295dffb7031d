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
        #expect(schema["not"]?["enum"] == .array(CallRecordRules.reservedCallIDs.map { .string($0) }))
    }

    /// The keys a write body may carry, from the decoder's field list.
    /// The body fields a write may carry: not the ones the server decides (`updated_timestamp` among them, so a
    /// body that carries it breaks the schema as it breaks the decoder).
    private var writeFields: [String] {
        CallBodyField.allCases.filter { ![.id, .organizationID, .updatedTimestamp].contains($0) }.map(\.key)
    }

    @Test func returnedCallsAlwaysCarryTheStampAfterTheDuration() {
        for schema in [CallSchemas.call, CallSchemas.listedCall] {
            let names = propertyNames(schema)
            #expect(names.firstIndex(of: "updated_timestamp") == names.firstIndex(of: "call_duration").map { $0 + 1 })
            guard case .array(let required)? = schema["required"] else {
                Issue.record("no required list")
                continue
            }
            #expect(required.contains("updated_timestamp"))
            #expect(schema["properties"]?["updated_timestamp"]?["type"] == "integer")
        }
        #expect(propertyNames(ListSchemas.data["properties"]?["applied_filters"]).last == "updated_timestamp")
    }

    /// Whether `schema` accepts `null` (a `null` type or a `null` alternative).
    private func takesNull(_ schema: JSONValue?) -> Bool {
        if case .array(let types)? = schema?["type"] { return types.contains("null") }
        if case .array(let alternatives)? = schema?["anyOf"] { return alternatives.contains { $0["type"] == "null" } }
        return false
    }

    @Test func writeBodiesNameExactlyTheDecodersFields() {
        for schema in [WriteSchemas.put, WriteSchemas.patch, WriteSchemas.importLine] {
            #expect(propertyNames(schema) == writeFields)
            #expect(schema["additionalProperties"] == false)
        }
        #expect(WriteSchemas.put["required"] == ["agent_id", "call_status", "call_type", "direction", "start_timestamp"])
        #expect(WriteSchemas.importLine["required"] == ["call_id", "agent_id", "call_status", "call_type", "direction", "start_timestamp"])
        #expect(WriteSchemas.patch["required"] == nil)
    }

    @Test func patchTakesNullExactlyWhereItClears() {
        let properties = WriteSchemas.patch["properties"]
        let nullable = writeFields.filter { takesNull(properties?[$0]) }
        #expect(nullable == ["from_number", "to_number", "end_timestamp", "metadata"])
        // In a PUT, null is "not given": optional fields take it, required ones do not.
        let putNullable = writeFields.filter { takesNull(WriteSchemas.put["properties"]?[$0]) }
        #expect(putNullable == ["call_id", "from_number", "to_number", "end_timestamp", "call_duration", "transcript", "metadata"])
    }

    @Test func endedStatusesRequireAnEndTimestampAndOthersForbidIt() {
        for schema in [WriteSchemas.put, WriteSchemas.importLine] {
            #expect(schema["if"]?["required"] == ["call_status"])
            #expect(schema["then"]?["required"] == ["end_timestamp"])
            #expect(schema["then"]?["properties"]?["end_timestamp"]?["type"] == "integer")
            #expect(schema["else"]?["properties"]?["end_timestamp"]?["type"] == "null")
        }
    }

    @Test func schemasAreJSONThatReadsBackTheSame() throws {
        for schema in [
            ListSchemas.request, ListSchemas.data, CallSchemas.call, CallSchemas.callReference, EnvelopeSchemas.error,
            WriteSchemas.put, WriteSchemas.patch, WriteSchemas.importBody, WriteSchemas.importData, OperationsSchemas.health,
        ] {
            let bytes = schema.jsonBytes
            let parsed = try JSONReader.parse(bytes)
            #expect(parsed == schema)
        }
    }
}
