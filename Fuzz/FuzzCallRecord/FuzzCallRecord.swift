import FuzzSupport
@testable import CallCore

/// The call body decoders (bulk-load line, `PUT`, import-route line, `PATCH`) and the journal's mutation
/// records on any bytes: they answer a call or a 400, and a call they accept survives the journal's record
/// (`MutationRecord`) and the snapshot's binary form (`CallBinaryCodec`) unchanged, as a restart needs.
///
/// Input: a control byte choosing the decoder (its value modulo 6), then the body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(FuzzDriver.bytes(data, size))
    let mode = input.byte() % 6
    let body = Array(input.rest)
    let decoded: Result<Call, APIError>
    switch mode {
    case 0:
        decoded = Result { () throws(APIError) in try CallRecordDecoder.decodeImportLine(body, updatedWhenAbsent: 1_700_000_000_000) }
    case 1:
        decoded = Result { () throws(APIError) in
            try CallRecordDecoder.decodePutBody(body, pathCallID: "call-1", organizationID: "org-acme", id: CurrentCalls.id)
        }
    case 2:
        decoded = Result { () throws(APIError) in
            try CallRecordDecoder.decodeImportRouteLine(body[...], organizationID: "org-acme", id: CurrentCalls.id)
        }
    case 3:
        decoded = Result { () throws(APIError) in try CallRecordDecoder.decodePatchBody(body, current: CurrentCalls.ongoing) }
    case 4:
        decoded = Result { () throws(APIError) in try CallRecordDecoder.decodePatchBody(body, current: CurrentCalls.ended) }
    default:
        checkJournalRecord(body)
        return 0
    }
    if case .success(let call) = decoded { checkRoundTrips(call) }
    return 0
}

/// A call as journaled and as snapshotted must come back equal.
private func checkRoundTrips(_ call: Call) {
    let record = MutationRecord.encode([.upsert(call)])
    let replayed = Result { () throws(APIError) in try MutationRecord.decode(record, legacyUpdatedTimestamp: 0) }
    fuzzRequire(replayed == .success([.upsert(call)]), "journal record of \(call) replays as \(replayed)")
    let binary = CallBinaryCodec.encode([call])
    let loaded = binary.withUnsafeBytes { raw in
        Result { () throws(CallBinaryCodec.Corrupt) in try CallBinaryCodec.decode(raw, legacyUpdatedTimestamp: 0) }
    }
    if case .success(let calls) = loaded {
        fuzzRequire(calls == [call], "binary form of \(call) loads as \(calls)")
    } else {
        fuzzRequire(false, "binary form of \(call) is refused: \(loaded)")
    }
}

/// Any bytes as a journal record: an entry or a 500, and a mutation batch read from it is written back the same.
private func checkJournalRecord(_ record: [UInt8]) {
    let entry = Result { () throws(APIError) in try MutationRecord.decodeEntry(record, legacyUpdatedTimestamp: 0) }
    guard case .success(.mutations(let batch)) = entry else { return }
    let again = Result { () throws(APIError) in try MutationRecord.decode(MutationRecord.encode(batch), legacyUpdatedTimestamp: 0) }
    fuzzRequire(again == .success(batch), "batch \(batch) is read back as \(again)")
}

/// The stored calls a `PATCH` applies to.
private enum CurrentCalls {
    static let id = "0f8fad5b-d9cb-469f-a165-70867728950e"

    static let ongoing = call(#"{"id":"\#(id)","organization_id":"org-acme","call_id":"call-1","agent_id":"agent-1","call_status":"ONGOING","call_type":"PHONE_CALL","direction":"INBOUND","from_number":"+15551234567","to_number":null,"start_timestamp":1703097600000,"updated_timestamp":1703097600001}"#)

    static let ended = call(#"{"id":"\#(id)","organization_id":"org-acme","call_id":"call-1","agent_id":"agent-1","call_status":"ENDED","call_type":"WEB_CALL","direction":"OUTBOUND","from_number":null,"to_number":"+4930123456","start_timestamp":1703097600000,"end_timestamp":1703097780000,"updated_timestamp":1703097790000,"transcript":"Hello, I need help with my order.","metadata":{"campaign":"spring-1"}}"#)

    private static func call(_ line: String) -> Call {
        do {
            return try CallRecordDecoder.decodeImportLine(Array(line.utf8))
        } catch {
            fatalError("the fuzz target's own call does not decode: \(error)")
        }
    }
}

@main
enum FuzzCallRecord {
    static func main() {
        FuzzDriver.run(fuzz)
    }
}
