/// Why the server refused a request or connection; each is a `reason` of `callserver_refused_total`.
enum RefusalReason: Int, CaseIterable, Sendable {
    /// The connection cap, or the process out of descriptors (503 and close).
    case connectionLimit
    /// The memory budget of bodies in flight (503).
    case bodyBudget
    /// The slow-work queue: a key's share (429) or the whole queue (503).
    case slowQueue
    /// A key's request rate (429).
    case rateLimit
    /// A request not received in time (408).
    case timeout

    /// The label value.
    var label: String {
        switch self {
        case .connectionLimit: return "connection_limit"
        case .bodyBudget: return "body_budget"
        case .slowQueue: return "slow_queue"
        case .rateLimit: return "rate_limit"
        case .timeout: return "timeout"
        }
    }
}
