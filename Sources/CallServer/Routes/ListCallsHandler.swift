import CallCore
#if canImport(Glibc)
import Glibc
#endif
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
        Self.mayBeSlow(request.body)
    }

    /// Whether a list body has an escape or names `include_transcript` (see `defers`).
    static func mayBeSlow(_ body: [UInt8]) -> Bool {
        // Vectorized C library searches (`memchr`) rather than a look at each byte: this runs on every list request.
        // `include_transcript` is looked for at each underscore, of which a body has a few.
        body.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return false }
            if memchr(base, Int32(UInt8(ascii: "\\")), bytes.count) != nil { return true }
            let name: StaticString = "include_transcript"
            let split = 7  // the underscore's offset in `name`
            let wanted = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
            var from = split
            while from < bytes.count, let found = memchr(base + from, Int32(UInt8(ascii: "_")), bytes.count - from) {
                let start = base.distance(to: UnsafeRawPointer(found)) - split
                if start + wanted.count <= bytes.count, bytes[start..<(start + wanted.count)].elementsEqual(wanted) { return true }
                from = start + split + 1
            }
            return false
        }
    }

    func respond(to request: HTTPRequest, completion: HTTPCompletion) {
        guard let principal = request.context as? Principal else {
            completion(.failure(HTTPError.internalError(requestID: request.requestID)))
            return
        }
        completion.runSlow(for: principal.workOwner) { Result { try respond(to: request) } }
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
