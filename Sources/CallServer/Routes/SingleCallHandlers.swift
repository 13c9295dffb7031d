import CallCore
import HTTPKit

/// What single-call handlers share: the guard, the repository, and the response shapes.
struct CallRouteContext: Sendable {
    let guardrail: APIGuard
    let gate: StoreGate
    let maxBodyBytes: Int

    /// Auth, scope, then the path's `call_id` (API.md's order).
    func admit(_ head: HTTPRequestHead, _ parameters: [String: String], scope: String) throws -> (Principal, String) {
        let principal = try guardrail.authorize(head, scope: scope)
        let callID = try CallPath.callID(parameters)
        return (principal, callID)
    }

    /// The repository, or nil once `completion` has the 503 the gate answers while the store is loading.
    func repository(orFail completion: HTTPCompletion) -> CallRepository? {
        do throws(APIFailure) {
            return try gate.repository()
        } catch {
            completion(.failure(error))
            return nil
        }
    }

    /// The envelope holding one call (with transcript), with its `ETag`.
    func callResponse(_ call: Call, status: Int, message: String, extraHeaders: [HTTPField] = []) -> HTTPResponse {
        var callJSON = 0..<0
        let body = Envelope.success(message: message) { writer in
            callJSON = writer.range { CallJSON.write(call, includeTranscript: true, into: &$0) }
        }
        // The tag hashes the call's bytes where the writer put them instead of encoding the call a second time.
        let tag = CallETag.of(json: body[callJSON])
        return .json(status: status, body: body, headers: [HTTPField(name: "ETag", value: tag)] + extraHeaders)
    }
}

/// The admitted caller and the decoded `call_id`, handed from `admit` to `respond`.
struct CallRequestContext: Sendable {
    var principal: Principal
    var callID: String
}

/// `GET /api/calls/{call_id}` (and `HEAD`): one call with its transcript and `ETag`.
struct GetCallHandler: HTTPHandler {
    let context: CallRouteContext

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        let (principal, callID) = try context.admit(head, parameters, scope: Scope.read)
        try context.guardrail.checkSize(head, limit: context.maxBodyBytes)
        return HTTPAdmission(maxBodyBytes: context.maxBodyBytes, context: CallRequestContext(principal: principal, callID: callID))
    }

    func respond(to request: HTTPRequest) throws -> HTTPResponse {
        guard let admitted = request.context as? CallRequestContext else { throw HTTPError.internalError(requestID: request.requestID) }
        guard let call = try context.gate.repository().current.call(organizationID: admitted.principal.organizationID, callID: admitted.callID) else {
            throw APIFailure(error: .callNotFound(admitted.callID))
        }
        return context.callResponse(call, status: 200, message: "Call retrieved successfully")
    }
}

/// `PUT`, `PATCH` and `DELETE /api/calls/{call_id}`: decided against the latest state, answered once durable.
struct WriteCallHandler: HTTPDeferredHandler {
    let context: CallRouteContext
    let kind: SingleCallWrite.Kind

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        let (principal, callID) = try context.admit(head, parameters, scope: Scope.write)
        try context.guardrail.checkSize(head, limit: context.maxBodyBytes)
        switch kind {
        case .put: try context.guardrail.checkMediaType(head, "application/json")
        case .patch: try context.guardrail.checkMediaType(head, "application/json", alternative: "application/merge-patch+json")
        case .delete: break
        }
        return HTTPAdmission(maxBodyBytes: context.maxBodyBytes, context: CallRequestContext(principal: principal, callID: callID))
    }

    func respond(to request: HTTPRequest, completion: HTTPCompletion) {
        guard let admitted = request.context as? CallRequestContext else {
            completion(.failure(HTTPError.internalError(requestID: request.requestID)))
            return
        }
        let context = self.context
        guard let repository = context.repository(orFail: completion) else { return }
        let write = SingleCallWrite(
            kind: kind, organizationID: admitted.principal.organizationID, callID: admitted.callID,
            ifMatch: request.head.headers.values("If-Match"), body: request.body)
        repository.write(write.decide(latest:now:), render: { outcome in
            context.callResponse(
                outcome.call, status: outcome.status, message: outcome.message,
                extraHeaders: outcome.location.map { [HTTPField(name: "Location", value: $0)] } ?? [])
        }, completion: { result in
            completion(result.mapError { APIFailure(error: $0) })
        })
    }
}
