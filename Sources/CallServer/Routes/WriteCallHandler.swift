import CallCore
import HTTPKit

/// `PUT`, `PATCH` and `DELETE /api/calls/{call_id}`: decided against the latest state, answered once durable.
struct WriteCallHandler: HTTPDeferredHandler {
    let context: CallRouteContext
    let kind: SingleCallWrite.Kind

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        let (principal, callID) = try context.admit(head, parameters, scope: Scope.write)
        return HTTPAdmission(context: CallRequestContext(principal: principal, callID: callID))
    }

    func admitBody(_ head: HTTPRequestHead, _ admission: HTTPAdmission) throws -> HTTPAdmission {
        switch kind {
        case .put: try context.guardrail.checkMediaType(head, "application/json")
        case .patch: try context.guardrail.checkMediaType(head, "application/json", alternative: "application/merge-patch+json")
        case .delete: break
        }
        return admission
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
