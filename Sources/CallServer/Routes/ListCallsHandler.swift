import CallCore
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

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        try guardrail.admitJSONRead(head)
    }

    func admitBody(_ head: HTTPRequestHead, _ admission: HTTPAdmission) throws -> HTTPAdmission {
        try guardrail.admitJSONBody(head, admission)
    }

    /// The list of `query` for `principal` on `store` (the current version when not given), as the response.
    private func list(_ query: ListQuery, for principal: Principal, on store: IndexedCallStore? = nil) throws -> HTTPResponse {
        let repository = try gate.repository()
        let answer: ListAnswer
        do throws(APIError) {
            answer = try (store ?? repository.current).answer(query, organizationID: principal.organizationID, signer: repository.cursors)
        } catch {
            throw APIFailure(error: error)
        }
        let body = ListResponseWriter.envelope(query: query, organizationID: principal.organizationID, answer: answer)
        return .json(status: 200, body: body)
    }

    /// Largest list body decoded on the loop (the bodies clients send are a few hundred bytes): a larger one
    /// holds long lists, and decoding it alone would take a fraction of a millisecond.
    static let quickBodyBytes = 8 * 1024

    /// Where a list request runs, decided on the event loop.
    enum Plan {
        /// Too large to decode on the loop: decoded and answered on the slow-work pool.
        case decodeOnWorker
        /// Not a valid list body: its 400 is answered at once.
        case invalid(APIError)
        /// Decoded; quick enough to answer on the loop.
        case quick(ListQuery)
        /// Decoded; answered on the slow-work pool.
        case slow(ListQuery)
    }

    /// Decided once the body is decoded (once: the query is handed on), from what the query costs on the
    /// organization's calls now (`IndexedCallStore.listCost`), not from how the body is spelled.
    static func plan(_ body: [UInt8], organizationID: String, in store: IndexedCallStore) -> Plan {
        if body.count > quickBodyBytes { return .decodeOnWorker }
        switch decode(body) {
        case .failure(let error):
            return .invalid(error)
        case .success(let query):
            return store.listCost(query, organizationID: organizationID).isQuick ? .quick(query) : .slow(query)
        }
    }

    /// The list body's query, or the 400 it deserves.
    static func decode(_ body: [UInt8]) -> Result<ListQuery, APIError> {
        Result { () throws(APIError) in try ListRequestDecoder.decode(body) }
    }

    func answer(_ request: HTTPRequest) -> HTTPAnswer {
        guard let principal = request.context as? Principal else {
            return .now(.failure(HTTPError.internalError(requestID: request.requestID)))
        }
        let store: IndexedCallStore
        do {
            store = try gate.repository().current
        } catch {
            return .now(.failure(error))
        }
        switch Self.plan(request.body, organizationID: principal.organizationID, in: store) {
        case .decodeOnWorker:
            return .later { respond(to: request, completion: $0) }
        case .invalid(let error):
            return .now(.failure(APIFailure(error: error)))
        case .quick(let query):
            return .now(Result { try list(query, for: principal, on: store) })
        case .slow(let query):
            return .later { completion in
                completion.runSlow(for: principal.workOwner) { Result { try list(query, for: principal) } }
            }
        }
    }

    /// Decodes and lists on the slow-work pool (a body too large to decode on the loop).
    func respond(to request: HTTPRequest, completion: HTTPCompletion) {
        guard let principal = request.context as? Principal else {
            completion(.failure(HTTPError.internalError(requestID: request.requestID)))
            return
        }
        completion.runSlow(for: principal.workOwner) {
            Result { try list(Self.decode(request.body).mapError { APIFailure(error: $0) }.get(), for: principal) }
        }
    }
}
