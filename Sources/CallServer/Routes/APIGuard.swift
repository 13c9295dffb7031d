import CallCore
import HTTPKit

/// The head checks every `/api/...` route shares, in API.md's order: credentials (401), the key's rate
/// limit (429), scope (403), then, once path parameters are checked by the route and the size by HTTPKit (413),
/// media type (415).
struct APIGuard: Sendable {
    let keys: KeyRing
    /// Nil when no rate limit is configured: then no request takes its lock.
    var rateLimiter: RateLimiter? = nil

    /// The caller, or 401/429/403.
    func authorize(_ head: HTTPRequestHead, scope: String) throws(APIFailure) -> Principal {
        // Two copies of a credential header are ambiguous: treat as missing rather than pick one. The values are
        // compared as bytes; a string is made only when the key is not yet remembered as verified.
        let principal = head.headers.withOnlyValue("X-API-KEY") { key, _ -> Principal? in
            guard let key else { return nil }
            return head.headers.withOnlyValue("X-API-SECRET") { secret, _ in
                secret.flatMap { keys.authenticate(key: key, secret: $0) }
            }
        }
        guard let principal else { throw APIFailure.unauthorized }
        // Only authenticated keys reach the limiter, so its table holds valid keys only.
        if let rateLimiter { try rateLimiter.admit(key: principal.key) }
        guard principal.scopes.contains(scope) else { throw APIFailure.forbidden(scope: scope) }
        return principal
    }

    /// Admits the head of a route that reads with a JSON body: the caller with `calls:read` (401/429/403), under the
    /// server's body limit; `admitJSONBody` checks the media type once the size has passed.
    func admitJSONRead(_ head: HTTPRequestHead) throws(APIFailure) -> HTTPAdmission {
        HTTPAdmission(context: try authorize(head, scope: Scope.read))
    }

    /// `admission` once the body is JSON (415 otherwise).
    func admitJSONBody(_ head: HTTPRequestHead, _ admission: HTTPAdmission) throws(APIFailure) -> HTTPAdmission {
        try checkMediaType(head, "application/json")
        return admission
    }

    /// 415 unless the body is `mediaType` (parameters allowed; a charset must be UTF-8). A request with
    /// no body needs no `Content-Type`.
    func checkMediaType(_ head: HTTPRequestHead, _ mediaType: String, alternative: String? = nil) throws(APIFailure) {
        let accepted = head.headers.withOnlyValue("Content-Type") { value, isPresent in
            guard isPresent else {
                switch head.framing {
                case .none, .contentLength(0): return true
                default: return false
                }
            }
            guard let value else { return false }
            return MediaType.matches(value, mediaType) || alternative.map { MediaType.matches(value, $0) } == true
        }
        guard accepted else { throw APIFailure.unsupportedMediaType(expected: mediaType) }
    }
}
