/// The few shapes of JSON Schema (2020-12) the API's documents are made of, so each rule is stated once, from the
/// constants the decoders enforce.
enum SchemaVocabulary {
    /// A string; `minLength`/`maxLength` count Unicode scalars, as API.md's character limits do.
    static func string(_ description: String, minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "string", "description": .string(description)]
        if let minLength { schema = schema.setting("minLength", .integer(Int64(minLength))) }
        if let maxLength { schema = schema.setting("maxLength", .integer(Int64(maxLength))) }
        if let pattern { schema = schema.setting("pattern", .string(pattern)) }
        return schema
    }

    /// An integer within `minimum...maximum` (64-bit signed when not bounded), with its default if it has one.
    static func integer(_ description: String, minimum: Int64? = nil, maximum: Int64? = nil, default value: Int64? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "integer", "description": .string(description)]
        schema = schema.setting("minimum", .integer(minimum ?? Int64.min))
        schema = schema.setting("maximum", .integer(maximum ?? Int64.max))
        if let value { schema = schema.setting("default", .integer(value)) }
        return schema
    }

    /// A count in an answer: a non-negative integer. Answers state no 64-bit maximum: some clients read schema
    /// numbers as doubles, and 2^63 − 1 read as a double is no longer an integer bound they can build a validator from.
    static func count(_ description: String) -> JSONValue {
        ["type": "integer", "description": .string(description), "minimum": 0]
    }

    /// One of `names` exactly.
    static func enumeration(_ description: String, _ names: [String], default value: String? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "string", "description": .string(description), "enum": .array(names.map { .string($0) })]
        if let value { schema = schema.setting("default", .string(value)) }
        return schema
    }

    /// One of an enumeration's wire names in any ASCII case (`ended`, `Ended`, `ENDED`): the upper- and lower-case
    /// spellings are listed for generators and readers, and a pattern states the rest exactly.
    static func anyCase<Value: CallEnumeration>(_ type: Value.Type, _ description: String) -> JSONValue {
        anyCase(Value.allCases.map(\.rawValue), description)
    }

    /// One of `names` (upper-case wire names) in any ASCII case.
    static func anyCase(_ names: [String], _ description: String) -> JSONValue {
        let spelled = names.map { name in
            name.map { character -> String in
                let upper = character.uppercased(), lower = character.lowercased()
                return upper == lower ? escaped(character) : "[\(upper)\(lower)]"
            }.joined()
        }
        return [
            "description": .string(description),
            "anyOf": [
                ["type": "string", "enum": .array((names + names.map { $0.lowercased() }).map { .string($0) })],
                ["type": "string", "pattern": .string("^(\(spelled.joined(separator: "|")))$")],
            ],
        ]
    }

    /// One character of a wire name as a regular expression (wire names hold letters, digits and `_`; anything
    /// else is escaped).
    private static func escaped(_ character: Character) -> String {
        character.isLetter || character.isNumber || character == "_" ? String(character) : "\\\(character)"
    }

    /// A list of `items`, at most `maxItems` long.
    static func list(_ description: String, of items: JSONValue, maxItems: Int? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "array", "description": .string(description), "items": items]
        if let maxItems { schema = schema.setting("maxItems", .integer(Int64(maxItems))) }
        return schema
    }

    /// A boolean with its default.
    static func boolean(_ description: String, default value: Bool) -> JSONValue {
        ["type": "boolean", "description": .string(description), "default": .bool(value)]
    }

    /// An object with exactly these properties (no others), `required` among them.
    static func object(_ description: String, _ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        var schema: JSONValue = [
            "type": "object", "description": .string(description),
            "properties": .object(properties.map { (key: $0.0, value: $0.1) }),
        ]
        if !required.isEmpty { schema = schema.setting("required", .array(required.map { .string($0) })) }
        return schema.setting("additionalProperties", false)
    }

    /// `schema` without its `null` alternative (the inverse of `nullable`).
    static func nonNull(_ schema: JSONValue) -> JSONValue {
        if case .array(let types)? = schema["type"] {
            let kept = types.filter { $0 != "null" }
            return schema.setting("type", kept.count == 1 ? kept[0] : .array(kept))
        }
        if case .array(let alternatives)? = schema["anyOf"], alternatives.count == 2, alternatives[1] == ["type": "null"] {
            return alternatives[0]
        }
        return schema
    }

    /// `schema` that may also be `null` (its `type` widened to `[type, "null"]`).
    static func nullable(_ schema: JSONValue) -> JSONValue {
        switch schema["type"] {
        case .string(let type)?:
            return schema.setting("type", [.string(type), "null"])
        default:
            return ["anyOf": [schema, ["type": "null"]]]
        }
    }
}
