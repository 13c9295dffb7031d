import Foundation

/// Decodes and validates call bodies (bulk-load lines, `PUT`, import-route lines, `PATCH`) into `Call`s.
///
/// Problems are reported in API.md's order: fields that are not allowed (document order), then each field in the
/// record table's order, a field's cross-field rules checked at its turn (`end_timestamp` against `call_status` and
/// `start_timestamp`, `call_duration` against both timestamps). Every problem is a 400 `invalid_request` naming the field.
public enum CallRecordDecoder {
    /// Decodes one bulk-load NDJSON line (see `CallWriteKind.importLine`); a line without `updated_timestamp` gets
    /// `updatedWhenAbsent`.
    public static func decodeImportLine(_ bytes: UnsafeRawBufferPointer, updatedWhenAbsent: Int64 = 0) throws(APIError) -> Call {
        try decode(FieldDecoding.parseBody(bytes), as: .importLine, updatedWhenAbsent: updatedWhenAbsent)
    }

    /// Decodes one bulk-load NDJSON line (see `CallWriteKind.importLine`); a line without `updated_timestamp` gets
    /// `updatedWhenAbsent`.
    public static func decodeImportLine(_ bytes: [UInt8], updatedWhenAbsent: Int64 = 0) throws(APIError) -> Call {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(APIError) in try decodeImportLine(raw, updatedWhenAbsent: updatedWhenAbsent) }
        }.get()
    }

    /// Decodes one bulk-load NDJSON line (see `CallWriteKind.importLine`); a line without `updated_timestamp` gets
    /// `updatedWhenAbsent`.
    public static func decodeImportLine(_ bytes: ArraySlice<UInt8>, updatedWhenAbsent: Int64 = 0) throws(APIError) -> Call {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(APIError) in try decodeImportLine(raw, updatedWhenAbsent: updatedWhenAbsent) }
        }.get()
    }

    /// Decodes a `PUT /api/calls/{call_id}` body; `id` is the existing call's id when replacing, a fresh one when creating.
    public static func decodePutBody(_ bytes: [UInt8], pathCallID: String, organizationID: String, id: String) throws(APIError) -> Call {
        try decode(bytes, as: .createOrReplace(organizationID: organizationID, id: id, pathCallID: pathCallID))
    }

    /// Decodes one line of `POST /api/calls/import` (a `PUT` body that must carry `call_id`). The call gets `id`
    /// (a fresh UUID when nil); when the `call_id` already exists the caller keeps the existing id instead.
    public static func decodeImportRouteLine(_ bytes: UnsafeRawBufferPointer, organizationID: String, id: String? = nil) throws(APIError) -> Call {
        let kind = CallWriteKind.createOrReplace(organizationID: organizationID, id: id ?? newID(), pathCallID: nil)
        return try decode(FieldDecoding.parseBody(bytes), as: kind)
    }

    /// Decodes one line of `POST /api/calls/import` (see the `UnsafeRawBufferPointer` form).
    public static func decodeImportRouteLine(_ bytes: ArraySlice<UInt8>, organizationID: String, id: String? = nil) throws(APIError) -> Call {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(APIError) in try decodeImportRouteLine(raw, organizationID: organizationID, id: id) }
        }.get()
    }

    /// Decodes a `PATCH /api/calls/{call_id}` body and returns `current` with the changes applied and validated.
    public static func decodePatchBody(_ bytes: [UInt8], current: Call) throws(APIError) -> Call {
        try decode(bytes, as: .patch(current: current))
    }

    /// Decodes a body of any kind from bytes.
    public static func decode(_ bytes: [UInt8], as kind: CallWriteKind) throws(APIError) -> Call {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(APIError) in try decode(FieldDecoding.parseBody(raw), as: kind) }
        }.get()
    }

    /// Decodes an already parsed body of any kind; a bulk-load line without `updated_timestamp` gets `updatedWhenAbsent`.
    public static func decode(_ value: JSONValue, as kind: CallWriteKind, updatedWhenAbsent: Int64 = 0) throws(APIError) -> Call {
        guard case .object(let members) = value else {
            throw APIError.invalidRequest("The call must be a JSON object, not \(value.kindDescription).")
        }
        // Only bulk-load lines may carry `id` and `organization_id`; decided once, not per member.
        var carriesIdentity = false
        if case .importLine = kind { carriesIdentity = true }
        var values = [JSONValue?](repeating: nil, count: CallBodyField.allCases.count)
        for member in members {
            guard let field = CallBodyField(key: member.key) else {
                throw FieldDecoding.unknownField(parent: "", key: member.key)
            }
            if !carriesIdentity, let problem = identityProblem(field) {
                throw APIError.invalidRequest(problem)
            }
            values[field.rawValue] = member.value
        }
        return try CallAssembler(kind: kind, values: values, updatedWhenAbsent: updatedWhenAbsent).assemble()
    }

    /// A fresh lower-case UUID for a new call.
    public static func newID() -> String {
        // From the system generator: Foundation's `UUID()` opens and reads /dev/urandom on every call here,
        // which showed in the write path's profile.
        var generator = SystemRandomNumberGenerator()
        return uuidString(high: generator.next(), low: generator.next())
    }

    /// A version-4 UUID in lower case whose other 122 bits come from `high` and `low` (in that order).
    public static func uuidString(high: UInt64, low: UInt64) -> String {
        let high = high & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000
        let low = low & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { text in
            var written = 0
            for (index, shift) in stride(from: 124, through: 0, by: -4).enumerated() {
                if index == 8 || index == 12 || index == 16 || index == 20 {
                    text[written] = UInt8(ascii: "-")
                    written += 1
                }
                let word = shift >= 64 ? high >> UInt64(shift - 64) : low >> UInt64(shift)
                text[written] = hexDigits[Int(word & 15)]
                written += 1
            }
            assert(written == 36 && text.count >= 36, "32 digits and 4 dashes")
            return written
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Why a write body (PUT, PATCH, import route) may not carry `field`, or nil when it may: only bulk-load lines
    /// carry what the server decides.
    private static func identityProblem(_ field: CallBodyField) -> String? {
        switch field {
        case .id: return "id cannot be given: the server assigns it."
        case .organizationID: return "organization_id cannot be given: it comes from the API key."
        case .updatedTimestamp: return "updated_timestamp cannot be given: the server sets it at every write that changes the call."
        default: return nil
        }
    }
}
