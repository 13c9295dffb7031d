import CallCore

/// Renders the OpenAPI 3.1 document from the route table's documented entries and CallCore's schemas.
enum OpenAPIDocument {
    /// The document of `entries` (entries without an operation are left out).
    static func render(_ entries: [RouteEntry]) -> JSONValue {
        var paths: [(key: String, value: JSONValue)] = []
        for entry in entries {
            guard let operation = entry.operation else { continue }
            let rendered = self.operation(operation)
            if let index = paths.firstIndex(where: { $0.key == entry.pattern }) {
                paths[index].value = paths[index].value.setting(entry.method.lowercased(), rendered)
            } else {
                paths.append((key: entry.pattern, value: [entry.method.lowercased(): rendered]))
            }
        }
        return [
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "info": [
                "title": "CallServer API",
                "version": "1.0.0",
                "description": """
                    Stores the phone and web calls of a voice-agent platform and lists them with filtering, sorting, \
                    transcript search and pagination. Every /api route needs both credentials, X-API-KEY and \
                    X-API-SECRET; a key belongs to one organization and sees only its calls. Every /api answer is the \
                    envelope {message, status, error, data}: on success error is null and data holds the answer; on \
                    failure status is "error", error a machine code and message a sentence naming the offending field.
                    """,
            ],
            "tags": [
                ["name": "calls", "description": "The calls of the caller's organization."],
                ["name": "operations", "description": "Health and metrics, without credentials."],
            ],
            "paths": .object(paths),
            "components": [
                "securitySchemes": [
                    "ApiKey": ["type": "apiKey", "in": "header", "name": "X-API-KEY", "description": "The key's id (ck_…); sent together with X-API-SECRET."],
                    "ApiSecret": ["type": "apiKey", "in": "header", "name": "X-API-SECRET", "description": "The key's secret (cs_…), shown once when the key was created."],
                ],
                "responses": OpenAPIResponses.refusals,
            ],
        ]
    }

    private static func operation(_ operation: APIOperation) -> JSONValue {
        var rendered: JSONValue = [
            "operationId": .string(operation.operationID),
            "summary": .string(operation.summary),
            "description": .string(operation.description),
            "tags": [.string(operation.tag)],
        ]
        // Both credentials together: one requirement naming both schemes. No credentials: an explicit empty list.
        rendered = rendered.setting("security", operation.scope == nil ? [] : [["ApiKey": [], "ApiSecret": []]])
        var parameters: [JSONValue] = []
        if operation.takesCallID {
            parameters.append([
                "name": "call_id", "in": "path", "required": true,
                "description": "The call's call_id (percent-encoded in the path).",
                "schema": CallSchemas.callID,
            ])
        }
        if operation.honoursIfMatch {
            parameters.append([
                "name": "If-Match", "in": "header", "required": false,
                "description": "Act only if the call's current ETag is one of these (or * for any existing call); 412 otherwise.",
                "schema": ["type": "string"],
            ])
        }
        if !parameters.isEmpty { rendered = rendered.setting("parameters", .array(parameters)) }
        if let body = operation.requestBody {
            rendered = rendered.setting("requestBody", [
                "description": .string(body.description),
                "required": .bool(body.required),
                "content": .object(body.mediaTypes.map { mediaType in
                    let content: JSONValue = ["schema": body.schema]
                    return (key: mediaType, value: body.example.map { content.setting("example", $0) } ?? content)
                }),
            ])
        }
        var responses: [(key: String, value: JSONValue)] = operation.answers.map { (key: String($0.status), value: OpenAPIResponses.answer($0)) }
        responses += operation.refusals.map { (key: String($0), value: ["$ref": .string("#/components/responses/\($0)")]) }
        responses.sort { $0.key < $1.key }
        return rendered.setting("responses", .object(responses))
    }
}
