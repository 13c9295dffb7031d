import CallCore
import HTTPKit
import Synchronization

/// `POST /api/calls/import`: NDJSON, one `PUT` body plus `call_id` a line, all or nothing; one import per
/// organization at a time.
struct ImportCallsHandler: HTTPDeferredHandler {
    let context: CallRouteContext
    let maxImportBytes: Int
    let slots: ImportSlots
    /// Where the 429 for an import already running is counted (`rate_limit`, the reason of every 429 of a key).
    let refusals: HTTPMetrics?

    /// What `admitBody` hands to `respond`: the caller and its organization's import slot.
    private struct Admitted: Sendable {
        var principal: Principal
        var slot: ImportSlots.Slot
    }

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        // An import has a body limit of its own, larger than the server's.
        HTTPAdmission(maxBodyBytes: maxImportBytes, context: try context.guardrail.authorize(head, scope: Scope.write))
    }

    func admitBody(_ head: HTTPRequestHead, _ admission: HTTPAdmission) throws -> HTTPAdmission {
        // `admit` put the caller there; were it missing, `respond` would answer 500 with the request's id.
        guard let principal = admission.context as? Principal else { return admission }
        try context.guardrail.checkMediaType(head, "application/x-ndjson")
        // Claimed before the body budget is asked (API.md's order), so a refused import reserves no body.
        guard let slot = slots.claim(principal.organizationID) else {
            refusals?.countRateLimited()
            throw APIFailure.importRunning
        }
        return HTTPAdmission(maxBodyBytes: admission.maxBodyBytes, context: Admitted(principal: principal, slot: slot))
    }

    func respond(to request: HTTPRequest, completion: HTTPCompletion) {
        guard let admitted = request.context as? Admitted else {
            completion(.failure(HTTPError.internalError(requestID: request.requestID)))
            return
        }
        guard let repository = context.repository(orFail: completion) else { return }
        let body = ImportBody(request.body)
        let organizationID = admitted.principal.organizationID
        // Decoding a large import takes a while: keep it off the event loop, in the organization's share of the
        // slow-work pool. The write's answer comes from the journal once durable, not from the worker.
        completion.runSlow(for: admitted.principal.workOwner) {
            let decoded: CallImport
            do throws(APIError) {
                decoded = try body.decode(organizationID: organizationID)
            } catch {
                admitted.slot.release()
                return .failure(APIFailure(error: error))
            }
            repository.write(decoded.decide(latest:now:), render: Self.response, completion: { result in
                // Given back before the answer goes out, so a client that imports again at once is not refused.
                admitted.slot.release()
                completion(result.mapError { APIFailure(error: $0) })
            })
            return nil
        }
    }

    /// The answer to a durable import.
    private static func response(_ counts: CallImport.Counts) -> HTTPResponse {
        let body = Envelope.success(message: "Calls imported successfully") { writer in
            writer.object { data in
                data.member("lines", Int64(counts.lines))
                data.member("imported", Int64(counts.imported))
                data.member("created", Int64(counts.created))
                data.member("replaced", Int64(counts.replaced))
            }
        }
        return .json(status: 200, body: body)
    }

    /// An import's body, held until the worker decodes it and let go as soon as it is decoded: the journal record the
    /// write encodes next is about as large, and the two need not be in memory at once.
    private final class ImportBody: Sendable {
        private let bytes: Mutex<[UInt8]>

        init(_ bytes: [UInt8]) {
            self.bytes = Mutex(bytes)
        }

        /// The body's calls; the body is gone afterwards.
        func decode(organizationID: String) throws(APIError) -> CallImport {
            var taken: [UInt8] = []
            bytes.withLock { swap(&$0, &taken) }
            return try CallImport.decode(taken, organizationID: organizationID)
        }
    }
}
