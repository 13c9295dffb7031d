import CallCore
import HTTPKit

/// The server's one list of routes: the router is registered from it and the OpenAPI document generated from it,
/// so neither can name a route the other lacks.
struct RouteTable: Sendable {
    static let openAPIPath = "/openapi.json"

    /// Every entry, documented ones first.
    let entries: [RouteEntry]
    /// The OpenAPI document `GET /openapi.json` serves.
    let document: JSONValue

    /// The documented routes of `handlers`, then `undocumented` ones, then `GET /openapi.json` serving the document
    /// rendered once, here, from the documented entries.
    init(_ handlers: RouteHandlers, undocumented: [RouteEntry] = []) {
        let operations = APIOperations.self
        var documented: [RouteEntry] = [
            RouteEntry(method: "POST", pattern: "/api/calls", handler: handlers.listCalls, operation: operations.listCalls),
            RouteEntry(method: "GET", pattern: "/api/calls/{call_id}", handler: handlers.getCall, operation: operations.getCall),
            RouteEntry(method: "PUT", pattern: "/api/calls/{call_id}", handler: handlers.putCall, operation: operations.putCall),
            RouteEntry(method: "PATCH", pattern: "/api/calls/{call_id}", handler: handlers.patchCall, operation: operations.patchCall),
            RouteEntry(method: "DELETE", pattern: "/api/calls/{call_id}", handler: handlers.deleteCall, operation: operations.deleteCall),
            RouteEntry(method: "POST", pattern: "/api/calls/import", handler: handlers.importCalls, operation: operations.importCalls),
            RouteEntry(method: "POST", pattern: "/api/calls/changes", handler: handlers.listChanges, operation: operations.listChanges),
            RouteEntry(method: "GET", pattern: "/healthz", handler: handlers.health, operation: operations.health),
        ]
        if let metrics = handlers.metrics {
            documented.append(RouteEntry(method: "GET", pattern: "/metrics", handler: metrics, operation: operations.metrics))
        }
        document = OpenAPIDocument.render(documented)
        let served = RouteEntry(method: "GET", pattern: Self.openAPIPath, handler: OpenAPIHandler(document: document.jsonBytes), operation: nil)
        entries = documented + undocumented + [served]
    }

    /// A router holding every entry.
    func router() -> HTTPRouter {
        var router = HTTPRouter()
        for entry in entries {
            router.add(entry.method, entry.pattern, entry.handler, listsOptions: entry.listsOptions)
        }
        return router
    }
}
