import HTTPKit

/// One route: what the router dispatches, and what the OpenAPI document says of it.
struct RouteEntry: Sendable {
    var method: String
    var pattern: String
    var handler: any HTTPHandler
    /// The document's operation; nil for a route that is served but not documented (it speaks another protocol).
    var operation: APIOperation?
    /// Whether the route's `Allow` names `OPTIONS` too (see `HTTPRouter.add`).
    var listsOptions = true
}
