import CallCore
import Testing

@Suite("CallRecordDecoder: PUT, import-route and PATCH bodies")
struct CallWriteBodyTests {
    private let id = "11111111-2222-3333-4444-555555555555"

    private func put(_ body: RecordBody, path: String = "call-456") throws(APIError) -> Call {
        try CallRecordDecoder.decodePutBody(body.bytes, pathCallID: path, organizationID: "org-key", id: id)
    }

    private func message(_ body: () throws(APIError) -> Call) -> String {
        TestSupport.apiError(body)?.message ?? "accepted"
    }

    @Test func putTakesOrganizationAndIDFromTheServer() throws {
        let call = try put(.putBody)
        #expect(call.organizationID == "org-key")
        #expect(call.id == id)
        #expect(call.callID == "call-456")
    }

    @Test func putRejectsIDAndOrganizationIDInTheBody() {
        #expect(message { () throws(APIError) in try put(RecordBody.putBody.setting("id", #""\#(id)""#)) }.hasPrefix("id "))
        #expect(message { () throws(APIError) in try put(RecordBody.putBody.setting("organization_id", #""x""#)) }.hasPrefix("organization_id "))
    }

    @Test func putBodyCallIDIsOptionalButMustEqualThePath() throws {
        #expect(try put(RecordBody.putBody.removing("call_id"), path: "from-path").callID == "from-path")
        #expect(try put(RecordBody.putBody.setting("call_id", "null"), path: "from-path").callID == "from-path")
        #expect(message { () throws(APIError) in try put(.putBody, path: "other") }.hasPrefix("call_id "))
    }

    @Test func putNullMeansNotGivenForOptionalFields() throws {
        let call = try put(RecordBody.putBody.setting("metadata", "null").setting("transcript", "null").setting("from_number", "null"))
        #expect(call.metadata.isEmpty && call.transcript.isEmpty && call.fromNumber == nil)
    }

    @Test func importRouteLineMustCarryCallID() throws {
        let body = RecordBody.putBody
        let call = try CallRecordDecoder.decodeImportRouteLine(body.bytes[...], organizationID: "org-key")
        #expect(call.callID == "call-456" && call.organizationID == "org-key" && CallRecordRules.isLowercaseUUID(call.id))
        let missing = message { () throws(APIError) in
            try CallRecordDecoder.decodeImportRouteLine(body.removing("call_id").bytes[...], organizationID: "org-key")
        }
        #expect(missing.hasPrefix("call_id "))
        let withOrganization = message { () throws(APIError) in
            try CallRecordDecoder.decodeImportRouteLine(body.setting("organization_id", #""o""#).bytes[...], organizationID: "org-key")
        }
        #expect(withOrganization.hasPrefix("organization_id "))
    }

    // MARK: - PATCH

    private var ongoing: Call {
        TestSupport.call("call-456", id: id, organization: "org-key", status: .ongoing, from: "+15550000001", start: 1_000,
                         transcript: "hi", metadata: ["a": "b"])
    }

    private func patch(_ json: String) throws(APIError) -> Call {
        try CallRecordDecoder.decodePatchBody(Array(json.utf8), current: ongoing)
    }

    @Test func patchEndsAnOngoingCall() throws {
        let call = try patch(#"{"call_status":"ended","end_timestamp":61000}"#)
        #expect(call.status == .ended && call.endTimestamp == 61_000 && call.duration == 60_000)
        #expect(call.id == id && call.transcript == "hi" && call.metadata == ["a": "b"] && call.fromNumber == "+15550000001")
    }

    @Test func patchEmptyObjectChangesNothing() throws {
        #expect(try patch("{}") == ongoing)
    }

    @Test func patchNullClearsNullableFields() throws {
        let call = try patch(#"{"from_number":null,"to_number":null,"metadata":null}"#)
        #expect(call.fromNumber == nil && call.toNumber == nil && call.metadata.isEmpty)
    }

    @Test func patchNullIsRejectedForOtherFields() {
        for field in ["call_id", "agent_id", "call_status", "call_type", "direction", "start_timestamp", "transcript", "call_duration"] {
            #expect(message { () throws(APIError) in try patch(#"{"\#(field)":null}"#) }.hasPrefix(field + " "), "\(field)")
        }
    }

    @Test func patchReplacesMetadataAndTranscriptWhole() throws {
        let call = try patch(#"{"metadata":{"x":"y"},"transcript":"new"}"#)
        #expect(call.metadata == ["x": "y"] && call.transcript == "new")
    }

    @Test func patchResultMustPassThePutRules() {
        #expect(message { () throws(APIError) in try patch(#"{"call_status":"ENDED"}"#) }.hasPrefix("end_timestamp "))
        #expect(message { () throws(APIError) in try patch(#"{"end_timestamp":5000}"#) }.hasPrefix("end_timestamp "))
        #expect(message { () throws(APIError) in try patch(#"{"call_status":"ended","end_timestamp":999}"#) }.hasPrefix("end_timestamp "))
        #expect(message { () throws(APIError) in try patch(#"{"call_status":"ended","end_timestamp":2000,"call_duration":5}"#) }.hasPrefix("call_duration "))
        #expect(message { () throws(APIError) in try patch(#"{"call_id":"other"}"#) }.hasPrefix("call_id "))
        #expect(message { () throws(APIError) in try patch(#"{"id":"x"}"#) }.hasPrefix("id "))
    }

    @Test func patchCanReopenAnEndedCallOnlyByClearingTheEnd() throws {
        let ended = TestSupport.call("c-1", status: .ended, start: 1_000, end: 2_000)
        let reopen = Array(#"{"call_status":"ONGOING"}"#.utf8)
        #expect(TestSupport.apiError { () throws(APIError) in try CallRecordDecoder.decodePatchBody(reopen, current: ended) }?.message.hasPrefix("end_timestamp ") == true)
        let cleared = try CallRecordDecoder.decodePatchBody(Array(#"{"call_status":"ONGOING","end_timestamp":null}"#.utf8), current: ended)
        #expect(cleared.status == .ongoing && cleared.endTimestamp == nil)
    }
}
