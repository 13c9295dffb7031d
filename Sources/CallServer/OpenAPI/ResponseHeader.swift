import CallCore

/// A response header the document names: what it says, and its schema.
enum ResponseHeader: String, Sendable {
    case eTag = "ETag"
    case location = "Location"
    case retryAfter = "Retry-After"
    case rateLimitPolicy = "RateLimit-Policy"
    case rateLimit = "RateLimit"
    case wwwAuthenticate = "WWW-Authenticate"
    case allow = "Allow"

    var description: String {
        switch self {
        case .eTag: return "The call's version; send it in If-Match to change only this version."
        case .location: return "The path of the created call."
        case .retryAfter: return "Whole seconds to wait before trying again."
        case .rateLimitPolicy: return "The key's rate-limit policy (IETF httpapi-ratelimit-headers)."
        case .rateLimit: return "What is left of the key's rate limit (IETF httpapi-ratelimit-headers)."
        case .wwwAuthenticate: return "The challenge: ApiKey realm=\"calls\"."
        case .allow: return "The methods the path allows."
        }
    }

    var schema: JSONValue {
        self == .retryAfter ? ["type": "string", "pattern": "^[0-9]+$"] : ["type": "string"]
    }
}
