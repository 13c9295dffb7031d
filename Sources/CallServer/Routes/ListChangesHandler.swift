import CallCore
import HTTPKit

/// `POST /api/calls/changes`: the changes feed (API.md). A small page without transcripts is answered on the event
/// loop; a large one, or one with transcripts, on the slow-work pool.
struct ListChangesHandler: HTTPDeferredHandler {
    let guardrail: APIGuard
    let gate: StoreGate

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        try guardrail.admitJSONRead(head)
    }

    func admitBody(_ head: HTTPRequestHead, _ admission: HTTPAdmission) throws -> HTTPAdmission {
        try guardrail.admitJSONBody(head, admission)
    }

    func answer(_ request: HTTPRequest) -> HTTPAnswer {
        guard let principal = request.context as? Principal else {
            return .now(.failure(HTTPError.internalError(requestID: request.requestID)))
        }
        let changes: ChangesRequest
        do throws(APIError) {
            changes = try ChangesRequest.decode(request.body)
        } catch {
            return .now(.failure(APIFailure(error: error)))
        }
        guard changes.isCostly else { return .now(Result { try respond(changes, for: principal) }) }
        return .later { completion in
            completion.runSlow(for: principal.workOwner) { Result { try respond(changes, for: principal) } }
        }
    }

    func respond(to request: HTTPRequest, completion: HTTPCompletion) {
        switch answer(request) {
        case .now(let result): completion(result)
        case .later(let work): work(completion)
        }
    }

    /// The page `changes` asks for, from the feed as it is now.
    private func respond(_ changes: ChangesRequest, for principal: Principal) throws -> HTTPResponse {
        let repository = try gate.repository()
        let body = try Self.envelope(changes, organizationID: principal.organizationID, repository: repository)
        return .json(status: 200, body: body)
    }

    /// The success envelope of `changes` for `organizationID`, or the route's error.
    static func envelope(_ changes: ChangesRequest, organizationID: String, repository: CallRepository) throws(APIFailure) -> [UInt8] {
        let log = repository.changes
        do throws(APIError) {
            let answer = try log.answer(changes, organizationID: organizationID, signer: repository.changesTokens)
            return ChangesResponseWriter.envelope(
                page: answer.page, nextSince: answer.nextSince, organizationID: organizationID,
                includeTranscript: changes.includeTranscript)
        } catch {
            throw APIFailure(error: error)
        }
    }
}
