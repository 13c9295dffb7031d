import CallCore
import HTTPKit

/// What single-call handlers share: the guard, the repository, and the response shapes.
struct CallRouteContext: Sendable {
    let guardrail: APIGuard
    let gate: StoreGate

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
