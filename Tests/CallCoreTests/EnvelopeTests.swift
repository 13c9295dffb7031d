import CallCore
import Testing

@Suite("Envelope and APIError")
struct EnvelopeTests {
    @Test func successEnvelopeHasMessageStatusNullErrorAndData() {
        let bytes = Envelope.success(message: "Done") { $0.object { o in o.member("x", 1 as Int64) } }
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"message":"Done","status":"success","error":null,"data":{"x":1}}"#)
    }

    @Test func errorEnvelopeHasCodeAndNullData() {
        let bytes = Envelope.error(.invalidRequest("limit must be between 1 and 100."))
        #expect(String(decoding: bytes, as: UTF8.self)
            == #"{"message":"limit must be between 1 and 100.","status":"error","error":"invalid_request","data":null}"#)
    }

    @Test func errorMessageIsEscaped() throws {
        let bytes = Envelope.error(.notFound("No call \"a\\b\"\n"))
        #expect(try JSONReader.parse(bytes)["message"] == .string("No call \"a\\b\"\n"))
    }

    @Test func constructorsCarryTheTableStatusAndCode() {
        let table: [(APIError, Int, String)] = [
            (.invalidRequest("m"), 400, "invalid_request"),
            (.badRequest, 400, "bad_request"),
            (.unauthorized, 401, "unauthorized"),
            (.forbidden, 403, "forbidden"),
            (.notFound, 404, "not_found"),
            (.callNotFound("c-1"), 404, "not_found"),
            (.methodNotAllowed, 405, "method_not_allowed"),
            (.requestTimeout, 408, "request_timeout"),
            (.preconditionFailed, 412, "precondition_failed"),
            (.payloadTooLarge(limit: 1_048_576), 413, "payload_too_large"),
            (.uriTooLong, 414, "uri_too_long"),
            (.unsupportedMediaType, 415, "unsupported_media_type"),
            (.unsupportedMediaType(expected: "application/x-ndjson"), 415, "unsupported_media_type"),
            (.rateLimited, 429, "rate_limited"),
            (.headersTooLarge, 431, "headers_too_large"),
            (.internalError(requestID: "r-1"), 500, "internal_error"),
            (.unavailable, 503, "unavailable"),
            (.httpVersionNotSupported, 505, "http_version_not_supported"),
        ]
        for (error, status, code) in table {
            #expect(error.status == status)
            #expect(error.code == code)
            #expect(!error.message.isEmpty)
        }
    }

    @Test func internalErrorNamesTheRequestID() {
        #expect(APIError.internalError(requestID: "req-42").message.contains("req-42"))
    }
}
