import CallCore
import HTTPKit

/// `POST /api/calls`: list with pagination and filtering (API.md).
struct ListCallsHandler: HTTPHandler {
    let guardrail: APIGuard
    let gate: StoreGate
    let maxBodyBytes: Int

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        let principal = try guardrail.authorize(head, scope: Scope.read)
        try guardrail.checkSize(head, limit: maxBodyBytes)
        try guardrail.checkMediaType(head, "application/json")
        return HTTPAdmission(maxBodyBytes: maxBodyBytes, context: principal)
    }

    func respond(to request: HTTPRequest) throws -> HTTPResponse {
        guard let principal = request.context as? Principal else {
            throw HTTPError.internalError(requestID: request.requestID)
        }
        let query: ListQuery
        do {
            query = try ListRequestDecoder.decode(request.body)
        } catch {
            throw APIFailure(error: error)
        }
        let page = try gate.repository().current.list(query, organizationID: principal.organizationID)
        let body = ListResponseWriter.envelope(query: query, organizationID: principal.organizationID, page: page)
        return .json(status: 200, body: body)
    }
}

/// `GET /healthz`: 200 while serving, 503 while starting (shutdown answers 503 before any route runs).
struct HealthHandler: HTTPHandler {
    let gate: StoreGate

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        HTTPAdmission(maxBodyBytes: 1 << 20)
    }

    func respond(to request: HTTPRequest) throws -> HTTPResponse {
        gate.isOpen
            ? .json(status: 200, body: Array(#"{"status":"ok"}"#.utf8))
            : .json(status: 503, body: Array(#"{"status":"starting"}"#.utf8))
    }
}
