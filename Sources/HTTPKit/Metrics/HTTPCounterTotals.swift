/// The counters of every loop, summed: flat arrays laid out as in `LoopMetrics`.
struct HTTPCounterTotals {
    /// Requests by (route × methods + method) × status slots + status slot.
    var requests: [UInt64] = []
    /// Request durations per route, per bucket (not cumulative; the last bucket is `+Inf`).
    var durationBuckets: [UInt64] = []
    /// Sum of request durations per route.
    var durationNanoseconds: [UInt64] = []
    /// Refusals by `RefusalReason.rawValue`.
    var refusals = [UInt64](repeating: 0, count: RefusalReason.allCases.count)

    /// Sizes the arrays for `routeCount` routes (once; every loop counts the same routes).
    mutating func prepare(routeCount: Int) {
        guard durationNanoseconds.count != routeCount else { return }
        requests = [UInt64](repeating: 0, count: routeCount * MetricLabels.methods.count * MetricLabels.statusSlots)
        durationBuckets = [UInt64](repeating: 0, count: routeCount * (MetricLabels.durationBounds.count + 1))
        durationNanoseconds = [UInt64](repeating: 0, count: routeCount)
    }
}
