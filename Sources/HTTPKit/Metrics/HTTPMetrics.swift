import Locking
import Synchronization

/// The HTTP server's metrics: requests by route, method and status, their durations, refusals, open connections
/// and the slow-work queue. The application makes one, hands it to `HTTPServer`, and writes it out when scraped;
/// the event loops count into counters of their own, summed here.
public final class HTTPMetrics: Sendable {
    private struct Attachment {
        var routeLabels: [String]
        var loops: [LoopMetrics]
        /// The server's shared state (connections, slow queue); nil for counters with no server around them. Weak:
        /// the server holds these metrics.
        weak var core: ServerCore?
    }

    private let attachment = Locked<Attachment?>(nil)
    /// Refusals decided off the event loops (a key's rate limit): rare, so a shared counter is no cost.
    private let rateLimited = Atomic<UInt64>(0)

    /// Metrics not yet attached to a server (all zero).
    public init() {}

    /// Counts a request refused for its key's rate (a limit the application keeps; HTTPKit counts the refusals of
    /// its own limits where it decides them).
    public func countRateLimited() {
        rateLimited.add(1, ordering: .relaxed)
    }

    /// Connects the metrics to the server that counts into them (its loops' counters and shared state).
    func attach(routeLabels: [String], loops: [LoopMetrics], core: ServerCore?) {
        attachment.withLock { $0 = Attachment(routeLabels: routeLabels, loops: loops, core: core) }
    }

    /// The loops' counters summed, with the refusals counted elsewhere added in.
    private func sum() -> (counters: HTTPCounterTotals, labels: [String], core: ServerCore?) {
        let attached = attachment.withLock { $0 }
        var totals = HTTPCounterTotals()
        totals.prepare(routeCount: attached?.routeLabels.count ?? 1)
        for loop in attached?.loops ?? [] { loop.add(to: &totals) }
        totals.refusals[RefusalReason.rateLimit.rawValue] &+= rateLimited.load(ordering: .relaxed)
        if let core = attached?.core ?? nil {
            totals.refusals[RefusalReason.slowQueue.rawValue] &+= core.workers.refusedCount
        }
        return (totals, attached?.routeLabels ?? [MetricLabels.unmatchedRoute], attached?.core ?? nil)
    }

    /// Writes the HTTP families (requests, durations, connections, refusals, slow queue).
    public func write(to text: inout PrometheusText) {
        let (totals, routes, core) = sum()
        let methods = MetricLabels.methods
        text.family("callserver_http_requests_total", .counter, help: "HTTP requests answered, by route pattern, method and status.")
        for (route, routeLabel) in routes.enumerated() {
            for (method, methodLabel) in methods.enumerated() {
                let base = (route * methods.count + method) * MetricLabels.statusSlots
                for slot in 0..<MetricLabels.statusSlots where totals.requests[base + slot] > 0 {
                    let status = String(slot + MetricLabels.lowestStatus)
                    text.sample(
                        "callserver_http_requests_total", totals.requests[base + slot],
                        labels: ["route": routeLabel, "method": methodLabel, "status": status])
                }
            }
        }
        text.family(
            "callserver_http_request_duration_seconds", .histogram,
            help: "Time from a request's head to its response being queued, by route pattern.")
        let bounds = MetricLabels.durationBounds.map { Double($0) / 1e9 }
        for (route, routeLabel) in routes.enumerated() {
            let start = route * (bounds.count + 1)
            text.histogram(
                "callserver_http_request_duration_seconds", labels: ["route": routeLabel], bounds: bounds,
                counts: Array(totals.durationBuckets[start..<(start + bounds.count + 1)]),
                sum: Double(totals.durationNanoseconds[route]) / 1e9)
        }
        text.family("callserver_open_connections", .gauge, help: "Client connections open now.")
        text.sample("callserver_open_connections", UInt64(max(0, core?.openConnections.load(ordering: .relaxed) ?? 0)))
        text.family("callserver_refused_total", .counter, help: "Requests and connections refused by a limit, by reason.")
        for reason in RefusalReason.allCases {
            text.sample("callserver_refused_total", totals.refusals[reason.rawValue], labels: ["reason": reason.label])
        }
        text.family("callserver_slow_queue_depth", .gauge, help: "Slow requests waiting for a worker now.")
        text.sample("callserver_slow_queue_depth", UInt64(max(0, core?.workers.depth ?? 0)))
    }
}
