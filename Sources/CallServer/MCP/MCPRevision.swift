import CallCore
import HTTPKit

/// The MCP protocol revisions `/mcp` speaks: the `initialize` handshake of 2025-11-25 and 2025-06-18. Not
/// 2025-03-26 (it requires batches) and not the stateless 2026-07-28 revision: a client probing for that one
/// sends its version in `MCP-Protocol-Version`, gets 400 with -32600 (not one of that revision's own errors)
/// and falls back to the handshake, as that revision's backward-compatibility rules say.
enum MCPRevision {
    /// The newest revision, answered to an `initialize` asking for one we do not speak.
    static let latest = "2025-11-25"
    /// Every revision spoken, newest first.
    static let supported = [latest, "2025-06-18"]

    /// The revision an `initialize` asking for `requested` gets: the same when spoken, else the latest
    /// (the client then decides whether it can go on).
    static func negotiate(_ requested: String) -> String {
        supported.contains(requested) ? requested : latest
    }

    /// The `MCP-Protocol-Version` header of a request, as far as this server is concerned.
    enum Header: Sendable, Equatable {
        /// Not sent: served as the latest (no session remembers what was negotiated, and the revisions
        /// spoken answer the same messages alike).
        case absent
        /// Sent once.
        case value(String)
        /// Sent more than once: ambiguous, so not supported.
        case repeated
    }

    /// The header of `head`.
    static func header(of head: HTTPRequestHead) -> Header {
        let (value, isPresent) = head.headers.only("MCP-Protocol-Version")
        guard isPresent else { return .absent }
        guard let value else { return .repeated }
        return .value(Substring(value).trimmingSpaces())
    }

    /// The 400 for a header naming a revision not spoken (nil when it is fine): JSON-RPC -32600 whose `data`
    /// names the revisions spoken (`supported`) and what was asked for (`requested`).
    static func refusal(_ header: Header, id: JSONRPCID?) -> JSONRPCFailure? {
        let requested: String
        switch header {
        case .absent: return nil
        case .value(let version):
            if supported.contains(version) { return nil }
            requested = version
        case .repeated:
            requested = ""
        }
        let list = supported.joined(separator: ", ")
        return JSONRPCFailure(
            code: JSONRPCFailure.invalidRequestCode,
            message: "Unsupported MCP-Protocol-Version; this server speaks \(list) (after an initialize handshake).",
            id: id,
            data: ["supported": .array(supported.map { .string($0) }), "requested": .string(requested)])
    }
}
