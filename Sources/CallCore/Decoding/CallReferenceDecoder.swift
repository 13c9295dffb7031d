/// Decodes `{"call_id": …}`, the input of reading one call by name (the MCP `get_call` tool), with the same
/// field rules and messages as the other bodies: unknown fields first, then `call_id`.
public enum CallReferenceDecoder {
    /// The `call_id`, or a 400 `invalid_request` naming the field.
    public static func decode(_ value: JSONValue) throws(APIError) -> String {
        let members = try FieldDecoding.object(value, path: "The input")
        var callID: JSONValue?
        for member in members {
            guard member.key == "call_id" else { throw FieldDecoding.unknownField(parent: "", key: member.key) }
            callID = member.value
        }
        guard let callID, !callID.isNull else { throw APIError.invalidRequest("call_id is required.") }
        let text = try FieldDecoding.string(callID, path: "call_id")
        if let problem = CallRecordRules.callIDProblem(text) { throw APIError.invalidRequest("\(problem).") }
        return text
    }
}
