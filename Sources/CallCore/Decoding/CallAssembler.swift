/// Builds a call from a body's field values, field by field in API.md's table order, so the first problem reported
/// is the first in that order. For `PATCH` it starts from the current call and applies the given fields.
struct CallAssembler {
    /// A body value as the rules see it.
    private enum Given {
        case absent
        case null
        case value(JSONValue)
    }

    /// The body's values by `CallBodyField.rawValue`; nil when the body leaves the field out.
    private let values: [JSONValue?]

    // The write kind, unpacked once into plain values (matching and copying the enum per field is measurably slow).
    /// The call a PATCH applies to; nil for the other kinds.
    private let current: Call?
    private let isPatch: Bool
    /// The id the server decided; nil for bulk-load lines, whose id comes from the body or is fresh.
    private let fixedID: String?
    /// The organization from the API key; nil for bulk-load lines, whose organization comes from the body.
    private let fixedOrganizationID: String?
    /// The `call_id` of the path (PUT, PATCH), which a body `call_id` must equal.
    private let pathCallID: String?

    /// The `updated_timestamp` of a bulk-load line that has none (a journal record written before the field existed).
    private let updatedWhenAbsent: Int64

    init(kind: CallWriteKind, values: [JSONValue?], updatedWhenAbsent: Int64 = 0) {
        self.values = values
        self.updatedWhenAbsent = updatedWhenAbsent
        switch kind {
        case .importLine:
            (current, isPatch, fixedID, fixedOrganizationID, pathCallID) = (nil, false, nil, nil, nil)
        case .createOrReplace(let organizationID, let id, let path):
            (current, isPatch, fixedID, fixedOrganizationID, pathCallID) = (nil, false, id, organizationID, path)
        case .patch(let call):
            (current, isPatch, fixedID, fixedOrganizationID, pathCallID) = (call, true, call.id, call.organizationID, call.callID)
        }
    }

    private func given(_ field: CallBodyField) -> Given {
        switch values[field.rawValue] {
        case .none: return .absent
        case .some(.null): return .null
        case .some(let value): return .value(value)
        }
    }

    // MARK: - Assembly

    func assemble() throws(APIError) -> Call {
        let id = try decodeID()
        let callID = try decodeCallID()
        let agentID = try required(.agentID, current: current?.agentID) { value, field throws(APIError) in
            let text = try FieldDecoding.string(value, path: field.key)
            guard CallRecordRules.isValidAgentID(text) else {
                throw APIError.invalidRequest("agent_id must be 1–\(CallRecordRules.maxIDLength) characters.")
            }
            return text
        }
        let organizationID = try decodeOrganizationID()
        let status = try required(.status, current: current?.status) { value, field throws(APIError) in
            try Self.enumeration(value, field: field, as: CallStatus.self)
        }
        let type = try required(.type, current: current?.type) { value, field throws(APIError) in
            try Self.enumeration(value, field: field, as: CallType.self)
        }
        let direction = try required(.direction, current: current?.direction) { value, field throws(APIError) in
            try Self.enumeration(value, field: field, as: CallDirection.self)
        }
        let fromNumber = try nullable(.fromNumber, current: current?.fromNumber, decode: Self.phoneNumber)
        let toNumber = try nullable(.toNumber, current: current?.toNumber, decode: Self.phoneNumber)
        let startTimestamp = try required(.startTimestamp, current: current?.startTimestamp, decode: Self.timestamp)
        let endTimestamp = try nullable(.endTimestamp, current: current?.endTimestamp, decode: Self.timestamp)
        try Self.checkEnd(endTimestamp, status: status, start: startTimestamp)
        try checkDuration(start: startTimestamp, end: endTimestamp)
        let updatedTimestamp = try decodeUpdatedTimestamp()
        let transcript = try decodeTranscript()
        let metadata = try nullable(.metadata, current: current?.metadata, decode: Self.metadata) ?? CallMetadata()

        return Call(
            id: id, callID: callID, agentID: agentID, organizationID: organizationID,
            status: status, type: type, direction: direction,
            fromNumber: fromNumber, toNumber: toNumber,
            startTimestamp: startTimestamp, endTimestamp: endTimestamp, updatedTimestamp: updatedTimestamp,
            transcript: transcript, metadata: metadata
        )
    }

    private func decodeID() throws(APIError) -> String {
        if let fixedID { return fixedID }
        guard case .value(let value) = given(.id) else { return CallRecordDecoder.newID() }
        let text = try FieldDecoding.string(value, path: "id")
        guard CallRecordRules.isLowercaseUUID(text) else {
            throw APIError.invalidRequest("id must be a lower-case UUID (8-4-4-4-12 hex digits).")
        }
        return text
    }

    private func decodeCallID() throws(APIError) -> String {
        let callID = try required(.callID, current: pathCallID) { value, field throws(APIError) in
            let text = try FieldDecoding.string(value, path: field.key)
            if let problem = CallRecordRules.callIDProblem(text) { throw APIError.invalidRequest(problem + ".") }
            return text
        }
        if let pathCallID, callID != pathCallID {
            throw APIError.invalidRequest("call_id in the body must equal the call_id in the path.")
        }
        return callID
    }

    private func decodeOrganizationID() throws(APIError) -> String {
        if let fixedOrganizationID { return fixedOrganizationID }
        return try required(.organizationID, current: nil) { value, field throws(APIError) in
            let text = try FieldDecoding.string(value, path: field.key)
            guard CallRecordRules.hasLength(text, in: 1...CallRecordRules.maxIDLength) else {
                throw APIError.invalidRequest("organization_id must be 1–\(CallRecordRules.maxIDLength) characters.")
            }
            return text
        }
    }

    /// Only bulk-load lines get this far with the field (`CallRecordDecoder` refuses it in other bodies); a PATCH
    /// starts from the stored stamp and a PUT from none, and the write path stamps both.
    private func decodeUpdatedTimestamp() throws(APIError) -> Int64 {
        switch given(.updatedTimestamp) {
        case .value(let value): return try Self.timestamp(value, field: .updatedTimestamp)
        case .null, .absent: return current?.updatedTimestamp ?? updatedWhenAbsent
        }
    }

    private func decodeTranscript() throws(APIError) -> String {
        switch given(.transcript) {
        case .absent:
            return current?.transcript ?? ""
        case .null:
            if isPatch { throw Self.cannotBeNull(.transcript) }
            return ""
        case .value(let value):
            let text = try FieldDecoding.string(value, path: "transcript")
            guard text.utf8.count <= CallRecordRules.maxTranscriptBytes else {
                throw APIError.invalidRequest("transcript must be at most 256 KiB (\(CallRecordRules.maxTranscriptBytes) bytes of UTF-8).")
            }
            return text
        }
    }

    // MARK: - Cross-field rules

    private static func checkEnd(_ end: Int64?, status: CallStatus, start: Int64) throws(APIError) {
        if status.hasEnded, end == nil {
            throw APIError.invalidRequest("end_timestamp is required when call_status is \(status.rawValue).")
        }
        if !status.hasEnded, end != nil {
            throw APIError.invalidRequest("end_timestamp must be null when call_status is \(status.rawValue); only ENDED and ERROR calls have one.")
        }
        if let end, end < start {
            throw APIError.invalidRequest("end_timestamp must not be earlier than start_timestamp.")
        }
    }

    /// `call_duration` is derived: a body may leave it out, and if it gives a number, that must be end − start.
    private func checkDuration(start: Int64, end: Int64?) throws(APIError) {
        switch given(.duration) {
        case .absent:
            return
        case .null:
            // API.md: in PATCH only the listed nullable fields may be null; call_duration is derived, not settable.
            if isPatch { throw Self.cannotBeNull(.duration) }
        case .value(let value):
            let duration = try FieldDecoding.integer(value, path: "call_duration", outOfRange: Self.durationMismatch(start: start, end: end))
            guard let end, duration == end - start else {
                throw APIError.invalidRequest(Self.durationMismatch(start: start, end: end))
            }
        }
    }

    private static func durationMismatch(start: Int64, end: Int64?) -> String {
        guard let end else {
            return "call_duration must be null or left out while the call has no end_timestamp."
        }
        return "call_duration must equal end_timestamp - start_timestamp (\(end - start))."
    }

    // MARK: - Field helpers

    /// A field every record has: required unless a PATCH (which keeps the current value); `null` is "not given" in
    /// PUT-like bodies (so still required) and a 400 in PATCH.
    private func required<Value>(
        _ field: CallBodyField, current: Value?, decode: (JSONValue, CallBodyField) throws(APIError) -> Value
    ) throws(APIError) -> Value {
        switch given(field) {
        case .value(let value):
            return try decode(value, field)
        case .null:
            if isPatch { throw Self.cannotBeNull(field) }
            if let current { return current }
            throw APIError.invalidRequest("\(field.key) is required and must not be null.")
        case .absent:
            if let current { return current }
            throw APIError.invalidRequest("\(field.key) is required.")
        }
    }

    /// A nullable field: absent keeps the current value (PATCH) or is nil; `null` is nil (clears in PATCH).
    private func nullable<Value>(
        _ field: CallBodyField, current: Value?, decode: (JSONValue, CallBodyField) throws(APIError) -> Value
    ) throws(APIError) -> Value? {
        switch given(field) {
        case .value(let value): return try decode(value, field)
        case .null: return nil
        case .absent: return isPatch ? current : nil
        }
    }

    private static func cannotBeNull(_ field: CallBodyField) -> APIError {
        .invalidRequest("\(field.key) cannot be null; leave it out to keep the current value.")
    }

    // MARK: - Value decoders

    private static func enumeration<Value: CallEnumeration>(_ value: JSONValue, field: CallBodyField, as type: Value.Type) throws(APIError) -> Value {
        let text = try FieldDecoding.string(value, path: field.key)
        guard let parsed = Value(caseInsensitive: text) else {
            throw APIError.invalidRequest("\(field.key) must be one of \(Value.namesForMessages) (any case).")
        }
        return parsed
    }

    private static func phoneNumber(_ value: JSONValue, field: CallBodyField) throws(APIError) -> String {
        let text = try FieldDecoding.string(value, path: field.key)
        guard CallRecordRules.isValidPhoneNumber(text) else {
            throw APIError.invalidRequest("\(field.key) must be an E.164 number: '+' followed by 7 to 15 digits.")
        }
        return text
    }

    private static func timestamp(_ value: JSONValue, field: CallBodyField) throws(APIError) -> Int64 {
        let number = try FieldDecoding.integer(value, path: field.key, outOfRange: timestampRangeMessage(field.key))
        guard CallRecordRules.isValidTimestamp(number) else { throw APIError.invalidRequest(timestampRangeMessage(field.key)) }
        return number
    }

    private static func timestampRangeMessage(_ path: String) -> String {
        "\(path) must be between 0 and \(CallRecordRules.maxTimestamp) (milliseconds since the Unix epoch)."
    }

    private static func metadata(_ value: JSONValue, field: CallBodyField) throws(APIError) -> CallMetadata {
        let members = try FieldDecoding.object(value, path: field.key)
        guard members.count <= CallRecordRules.maxMetadataKeys else {
            throw APIError.invalidRequest("metadata must have at most \(CallRecordRules.maxMetadataKeys) keys.")
        }
        var entries: [(key: String, value: String)] = []
        entries.reserveCapacity(members.count)
        for (index, member) in members.enumerated() {
            guard CallRecordRules.hasLength(member.key, in: 1...CallRecordRules.maxMetadataKeyLength) else {
                throw APIError.invalidRequest(
                    "metadata keys must be 1–\(CallRecordRules.maxMetadataKeyLength) characters (key number \(index + 1) is not)."
                )
            }
            guard case .string(let text) = member.value else {
                throw FieldDecoding.wrongType("metadata.\(member.key)", expected: "a string", got: member.value)
            }
            guard CallRecordRules.hasLength(text, in: 0...CallRecordRules.maxMetadataValueLength) else {
                throw APIError.invalidRequest("metadata.\(member.key) must be at most \(CallRecordRules.maxMetadataValueLength) characters.")
            }
            entries.append((key: member.key, value: text))
        }
        // The JSON reader has already rejected duplicate keys.
        return CallMetadata(uniqueEntries: entries)
    }
}
