import HTTPKit

/// The handlers of the documented routes, made by `ServerApp`.
struct RouteHandlers: Sendable {
    var listCalls: any HTTPHandler
    var getCall: any HTTPHandler
    var putCall: any HTTPHandler
    var patchCall: any HTTPHandler
    var deleteCall: any HTTPHandler
    var importCalls: any HTTPHandler
    var listChanges: any HTTPHandler
    var health: any HTTPHandler
    /// Nil when the metrics route is off: then it is neither routed nor documented.
    var metrics: (any HTTPHandler)?
}
