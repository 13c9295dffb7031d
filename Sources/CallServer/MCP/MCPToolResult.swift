import CallCore
import HTTPKit

/// Writes the result of a `tools/call`: the answer's JSON both as `structuredContent` and as one text content
/// block (clients that read only text get the same), or, for a refusal, `isError: true` with the REST route's
/// error envelope as the text.
enum MCPToolResult {
    /// A successful call whose answer is `data` (one JSON object, as the REST route's `data`).
    static func success(id: JSONRPCID, data: [UInt8]) -> [UInt8] {
        JSONRPCReply.result(id: id) { result in
            result.object { result in
                result.member("content") { content in
                    content.array { content in textBlock(data, into: &content) }
                }
                result.key("structuredContent")
                result.rawValue(data)
                result.member("isError", false)
            }
        }
    }

    /// A refused call: `isError` with the envelope the REST route answers (same `error` code and message).
    static func failure(id: JSONRPCID, _ error: APIError) -> [UInt8] {
        let envelope = Envelope.error(error)
        return JSONRPCReply.result(id: id) { result in
            result.object { result in
                result.member("content") { content in
                    content.array { content in textBlock(envelope, into: &content) }
                }
                result.member("isError", true)
            }
        }
    }

    /// The same refusal from HTTPKit's own errors (the slow-work 429 and 503).
    static func failure(id: JSONRPCID, _ error: any HTTPResponseError) -> [UInt8] {
        failure(id: id, APIError(status: error.httpStatus, code: error.errorCode, message: error.errorMessage))
    }

    private static func textBlock(_ json: [UInt8], into writer: inout JSONWriter) {
        writer.object { block in
            block.member("type", "text")
            // The bytes are JSON this server wrote, so valid UTF-8.
            block.member("text", String(decoding: json, as: UTF8.self))
        }
    }
}
