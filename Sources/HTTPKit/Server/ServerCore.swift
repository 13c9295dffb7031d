import Synchronization

/// Renders any failure as a response; supplied by the application so every error shares one envelope.
public typealias HTTPErrorRenderer = @Sendable (any HTTPResponseError, _ requestID: String) -> HTTPResponse

/// State shared by all event loops of one server.
final class ServerCore: Sendable {
    let configuration: HTTPServerConfiguration
    let router: HTTPRouter
    let renderError: HTTPErrorRenderer
    let accessLog: AccessLog?
    let openConnections = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)

    init(configuration: HTTPServerConfiguration, router: HTTPRouter,
         renderError: @escaping HTTPErrorRenderer, accessLog: AccessLog?) {
        self.configuration = configuration
        self.router = router
        self.renderError = renderError
        self.accessLog = accessLog
    }
}
