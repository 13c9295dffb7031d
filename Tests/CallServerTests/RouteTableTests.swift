import CallCore
import HTTPKit
import Testing

@testable import CallServer

/// A handler that is never called: these tests read the table, the router and the document only.
private struct Unused: HTTPHandler {
    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission { HTTPAdmission(maxBodyBytes: 0) }
    func respond(to request: HTTPRequest) throws -> HTTPResponse { HTTPResponse(status: 500) }
}

/// The router and the OpenAPI document come from one table: every routed (method, pattern) is documented, and
/// every documented operation is routed, but for the entries the table marks undocumented.
struct RouteTableTests {
    private func table(metrics: Bool, undocumented: [RouteEntry] = []) -> RouteTable {
        RouteTable(RouteHandlers(
            listCalls: Unused(), getCall: Unused(), putCall: Unused(), patchCall: Unused(), deleteCall: Unused(),
            importCalls: Unused(), listChanges: Unused(), health: Unused(), metrics: metrics ? Unused() : nil), undocumented: undocumented)
    }

    /// "METHOD /pattern" for every operation in the document's `paths`.
    private func documented(_ document: JSONValue) -> Set<String> {
        guard case .object(let paths)? = document["paths"] else { return [] }
        return Set(paths.flatMap { path -> [String] in
            guard case .object(let methods) = path.value else { return [] }
            return methods.map { "\($0.key.uppercased()) \(path.key)" }
        })
    }

    @Test(arguments: [false, true])
    func routerAndDocumentNameTheSameRoutesButTheUndocumented(metrics: Bool) {
        let mcp = RouteEntry(method: "POST", pattern: "/mcp", handler: Unused(), operation: nil)
        let table = table(metrics: metrics, undocumented: [mcp])
        let routed = Set(table.router().routes.map { "\($0.method) \($0.pattern)" })
        let documented = documented(table.document)
        let undocumented = Set(table.entries.filter { $0.operation == nil }.map { "\($0.method) \($0.pattern)" })
        #expect(undocumented == ["POST /mcp", "GET /openapi.json"])
        #expect(routed.subtracting(documented) == undocumented)
        #expect(documented.subtracting(routed).isEmpty)
        #expect(routed.contains("GET /metrics") == metrics)
        #expect(documented.contains("GET /metrics") == metrics)
    }

    @Test func operationsAreNamedAsTheContractNamesThem() {
        guard case .object(let paths)? = table(metrics: true).document["paths"] else {
            Issue.record("no paths")
            return
        }
        var names: [String: String] = [:]
        for path in paths {
            guard case .object(let methods) = path.value else { continue }
            for method in methods {
                if case .string(let id)? = method.value["operationId"] { names["\(method.key.uppercased()) \(path.key)"] = id }
            }
        }
        #expect(names == [
            "POST /api/calls": "list_calls", "GET /api/calls/{call_id}": "get_call", "PUT /api/calls/{call_id}": "put_call",
            "PATCH /api/calls/{call_id}": "patch_call", "DELETE /api/calls/{call_id}": "delete_call",
            "POST /api/calls/import": "import_calls", "POST /api/calls/changes": "list_changes", "GET /healthz": "health",
            "GET /metrics": "metrics",
        ])
    }

    private func operation(_ method: String, _ path: String) -> JSONValue? {
        table(metrics: true).document["paths"]?[path]?[method]
    }

    private func statuses(_ operation: JSONValue?) -> [String] {
        guard case .object(let responses)? = operation?["responses"] else { return [] }
        return responses.map(\.key)
    }

    @Test func everyAPIOperationNeedsBothCredentialsAndTheOperationsRoutesNone() {
        let both: JSONValue = [["ApiKey": [], "ApiSecret": []]]
        for (method, path) in [("post", "/api/calls"), ("get", "/api/calls/{call_id}"), ("put", "/api/calls/{call_id}"),
                               ("patch", "/api/calls/{call_id}"), ("delete", "/api/calls/{call_id}"), ("post", "/api/calls/import"),
                               ("post", "/api/calls/changes")] {
            #expect(operation(method, path)?["security"] == both, "\(method) \(path)")
            #expect(statuses(operation(method, path)).contains("401"))
        }
        for path in ["/healthz", "/metrics"] {
            #expect(operation("get", path)?["security"] == [], "\(path)")
            #expect(!statuses(operation("get", path)).contains("401"))
        }
        let schemes = table(metrics: false).document["components"]?["securitySchemes"]
        #expect(schemes?["ApiKey"]?["name"] == "X-API-KEY")
        #expect(schemes?["ApiSecret"]?["name"] == "X-API-SECRET")
    }

    @Test func writesStateTheirPreconditionQuotaAndCreatedAnswer() {
        let put = operation("put", "/api/calls/{call_id}")
        #expect(statuses(put) == ["200", "201", "400", "401", "403", "404", "405", "408", "412", "413", "414", "415", "429", "431", "500", "503", "505", "507"])
        #expect(put?["responses"]?["201"]?["headers"]?["Location"]?["required"] == true)
        #expect(put?["responses"]?["200"]?["headers"]?["ETag"]?["required"] == true)
        guard case .array(let parameters)? = put?["parameters"], parameters.count == 2 else {
            Issue.record("PUT takes call_id and If-Match")
            return
        }
        #expect(parameters[0]["schema"] == CallSchemas.callID)
        #expect(parameters[1]["name"] == "If-Match")
        #expect(statuses(operation("patch", "/api/calls/{call_id}")).contains("412"))
        #expect(!statuses(operation("patch", "/api/calls/{call_id}")).contains("507"))
        #expect(!statuses(operation("get", "/api/calls/{call_id}")).contains("412"))
        #expect(statuses(operation("post", "/api/calls/import")).contains("507"))
        #expect(operation("post", "/api/calls/import")?["requestBody"]?["content"]?["application/x-ndjson"] != nil)
    }

    @Test func refusalsSayWhenToRetry() {
        let responses = table(metrics: false).document["components"]?["responses"]
        #expect(responses?["429"]?["headers"]?["Retry-After"]?["required"] == true)
        #expect(responses?["429"]?["headers"]?["RateLimit"] != nil)
        #expect(responses?["503"]?["headers"]?["Retry-After"]?["required"] == true)
        #expect(responses?["401"]?["headers"]?["WWW-Authenticate"]?["required"] == true)
        #expect(responses?["400"]?["content"]?["application/json"]?["schema"]?["properties"]?["error"]?["enum"] == ["invalid_request", "bad_request"])
    }
}
