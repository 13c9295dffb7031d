import CallCore
import HTTPKit

/// `GET /api/calls/{call_id}` (and `HEAD`): one call with its transcript and `ETag`.
struct GetCallHandler: HTTPHandler {
    let context: CallRouteContext

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        let (principal, callID) = try context.admit(head, parameters, scope: Scope.read)
        return HTTPAdmission(context: CallRequestContext(principal: principal, callID: callID))
    }

    func respond(to request: HTTPRequest) throws -> HTTPResponse {
        guard let admitted = request.context as? CallRequestContext else { throw HTTPError.internalError(requestID: request.requestID) }
        guard let call = try context.gate.repository().current.call(organizationID: admitted.principal.organizationID, callID: admitted.callID) else {
            throw APIFailure(error: .callNotFound(admitted.callID))
        }
        return context.callResponse(call, status: 200, message: "Call retrieved successfully")
    }
}
