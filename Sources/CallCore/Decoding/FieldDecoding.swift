/// Type checks shared by the body decoders; every failure is a 400 naming the field by its path.
enum FieldDecoding {
    /// Parses a body, mapping any JSON error to a 400 that says where the JSON broke.
    static func parseBody(_ bytes: UnsafeRawBufferPointer) throws(APIError) -> JSONValue {
        do {
            return try JSONReader.parse(bytes)
        } catch {
            throw malformedJSON(error)
        }
    }

    /// The 400 for a body that is not one strict JSON text.
    static func malformedJSON(_ error: JSONParseError) -> APIError {
        .invalidRequest("The request body is not valid JSON: \(error.message).")
    }

    /// The members of an object, or a 400 saying `path` must be an object.
    static func object(_ value: JSONValue, path: @autoclosure () -> String) throws(APIError) -> [(key: String, value: JSONValue)] {
        guard case .object(let members) = value else {
            throw wrongType(path(), expected: "an object", got: value)
        }
        return members
    }

    /// A string, or a 400 naming `path`.
    static func string(_ value: JSONValue, path: @autoclosure () -> String) throws(APIError) -> String {
        guard case .string(let text) = value else {
            throw wrongType(path(), expected: "a string", got: value)
        }
        return text
    }

    /// A boolean, or a 400 naming `path`.
    static func bool(_ value: JSONValue, path: @autoclosure () -> String) throws(APIError) -> Bool {
        guard case .bool(let flag) = value else {
            throw wrongType(path(), expected: "a boolean", got: value)
        }
        return flag
    }

    /// An integer literal that fits in Int64; a larger integer literal fails with `outOfRange` (it is an integer, just not an allowed one).
    static func integer(_ value: JSONValue, path: @autoclosure () -> String, outOfRange: @autoclosure () -> String) throws(APIError) -> Int64 {
        switch value {
        case .integer(let number): return number
        case .largeInteger: throw .invalidRequest(outOfRange())
        default: throw wrongType(path(), expected: "an integer", got: value)
        }
    }

    /// The 400 for a value of the wrong JSON type.
    static func wrongType(_ path: String, expected: String, got value: JSONValue) -> APIError {
        .invalidRequest("\(path) must be \(expected), not \(value.kindDescription).")
    }

    /// The 400 for a member the object does not allow; a huge key is shortened so the message stays readable.
    static func unknownField(parent: String, key: String) -> APIError {
        .invalidRequest("Unknown field \(path(parent, abbreviated(key))).")
    }

    /// `text` cut to 64 characters with an ellipsis, for echoing client input in messages.
    static func abbreviated(_ text: String) -> String {
        text.abbreviatedForMessage
    }

    /// Joins an object path and a member name (`filter_criteria` + `agent_id`).
    static func path(_ parent: String, _ member: String) -> String {
        parent.isEmpty ? member : "\(parent).\(member)"
    }
}
