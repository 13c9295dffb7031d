/// Renders any failure as a response; supplied by the application so every error shares one envelope.
public typealias HTTPErrorRenderer = @Sendable (any HTTPResponseError, _ requestID: String) -> HTTPResponse
