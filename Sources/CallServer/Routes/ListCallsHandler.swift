import CallCore
import Dispatch
import HTTPKit

/// `POST /api/calls`: list with pagination and filtering (API.md).
///
/// Lists run on the event loop when they are quick, which bounds how long one request holds the
/// loop (and every other connection on it): measured at 100,000 calls per organization, every
/// query without a phrase or transcripts answers within about 2 ms. Two kinds can take longer and
/// run on a worker thread instead, so the loop goes on serving meanwhile: a quoted phrase in
/// `transcript_search` (positions are verified in every candidate transcript: ~55 ms for a long
/// phrase of common words) and `include_transcript` (up to 100 transcripts of 256 KiB to encode).
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

    /// Decided from the raw body, without decoding it: a phrase appears as an escaped quote, and
    /// transcripts can only be asked for by naming `include_transcript`. Any escape defers, since
    /// `\u0022` is a quote too and a key may be spelled with escapes. A false positive (an escape
    /// elsewhere, `include_transcript: false`) only costs a thread hop.
    func defers(_ request: HTTPRequest) -> Bool {
        request.body.withUnsafeBufferPointer { bytes in
            // One pass: a backslash, or the start of `include_transcript`.
            for start in bytes.indices {
                switch bytes[start] {
                case UInt8(ascii: "\\"):
                    return true
                case UInt8(ascii: "i"):
                    let name: StaticString = "include_transcript"
                    let end = start + name.utf8CodeUnitCount
                    if end <= bytes.count,
                        bytes[start..<end].elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)) {
                        return true
                    }
                default:
                    break
                }
            }
            return false
        }
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
