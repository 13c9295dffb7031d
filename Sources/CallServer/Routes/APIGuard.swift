import CallCore
import HTTPKit

/// The head checks every `/api/...` route shares, in API.md's order: credentials (401), scope (403),
/// then, once path parameters are checked by the route, size (413) and media type (415).
struct APIGuard: Sendable {
    let keys: KeyRing

    /// The caller, or 401/403.
    func authorize(_ head: HTTPRequestHead, scope: String) throws(APIFailure) -> Principal {
        let key = head.headers.values("X-API-KEY")
        let secret = head.headers.values("X-API-SECRET")
        // Two copies of a credential header are ambiguous: treat as missing rather than pick one.
        guard key.count == 1, secret.count == 1,
              let principal = keys.authenticate(key: key.first, secret: secret.first) else {
            throw APIFailure.unauthorized
        }
        guard principal.scopes.contains(scope) else { throw APIFailure.forbidden(scope: scope) }
        return principal
    }

    /// 413 when `Content-Length` is over `limit` (chunked bodies are cut off by the parser).
    func checkSize(_ head: HTTPRequestHead, limit: Int) throws(HTTPError) {
        if case .contentLength(let length) = head.framing, length > limit {
            throw HTTPError.payloadTooLarge(limit: limit)
        }
    }

    /// 415 unless the body is `mediaType` (parameters allowed; a charset must be UTF-8). A request with
    /// no body needs no `Content-Type`.
    func checkMediaType(_ head: HTTPRequestHead, _ mediaType: String, alternative: String? = nil) throws(APIFailure) {
        let values = head.headers.values("Content-Type")
        if values.isEmpty {
            switch head.framing {
            case .none, .contentLength(0): return
            default: throw APIFailure.unsupportedMediaType(expected: mediaType)
            }
        }
        guard values.count == 1,
              MediaType.matches(values[0], mediaType) || alternative.map({ MediaType.matches(values[0], $0) }) == true else {
            throw APIFailure.unsupportedMediaType(expected: mediaType)
        }
    }
}

/// Media type comparison per RFC 9110 §8.3.1: type/subtype case-insensitive, parameters after `;`.
enum MediaType {
    static func matches(_ value: String, _ expected: String) -> Bool {
        let parts = value.split(separator: ";", omittingEmptySubsequences: false)
        guard let essence = parts.first else { return false }
        guard essence.trimmingSpaces().lowercased() == expected else { return false }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { return false }
            if pair[0].trimmingSpaces().lowercased() == "charset" {
                var charset = pair[1].trimmingSpaces().lowercased()
                if charset.hasPrefix("\""), charset.hasSuffix("\""), charset.count >= 2 {
                    charset = String(charset.dropFirst().dropLast())
                }
                guard charset == "utf-8" || charset == "utf8" else { return false }
            }
        }
        return true
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
