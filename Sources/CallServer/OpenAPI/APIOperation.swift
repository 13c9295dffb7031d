import CallCore

/// What the OpenAPI document says of one route: its name, its words, what it takes and every status it can answer.
struct APIOperation: Sendable {
    /// A response's body.
    enum Content: Sendable {
        /// The API's envelope with `data` of this schema.
        case envelope(JSONValue)
        /// A JSON body of its own (the operations routes).
        case json(JSONValue)
        /// One of several JSON bodies (a route whose refusals use the envelope but whose answers do not).
        case jsonOneOf([JSONValue])
        /// Prometheus text.
        case prometheusText
    }

    /// An answer the route gives besides the shared refusals (its successes, and refusals of its own shape).
    struct Answer: Sendable {
        var status: Int
        var description: String
        var content: Content
        /// Its headers; `required` ones are on every such answer.
        var headers: [(header: ResponseHeader, required: Bool)] = []
    }

    /// A request body.
    struct RequestBody: Sendable {
        var mediaTypes: [String]
        var schema: JSONValue
        var required: Bool
        var description: String
        /// A body a person or a model can start from.
        var example: JSONValue? = nil
    }

    var operationID: String
    var summary: String
    var description: String
    var tag: String
    /// The scope the key needs; nil for a route that takes no credentials.
    var scope: String?
    /// Whether the path carries `{call_id}`.
    var takesCallID = false
    /// Whether `If-Match` is honoured (412 when it does not hold).
    var honoursIfMatch = false
    /// Whether a success can store a new call, so the organization's quota can refuse it (507).
    var addsCalls = false
    /// Whether the route takes a changes token that can be too old (410).
    var takesSinceToken = false
    var requestBody: RequestBody?
    var answers: [Answer]

    /// Every refusal status the route can give besides its own answers, in ascending order.
    var refusals: [Int] {
        // Any route: malformed HTTP, timeouts, sizes of target, headers and body, bugs, shutdown, HTTP version.
        var statuses: Set = [400, 408, 413, 414, 431, 500, 503, 505]
        if scope != nil { statuses.formUnion([401, 403, 429]) }
        if requestBody != nil { statuses.insert(415) }
        // A call_id that names another route (`import`) reaches that route, which allows other methods (405).
        if takesCallID { statuses.formUnion([404, 405]) }
        if honoursIfMatch { statuses.insert(412) }
        if addsCalls { statuses.insert(507) }
        if takesSinceToken { statuses.insert(410) }
        return statuses.subtracting(answers.map(\.status)).sorted()
    }
}
