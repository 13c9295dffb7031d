import CallCore
import HTTPKit

/// `POST /mcp`: the Model Context Protocol over Streamable HTTP, one JSON-RPC message per POST answered with one
/// `application/json` object (no event streams, no sessions). The head is checked like a REST route's, with the
/// `Origin` first (API.md's order); the message is then answered by `MCPDispatcher`, and the tools read the store
/// where the REST routes would: a quick list on the event loop, a costly one on the slow-work pool.
struct MCPHandler: HTTPDeferredHandler {
    let guardrail: APIGuard
    let gate: StoreGate
    let origins: MCPOrigins

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        try origins.check(head)
        return try guardrail.admitJSONRead(head)
    }

    func admitBody(_ head: HTTPRequestHead, _ admission: HTTPAdmission) throws -> HTTPAdmission {
        try guardrail.admitJSONBody(head, admission)
    }

    func answer(_ request: HTTPRequest) -> HTTPAnswer {
        guard let principal = request.context as? Principal else {
            return .now(.failure(HTTPError.internalError(requestID: request.requestID)))
        }
        // Parsing a large body would hold the loop: it is read on the pool, whose refusal then answers the whole
        // request (429/503 with the REST envelope), as the message is not read yet.
        if request.body.count > ListCallsHandler.quickBodyBytes {
            return .later { respond(to: request, completion: $0) }
        }
        let outcome = MCPDispatcher.outcome(body: request.body, header: MCPRevision.header(of: request.head))
        let organizationID = principal.organizationID
        let store = try? gate.repository().current
        let costly: JSONRPCID?
        switch outcome {
        case .listCalls(let id, let query):
            costly = store.map { !$0.listCost(query, organizationID: organizationID).isQuick } == true ? id : nil
        case .listChanges(let id, let changes):
            costly = changes.isCostly ? id : nil
        default:
            costly = nil
        }
        guard let id = costly else {
            // The version the cost was judged on answers, as on the REST route.
            return .now(.success(response(to: outcome, organizationID: organizationID, on: store)))
        }
        return .later { completion in
            // The store as a worker finds it, as the REST route reads it.
            let refusal = completion.trySlow(for: principal.workOwner) {
                .success(response(to: outcome, organizationID: organizationID))
            }
            // The key's share or the queue is full: that is about this tool call, so it is the call's error result.
            if let refusal { completion(.success(.json(status: 200, body: MCPToolResult.failure(id: id, refusal)))) }
        }
    }

    /// Reads and answers a large message on the slow-work pool, tools included.
    func respond(to request: HTTPRequest, completion: HTTPCompletion) {
        guard let principal = request.context as? Principal else {
            completion(.failure(HTTPError.internalError(requestID: request.requestID)))
            return
        }
        completion.runSlow(for: principal.workOwner) {
            let outcome = MCPDispatcher.outcome(body: request.body, header: MCPRevision.header(of: request.head))
            return .success(response(to: outcome, organizationID: principal.organizationID))
        }
    }

    /// The response to `outcome`, made here and now on `store` (the current version when not given); a store still
    /// loading makes a tool call an error result.
    private func response(to outcome: MCPOutcome, organizationID: String, on store: IndexedCallStore? = nil) -> HTTPResponse {
        switch outcome {
        case .accepted:
            return Self.accepted
        case .reply(let status, let reply):
            return .json(status: status, body: reply)
        case .getCall(let id, let callID):
            return toolResponse(id, on: store) { store, _ in MCPCallTools.get(callID, organizationID: organizationID, on: store, id: id) }
        case .listCalls(let id, let query):
            return toolResponse(id, on: store) { store, cursors in
                MCPCallTools.list(query, organizationID: organizationID, on: store, cursors: cursors, id: id)
            }
        case .listChanges(let id, let changes):
            do throws(APIFailure) {
                let repository = try gate.repository()
                return .json(status: 200, body: MCPCallTools.changes(changes, organizationID: organizationID, repository: repository, id: id))
            } catch {
                return .json(status: 200, body: MCPToolResult.failure(id: id, error.error))
            }
        }
    }

    /// What `run` answers on `store` (or the current one), or the error result of the 503 the gate answers while
    /// the store loads.
    private func toolResponse(
        _ id: JSONRPCID, on store: IndexedCallStore?, _ run: (IndexedCallStore, ListCursorSigner) -> [UInt8]
    ) -> HTTPResponse {
        do throws(APIFailure) {
            let repository = try gate.repository()
            return .json(status: 200, body: run(store ?? repository.current, repository.cursors))
        } catch {
            return .json(status: 200, body: MCPToolResult.failure(id: id, error.error))
        }
    }

    /// 202 Accepted, no body: what a notification or a response gets.
    private static let accepted = HTTPResponse(status: 202)
}
