import CallCore
import Dispatch
import HTTPKit

/// `POST /api/calls`: list with pagination and filtering (API.md).
///
/// Lists run on the event loop when they are quick, which bounds how long one request holds the
/// loop (and every other connection on it). The store decides from the decoded query and its own
/// sizes (`IndexedCallStore.listCost`): `include_transcript` (up to 100 transcripts of 256 KiB to
/// encode), a quoted phrase (positions are verified in candidate transcripts), a prefix over a vast
/// vocabulary or a delta too large for the query's work per entry run on a worker instead, so the
/// loop goes on serving meanwhile.
struct ListCallsHandler: HTTPDeferredHandler {
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

    /// Decided after decoding, from what the query costs on the organization's calls now. A body
    /// that does not decode stays on the loop: its 400 is quick. `respond` decodes the body again,
    /// which costs microseconds for the bodies clients send (the list caps bound the others).
    func defers(_ request: HTTPRequest) -> Bool {
        guard let principal = request.context as? Principal, let store = try? gate.repository().current else { return false }
        return Self.isSlow(request.body, organizationID: principal.organizationID, in: store)
    }

    /// Largest list body decoded on the loop to decide (the bodies clients send are a few hundred bytes).
    static let quickBodyBytes = 8 * 1024

    /// Whether a list body, once decoded, could hold the event loop too long on `store` (see `defers`).
    static func isSlow(_ body: [UInt8], organizationID: String, in store: IndexedCallStore) -> Bool {
        // A body this large holds long lists: decoding it alone would take a fraction of a millisecond.
        if body.count > quickBodyBytes { return true }
        guard let query = try? ListRequestDecoder.decode(body) else { return false }
        return !store.listCost(query, organizationID: organizationID).isQuick
    }

    func respond(to request: HTTPRequest, completion: HTTPCompletion) {
        DispatchQueue.global(qos: .userInitiated).async {
            completion(Result { try respond(to: request) })
        }
    }
}

/// `GET /healthz`: 200 while serving, 503 while starting (shutdown answers 503 before any route runs).
struct HealthHandler: HTTPHandler {
    let gate: StoreGate

    private static let serving = Array(#"{"status":"ok"}"#.utf8)
    private static let starting = Array(#"{"status":"starting"}"#.utf8)

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        HTTPAdmission(maxBodyBytes: 1 << 20)
    }

    func respond(to request: HTTPRequest) throws -> HTTPResponse {
        gate.isOpen
            ? .json(status: 200, body: Self.serving)
            : .json(status: 503, body: Self.starting)
    }
}
