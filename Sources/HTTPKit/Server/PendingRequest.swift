/// A request whose head has been parsed and whose body is still arriving. A class: the connection checks and
/// hands on its request several times per request, and copying a value this size (head, response, existentials)
/// cost more than the one allocation.
final class PendingRequest {
    let head: HTTPRequestHead
    let requestID: String
    let startedAt: UInt64
    /// Set when the response was decided from the head alone; the body is then read and dropped.
    var rejection: HTTPResponse?
    var route: HTTPRoute?
    /// The request's place in the router's `routeLabels` (0, `unmatched`, until routing finds a pattern).
    var labelIndex = 0
    var parameters: [String: String] = [:]
    var admission: HTTPAdmission?
    var omitBody: Bool
    var body: [UInt8] = []
    /// Whether body bytes are kept for the handler (methods that take no content have theirs dropped).
    var keepsBody = true
    /// Bytes of the body budget this request holds, given back once it is answered.
    var reservedBodyBytes = 0
    /// Set when the client goes while a deferred response is produced.
    var cancellation: WorkCancellation?

    init(head: HTTPRequestHead, requestID: String, startedAt: UInt64, omitBody: Bool) {
        self.head = head
        self.requestID = requestID
        self.startedAt = startedAt
        self.omitBody = omitBody
    }
}
