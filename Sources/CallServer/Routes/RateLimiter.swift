import Glibc
import HTTPKit
import Locking

/// Per-key token buckets (API.md "Limits and fairness"): each key may make `rate` requests a second on average and
/// up to `burst` at once. Shared by every event loop, so the table sits behind one `Locked`; the work under it is a
/// dictionary lookup and a few arithmetic operations.
final class RateLimiter: Sendable {
    /// One key's bucket: the tokens it held at `stamp` (monotonic nanoseconds).
    private struct Bucket {
        var tokens: Double
        var stamp: UInt64
    }

    private struct Table {
        var buckets: [String: Bucket] = [:]
        /// The table size at which full buckets are dropped; doubles with the live keys so pruning stays amortized O(1).
        var pruneAt: Int
    }

    /// Requests a second per key.
    let rate: Double
    /// The bucket size: how many requests a key may make at once after being idle.
    let burst: Int
    private let table: Locked<Table>
    private let now: @Sendable () -> UInt64
    /// Where each 429 is counted (`callserver_refused_total{reason="rate_limit"}`).
    private let refusals: HTTPMetrics?
    /// `RateLimit-Policy` (IETF httpapi-ratelimit-headers draft 10): a full bucket's worth of requests (`q`) per the
    /// time an empty bucket takes to refill (`w`, whole seconds, at least 1).
    let policyHeader: HTTPField

    /// A limiter of `rate` requests a second (> 0) with buckets of `burst` (>= 1); `now` is a monotonic clock in
    /// nanoseconds, injected so tests need no sleeps.
    init(
        rate: Double, burst: Int, minimumPruneSize: Int = 1024, refusals: HTTPMetrics? = nil,
        now: @escaping @Sendable () -> UInt64 = RateLimiter.monotonicNanoseconds
    ) {
        self.rate = rate
        self.refusals = refusals
        self.burst = burst
        self.now = now
        table = Locked(Table(pruneAt: max(1, minimumPruneSize)))
        let window = max(1, Int((Double(burst) / rate).rounded(.up)))
        policyHeader = HTTPField(name: "RateLimit-Policy", value: "\"default\";q=\(burst);w=\(window)")
    }

    /// Takes one token from `key`'s bucket, or throws the 429 saying when the next one is due.
    func admit(key: String) throws(APIFailure) {
        let time = now()
        let wait = table.withLock { table -> Double? in
            var bucket = table.buckets[key] ?? Bucket(tokens: Double(burst), stamp: time)
            refill(&bucket, at: time)
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                if table.buckets.updateValue(bucket, forKey: key) == nil, table.buckets.count >= table.pruneAt {
                    prune(&table, at: time)
                }
                return nil
            }
            table.buckets[key] = bucket
            return (1 - bucket.tokens) / rate
        }
        guard let wait else { return }
        refusals?.countRateLimited()
        throw rejection(waitSeconds: wait)
    }

    /// How many buckets are held (for tests of the memory bound).
    var bucketCount: Int { table.withLock { $0.buckets.count } }

    /// Adds the tokens earned since the bucket's stamp, up to `burst`.
    private func refill(_ bucket: inout Bucket, at time: UInt64) {
        // The clock is monotonic, but buckets are stamped outside the lock's order of `now()` reads: never go back.
        guard time > bucket.stamp else { return }
        let earned = Double(time - bucket.stamp) / 1e9 * rate
        bucket.tokens = min(Double(burst), bucket.tokens + earned)
        bucket.stamp = time
    }

    /// Drops full buckets: a full bucket is the same as none, so forgetting it changes no answer. Keys that were
    /// revoked or have gone quiet thus cost nothing, and the table holds at most the keys active in the last
    /// `burst / rate` seconds, which are valid keys only.
    private func prune(_ table: inout Table, at time: UInt64) {
        table.buckets = table.buckets.filter { _, stored in
            var bucket = stored
            refill(&bucket, at: time)
            return bucket.tokens < Double(burst)
        }
        table.pruneAt = max(table.pruneAt, table.buckets.count * 2)
    }

    /// The 429 with `Retry-After` (whole seconds, at least 1) and the `RateLimit`/`RateLimit-Policy` fields.
    private func rejection(waitSeconds: Double) -> APIFailure {
        let seconds = max(1, Int(min(waitSeconds, 86_400).rounded(.up)))
        return APIFailure(
            error: .rateLimited("Too many requests for this API key (\(Self.describe(rate)) a second, bursts of \(burst)); retry in \(seconds) s."),
            responseHeaders: [
                HTTPField(name: "Retry-After", value: String(seconds)),
                policyHeader,
                HTTPField(name: "RateLimit", value: "\"default\";r=0;t=\(seconds)"),
            ])
    }

    /// The rate as written by a person: `10`, or `0.5`.
    private static func describe(_ rate: Double) -> String {
        rate == rate.rounded() && rate < 1e15 ? String(Int(rate)) : String(rate)
    }

    /// `CLOCK_MONOTONIC` in nanoseconds: wall-clock changes must not refill or drain buckets.
    static func monotonicNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
