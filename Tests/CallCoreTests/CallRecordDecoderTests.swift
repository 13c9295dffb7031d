import CallCore
import Foundation
import Testing

/// A record body built from raw JSON member values, so a test can replace or drop one field.
struct RecordBody {
    var members: [(String, String)]

    /// A valid bulk-load line of an ended call.
    static let importLine = RecordBody(members: [
        ("id", #""0b6a1c1e-7c2f-4f9a-9d4e-1234567890ab""#),
        ("call_id", #""call-456""#),
        ("agent_id", #""agent-123""#),
        ("organization_id", #""org-789""#),
        ("call_status", #""ENDED""#),
        ("call_type", #""PHONE_CALL""#),
        ("direction", #""OUTBOUND""#),
        ("from_number", #""+0987654321""#),
        ("to_number", #""+1234567890""#),
        ("start_timestamp", "1703097600000"),
        ("end_timestamp", "1703097780000"),
        ("call_duration", "180000"),
        ("transcript", #""Hello, I need help with my refund.""#),
        ("metadata", #"{"campaign":"spring","tier":"gold"}"#),
    ])

    /// A valid PUT body (no id, no organization_id).
    static var putBody: RecordBody {
        importLine.removing("id").removing("organization_id")
    }

    func setting(_ key: String, _ value: String) -> RecordBody {
        var copy = self
        if let index = copy.members.firstIndex(where: { $0.0 == key }) {
            copy.members[index].1 = value
        } else {
            copy.members.append((key, value))
        }
        return copy
    }

    func removing(_ key: String) -> RecordBody {
        RecordBody(members: members.filter { $0.0 != key })
    }

    var bytes: [UInt8] {
        Array(("{" + members.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",") + "}").utf8)
    }
}

@Suite("CallRecordDecoder: bulk-load lines")
struct CallRecordDecoderTests {
    private func decode(_ body: RecordBody) throws(APIError) -> Call {
        try CallRecordDecoder.decodeImportLine(body.bytes)
    }

    /// Asserts a 400 whose message begins with the field name.
    private func expectRejected(_ body: RecordBody, naming field: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = TestSupport.apiError({ () throws(APIError) in try decode(body) }) else {
            Issue.record("accepted", sourceLocation: sourceLocation)
            return
        }
        #expect(error.status == 400 && error.code == "invalid_request", sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix(field + " "), "\(error.message)", sourceLocation: sourceLocation)
    }

    private let line = RecordBody.importLine

    @Test func decodesAFullLine() throws {
        let call = try decode(line)
        #expect(call.id == "0b6a1c1e-7c2f-4f9a-9d4e-1234567890ab")
        #expect(call.callID == "call-456")
        #expect(call.agentID == "agent-123")
        #expect(call.organizationID == "org-789")
        #expect(call.status == .ended)
        #expect(call.type == .phoneCall)
        #expect(call.direction == .outbound)
        #expect(call.fromNumber == "+0987654321")
        #expect(call.toNumber == "+1234567890")
        #expect(call.startTimestamp == 1_703_097_600_000)
        #expect(call.endTimestamp == 1_703_097_780_000)
        #expect(call.duration == 180_000)
        #expect(call.transcript == "Hello, I need help with my refund.")
        #expect(call.metadata == ["campaign": "spring", "tier": "gold"])
    }

    @Test func optionalFieldsMayBeLeftOutOrNull() throws {
        let minimal = line.removing("id").removing("from_number").removing("to_number").removing("call_duration")
            .removing("transcript").removing("metadata")
        let call = try decode(minimal)
        #expect(CallRecordRules.isLowercaseUUID(call.id))
        #expect(call.fromNumber == nil && call.toNumber == nil)
        #expect(call.transcript.isEmpty && call.metadata.isEmpty)
        let nulls = line.setting("id", "null").setting("from_number", "null").setting("to_number", "null")
            .setting("call_duration", "null").setting("transcript", "null").setting("metadata", "null")
        let nulled = try decode(nulls)
        #expect(CallRecordRules.isLowercaseUUID(nulled.id) && nulled.fromNumber == nil && nulled.transcript.isEmpty)
    }

    @Test func assignsDistinctIDsWhenAbsent() throws {
        let body = line.removing("id")
        #expect(try decode(body).id != decode(body).id)
    }

    @Test func enumerationsAreCaseInsensitive() throws {
        let call = try decode(line.setting("call_status", #""error""#).setting("call_type", #""Web_Call""#).setting("direction", #""inbound""#))
        #expect(call.status == .error && call.type == .webCall && call.direction == .inbound)
    }

    @Test func requiredFieldsAreNamedWhenMissing() {
        for field in ["call_id", "agent_id", "organization_id", "call_status", "call_type", "direction", "start_timestamp"] {
            expectRejected(line.removing(field), naming: field)
            expectRejected(line.setting(field, "null"), naming: field)
        }
    }

    @Test func unknownFieldIsRejectedFirst() {
        let error = TestSupport.apiError { () throws(APIError) in try decode(line.setting("agent_id", "1").setting("duration", "5")) }
        #expect(error?.message == "Unknown field duration.")
    }

    @Test func idMustBeALowerCaseUUID() {
        for value in [#""0B6A1C1E-7C2F-4F9A-9D4E-1234567890AB""#, #""not-a-uuid""#, #""0b6a1c1e7c2f4f9a9d4e1234567890ab""#, "1", #""""#] {
            expectRejected(line.setting("id", value), naming: "id")
        }
    }

    @Test func callIDFollowsTheCharacterRule() throws {
        #expect(try decode(line.setting("call_id", #""A.b_c:d-9""#)).callID == "A.b_c:d-9")
        #expect(try decode(line.setting("call_id", "\"\(String(repeating: "x", count: 128))\"")).callID.count == 128)
        for value in [#""""#, "\"\(String(repeating: "x", count: 129))\"", #""a b""#, #""a/b""#, #""café""#, "5", #""import""#] {
            expectRejected(line.setting("call_id", value), naming: "call_id")
        }
    }

    @Test func agentIDIsOneTo128Characters() throws {
        #expect(try decode(line.setting("agent_id", "\"\(String(repeating: "é", count: 128))\"")).agentID.unicodeScalars.count == 128)
        expectRejected(line.setting("agent_id", #""""#), naming: "agent_id")
        expectRejected(line.setting("agent_id", "\"\(String(repeating: "a", count: 129))\""), naming: "agent_id")
        expectRejected(line.setting("agent_id", "7"), naming: "agent_id")
    }

    @Test func enumerationsRejectUnknownValuesAndWrongTypes() {
        expectRejected(line.setting("call_status", #""DONE""#), naming: "call_status")
        expectRejected(line.setting("call_status", "1"), naming: "call_status")
        expectRejected(line.setting("call_type", #""SMS""#), naming: "call_type")
        expectRejected(line.setting("direction", #""SIDEWAYS""#), naming: "direction")
    }

    @Test func phoneNumbersMustBeE164() throws {
        #expect(try decode(line.setting("from_number", #""+1234567""#)).fromNumber == "+1234567")
        #expect(try decode(line.setting("to_number", #""+123456789012345""#)).toNumber == "+123456789012345")
        for value in [#""1234567890""#, #""+123456""#, #""+1234567890123456""#, #""+12 3456789""#, #""+１２３４５６７""#, #""""#, "1234567"] {
            expectRejected(line.setting("from_number", value), naming: "from_number")
            expectRejected(line.setting("to_number", value), naming: "to_number")
        }
    }

    @Test func timestampsMustBeIntegersUpToYear9999() throws {
        let start = line.setting("call_status", #""ONGOING""#).removing("end_timestamp").removing("call_duration")
        #expect(try decode(start.setting("start_timestamp", "0")).startTimestamp == 0)
        #expect(try decode(start.setting("start_timestamp", "253402300799999")).startTimestamp == 253_402_300_799_999)
        for value in ["-1", "253402300800000", "1.0", "1e12", #""1703097600000""#, "true", "99999999999999999999"] {
            expectRejected(start.setting("start_timestamp", value), naming: "start_timestamp")
            expectRejected(line.setting("end_timestamp", value).removing("call_duration"), naming: "end_timestamp")
        }
    }

    @Test func endedAndErrorCallsMustCarryEndTimestamp() {
        expectRejected(line.removing("end_timestamp").removing("call_duration"), naming: "end_timestamp")
        expectRejected(line.setting("call_status", #""ERROR""#).setting("end_timestamp", "null").removing("call_duration"), naming: "end_timestamp")
    }

    @Test func unfinishedCallsMustNotCarryEndTimestamp() throws {
        for status in ["SCHEDULED", "REGISTERED", "ONGOING"] {
            expectRejected(line.setting("call_status", "\"\(status)\""), naming: "end_timestamp")
            let call = try decode(line.setting("call_status", "\"\(status)\"").removing("end_timestamp").removing("call_duration"))
            #expect(call.endTimestamp == nil && call.duration == nil)
        }
    }

    @Test func endMustNotPrecedeStart() throws {
        expectRejected(line.setting("end_timestamp", "1703097599999").removing("call_duration"), naming: "end_timestamp")
        #expect(try decode(line.setting("end_timestamp", "1703097600000").setting("call_duration", "0")).duration == 0)
    }

    @Test func givenDurationMustEqualEndMinusStart() {
        expectRejected(line.setting("call_duration", "180001"), naming: "call_duration")
        expectRejected(line.setting("call_duration", "180000.0"), naming: "call_duration")
        expectRejected(line.setting("call_duration", #""180000""#), naming: "call_duration")
        expectRejected(line.setting("call_duration", "99999999999999999999"), naming: "call_duration")
        let ongoing = line.setting("call_status", #""ONGOING""#).removing("end_timestamp")
        expectRejected(ongoing.setting("call_duration", "0"), naming: "call_duration")
    }

    @Test func transcriptIsAtMost256KiBOfUTF8() throws {
        let limit = 256 * 1024
        #expect(try decode(line.setting("transcript", "\"\(String(repeating: "a", count: limit))\"")).transcript.utf8.count == limit)
        expectRejected(line.setting("transcript", "\"\(String(repeating: "a", count: limit + 1))\""), naming: "transcript")
        // 2-byte characters: half as many characters reach the byte limit.
        expectRejected(line.setting("transcript", "\"\(String(repeating: "é", count: limit / 2 + 1))\""), naming: "transcript")
        expectRejected(line.setting("transcript", "[]"), naming: "transcript")
    }

    @Test func metadataLimits() throws {
        let fifty = (0..<50).map { #""k\#($0)":"v""# }.joined(separator: ",")
        #expect(try decode(line.setting("metadata", "{\(fifty)}")).metadata.count == 50)
        expectRejected(line.setting("metadata", #"{\#(fifty),"k50":"v"}"#), naming: "metadata")
        expectRejected(line.setting("metadata", #"{"":"v"}"#), naming: "metadata")
        expectRejected(line.setting("metadata", "{\"\(String(repeating: "k", count: 65))\":\"v\"}"), naming: "metadata")
        #expect(try decode(line.setting("metadata", "{\"\(String(repeating: "k", count: 64))\":\"\(String(repeating: "v", count: 1024))\"}")).metadata.count == 1)
        expectRejected(line.setting("metadata", "{\"k\":\"\(String(repeating: "v", count: 1025))\"}"), naming: "metadata.k")
        expectRejected(line.setting("metadata", #"{"k":1}"#), naming: "metadata.k")
        expectRejected(line.setting("metadata", #"{"k":null}"#), naming: "metadata.k")
        expectRejected(line.setting("metadata", #"{"k":{"a":"b"}}"#), naming: "metadata.k")
        expectRejected(line.setting("metadata", #"["a"]"#), naming: "metadata")
        expectRejected(line.setting("metadata", #""a=b""#), naming: "metadata")
    }

    @Test func metadataKeepsOrder() throws {
        let call = try decode(line.setting("metadata", #"{"z":"1","a":"2"}"#))
        #expect(call.metadata.entries.map(\.key) == ["z", "a"])
    }

    @Test func fieldsAreCheckedInTableOrder() {
        // Every field broken at once: the earliest in the record table is reported.
        var broken = line.setting("metadata", "1").setting("transcript", "1").setting("call_duration", "1")
            .setting("start_timestamp", "-1").setting("to_number", "1").setting("from_number", "1")
            .setting("direction", "1").setting("call_type", "1").setting("call_status", "1")
            .setting("organization_id", "1").setting("agent_id", "1").setting("call_id", "1").setting("id", "1")
        for field in ["id", "call_id", "agent_id", "organization_id", "call_status", "call_type", "direction",
                      "from_number", "to_number", "start_timestamp"] {
            expectRejected(broken, naming: field)
            // Repair this field to its valid value and expect the next one.
            broken = broken.setting(field, RecordBody.importLine.members.first { $0.0 == field }?.1 ?? "null")
        }
        expectRejected(broken, naming: "call_duration")
        expectRejected(broken.removing("call_duration"), naming: "transcript")
        expectRejected(broken.removing("call_duration").removing("transcript"), naming: "metadata")
    }

    @Test func malformedLineIsInvalidRequest() {
        let error = TestSupport.apiError { () throws(APIError) in try CallRecordDecoder.decodeImportLine(Array(#"{"call_id":"a",}"#.utf8)) }
        #expect(error?.code == "invalid_request")
        #expect(error?.message.contains("byte 15") == true)
        let array = TestSupport.apiError { () throws(APIError) in try CallRecordDecoder.decodeImportLine(Array("[]".utf8)) }
        #expect(array?.code == "invalid_request")
    }

    @Test func decodesFromASliceOfABiggerBuffer() throws {
        let bytes = Array("junk\n".utf8) + line.bytes + Array("\nmore".utf8)
        let call = try CallRecordDecoder.decodeImportLine(bytes[5..<(5 + line.bytes.count)])
        #expect(call.callID == "call-456")
    }
}

@Suite("CallRecordDecoder: field names")
struct CallFieldNameTests {
    @Test func everyRecordFieldNameIsRecognizedAndNearMissesAreUnknown() {
        let names = ["id", "call_id", "agent_id", "organization_id", "call_status", "call_type", "direction", "from_number",
                     "to_number", "start_timestamp", "end_timestamp", "call_duration", "transcript", "metadata"]
        for name in names {
            // Recognized: the error for a wrong type names the field, not "Unknown field".
            let error = TestSupport.apiError { () throws(APIError) in try CallRecordDecoder.decodeImportLine(Array(#"{"\#(name)":[]}"#.utf8)) }
            #expect(error?.message.hasPrefix("Unknown field") == false, "\(name)")
        }
        for name in ["Id", "call_ID", "agent_ie", "metadatA", "call_typo", "directiom", "to_numbers", "transcripts", "", "c", "call_statuz"] {
            let error = TestSupport.apiError { () throws(APIError) in try CallRecordDecoder.decodeImportLine(Array(#"{"\#(name)":1}"#.utf8)) }
            #expect(error?.message == "Unknown field \(name).", "\(name)")
        }
    }
}

@Suite("CallRecordDecoder: new ids")
struct NewCallIDTests {
    @Test func newIDsAreLowerCaseRandomUUIDs() {
        var seen = Set<String>()
        for _ in 0..<2000 {
            let id = CallRecordDecoder.newID()
            let bytes = Array(id.utf8)
            #expect(bytes.count == 36)
            for (index, byte) in bytes.enumerated() {
                if [8, 13, 18, 23].contains(index) {
                    #expect(byte == UInt8(ascii: "-"), "\(id)")
                } else {
                    #expect((UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte), "\(id)")
                }
            }
            // Version 4 and the RFC 9562 variant, as Foundation's UUID would parse and report them.
            #expect(bytes[14] == UInt8(ascii: "4"), "\(id)")
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19]), "\(id)")
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
            seen.insert(id)
        }
        #expect(seen.count == 2000)
    }
}
