/// How a handler that may defer answers one request: at once, on the event loop, or later through a completion.
public enum HTTPAnswer: Sendable {
    /// The response (or the error to render), produced on the event loop.
    case now(Result<HTTPResponse, any Error>)
    /// Work that will call the completion exactly once, from any thread.
    case later(@Sendable (HTTPCompletion) -> Void)
}
