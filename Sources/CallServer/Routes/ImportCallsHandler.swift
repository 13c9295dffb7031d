import CallCore
import HTTPKit

/// `POST /api/calls/import`: NDJSON, one `PUT` body plus `call_id` a line, all or nothing.
struct ImportCallsHandler: HTTPDeferredHandler {
    let context: CallRouteContext
    let maxImportBytes: Int

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        let principal = try context.guardrail.authorize(head, scope: Scope.write)
        try context.guardrail.checkSize(head, limit: maxImportBytes)
        try context.guardrail.checkMediaType(head, "application/x-ndjson")
        return HTTPAdmission(maxBodyBytes: maxImportBytes, context: principal)
    }

    func respond(to request: HTTPRequest, completion: HTTPCompletion) {
        guard let principal = request.context as? Principal else {
            completion(.failure(HTTPError.internalError(requestID: request.requestID)))
            return
        }
        let body = request.body
        guard let repository = context.repository(orFail: completion) else { return }
        // Decoding a large import takes a while: keep it off the event loop, in the organization's share of the
        // slow-work pool. The write's answer comes from the journal once durable, not from the worker.
        completion.runSlow(for: principal.workOwner) {
            let parsed: (calls: [(line: Int, call: Call)], lines: Int)
            do throws(APIError) {
                parsed = try Self.decode(body, organizationID: principal.organizationID)
            } catch {
                return .failure(APIFailure(error: error))
            }
            repository.write({ (latest: (String, String) -> Call?, now: Int64) throws(APIError) -> CallRepository.Decision<HTTPResponse> in
                var created = 0
                var replaced = 0
                var mutations: [CallMutation] = []
                mutations.reserveCapacity(parsed.calls.count)
                for (_, var call) in parsed.calls {
                    let existing = latest(call.organizationID, call.callID)
                    if let existing {
                        call.id = existing.id
                        replaced += 1
                    } else {
                        created += 1
                    }
                    // A line that changes nothing leaves its call (and its stamp) as stored.
                    if let stored = call.written(over: existing, at: now) { mutations.append(.upsert(stored)) }
                }
                let body = Envelope.success(message: "Calls imported successfully") { writer in
                    writer.object { data in
                        data.member("lines", Int64(parsed.lines))
                        data.member("imported", Int64(parsed.calls.count))
                        data.member("created", Int64(created))
                        data.member("replaced", Int64(replaced))
                    }
                }
                return .init(mutations: mutations, outcome: .json(status: 200, body: body))
            }, completion: { result in
                completion(result.mapError { APIFailure(error: $0) })
            })
            return nil
        }
    }

    /// Every non-blank line decoded; the first bad line (1-based) or repeated `call_id` is a 400 naming it.
    static func decode(_ body: [UInt8], organizationID: String) throws(APIError) -> (calls: [(line: Int, call: Call)], lines: Int) {
        var calls: [(line: Int, call: Call)] = []
        var seen = Set<String>()
        var lineNumber = 0
        var start = 0
        while start < body.count {
            var end = start
            while end < body.count && body[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            var line = body[start..<end]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            start = end + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            let call: Call
            do throws(APIError) {
                call = try CallRecordDecoder.decodeImportRouteLine(line, organizationID: organizationID)
            } catch {
                throw APIError.invalidRequest("line \(lineNumber): \(error.message)")
            }
            guard seen.insert(call.callID).inserted else {
                throw APIError.invalidRequest("line \(lineNumber): call_id \(call.callID) appears earlier in this import.")
            }
            calls.append((lineNumber, call))
        }
        return (calls, lineNumber)
    }
}
