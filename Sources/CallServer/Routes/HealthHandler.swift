import HTTPKit

/// `GET /healthz`: 200 while serving, 503 while starting (shutdown answers 503 before any route runs).
struct HealthHandler: HTTPHandler {
    let gate: StoreGate

    private static let serving = Array(#"{"status":"ok"}"#.utf8)
    private static let starting = Array(#"{"status":"starting"}"#.utf8)

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        // Not this route's limit: a GET's body is capped and dropped by the server's rule for routes that take none.
        HTTPAdmission(maxBodyBytes: .max)
    }

    func respond(to request: HTTPRequest) throws -> HTTPResponse {
        // Every 503 says when to try again (API.md), this one too.
        gate.isOpen
            ? .json(status: 200, body: Self.serving)
            : .json(status: 503, body: Self.starting, headers: [HTTPField(name: "Retry-After", value: "1")])
    }
}
