/// A registered handler, shared by reference: a request in progress holds this rather than its own copy of the
/// handler's value (copying and destroying a handler's fields through an existential on every request).
public final class HTTPRoute: Sendable {
    /// The handler.
    public let handler: any HTTPHandler
    /// The handler as one that may answer later, found once at registration (a cast per request would search
    /// the conformance each time).
    let deferral: (any HTTPDeferredHandler)?
    /// The route's place in `HTTPRouter.routeLabels`: its pattern's metrics are counted there without a lookup.
    let labelIndex: Int

    init(_ handler: any HTTPHandler, labelIndex: Int) {
        self.handler = handler
        deferral = handler as? any HTTPDeferredHandler
        self.labelIndex = labelIndex
    }
}
