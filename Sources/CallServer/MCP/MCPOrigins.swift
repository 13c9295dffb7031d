import CallCore
import HTTPKit

/// The `Origin` values allowed on `/mcp` (`--mcp-origin`). A browser sends `Origin` with every cross-site POST;
/// refusing foreign ones stops a web page from reaching a local server through DNS rebinding. Clients that
/// are not browsers send no `Origin` and pass.
struct MCPOrigins: Sendable {
    /// The allowed origins, lower-cased (scheme and host compare without case).
    private let allowed: Set<String>

    /// Allows exactly `origins` (none when empty).
    init(_ origins: [String]) {
        allowed = Set(origins.map { $0.lowercased() })
    }

    /// 403 when `Origin` is present and not allowed (sent twice counts as not allowed).
    func check(_ head: HTTPRequestHead) throws(APIFailure) {
        let (value, isPresent) = head.headers.only("Origin")
        guard isPresent else { return }
        guard let value, allowed.contains(Substring(value).trimmingSpaces().lowercased()) else {
            throw APIFailure(error: .forbidden(
                "This Origin may not use /mcp: the server admits only the origins given with --mcp-origin."))
        }
    }

    /// Why `origin` cannot be allowed (nil when it can): an origin is `scheme://host[:port]`, nothing after.
    static func problem(_ origin: String) -> String? {
        guard let separator = origin.range(of: "://") else { return "\(origin) is not an origin such as https://app.example" }
        let scheme = origin[..<separator.lowerBound], authority = origin[separator.upperBound...]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }),
              !authority.isEmpty, !authority.contains(where: { "/?# ,".contains($0) }) else {
            return "\(origin) is not an origin such as https://app.example (scheme, host and port only)"
        }
        return nil
    }
}
