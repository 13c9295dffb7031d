@testable import CallServer
import Locking
import Testing

/// A clock the test moves by hand, so refills are exact and no test sleeps.
private final class ManualClock: Sendable {
    private let nanoseconds = Locked<UInt64>(1_000_000_000)
    func advance(seconds: Double) { nanoseconds.withLock { $0 += UInt64(seconds * 1e9) } }
    var now: @Sendable () -> UInt64 { { [self] in nanoseconds.withLock { $0 } } }
}

/// The token buckets behind `--rate-limit`/`--rate-burst`, driven by an injected clock.
@Suite struct RateLimiterTests {
    private func admits(_ limiter: RateLimiter, _ key: String) -> Bool {
        do throws(APIFailure) {
            try limiter.admit(key: key)
            return true
        } catch {
            return false
        }
    }

    private func refusal(_ limiter: RateLimiter, _ key: String) -> APIFailure? {
        do throws(APIFailure) {
            try limiter.admit(key: key)
            return nil
        } catch {
            return error
        }
    }

    @Test func aFullBucketAdmitsTheBurstThenRefusesUntilATokenIsEarned() {
        let clock = ManualClock()
        let limiter = RateLimiter(rate: 2, burst: 3, now: clock.now)
        #expect((0..<3).allSatisfy { _ in admits(limiter, "k") })
        #expect(!admits(limiter, "k"))
        clock.advance(seconds: 0.5)
        #expect(admits(limiter, "k"))
        #expect(!admits(limiter, "k"))
        // A long idle time refills to the burst, never beyond it.
        clock.advance(seconds: 3600)
        #expect((0..<3).allSatisfy { _ in admits(limiter, "k") })
        #expect(!admits(limiter, "k"))
    }

    @Test func keysHaveBucketsOfTheirOwn() {
        let limiter = RateLimiter(rate: 1, burst: 1, now: ManualClock().now)
        #expect(admits(limiter, "a"))
        #expect(!admits(limiter, "a"))
        #expect(admits(limiter, "b"))
    }

    @Test func theRefusalIs429WithWholeSecondRetryAfterAndRateLimitFields() throws {
        let clock = ManualClock()
        // One request every four seconds: the next token is 4 s away, and a full bucket takes 8 s to refill.
        let limiter = RateLimiter(rate: 0.25, burst: 2, now: clock.now)
        #expect(admits(limiter, "k"))
        #expect(admits(limiter, "k"))
        let failure = try #require(refusal(limiter, "k"))
        #expect(failure.httpStatus == 429)
        #expect(failure.errorCode == "rate_limited")
        let headers = Dictionary(failure.responseHeaders.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(headers["Retry-After"] == "4")
        #expect(headers["RateLimit-Policy"] == "\"default\";q=2;w=8")
        #expect(headers["RateLimit"] == "\"default\";r=0;t=4")
        // Part of the wait has passed: the rest is rounded up, never to 0.
        clock.advance(seconds: 3.9)
        let later = try #require(refusal(limiter, "k"))
        #expect(later.responseHeaders.contains { $0.name == "Retry-After" && $0.value == "1" })
    }

    @Test func aFastRateStillSaysRetryAfterAtLeastOneSecond() throws {
        let limiter = RateLimiter(rate: 1000, burst: 1, now: ManualClock().now)
        #expect(admits(limiter, "k"))
        let failure = try #require(refusal(limiter, "k"))
        #expect(failure.responseHeaders.contains { $0.name == "Retry-After" && $0.value == "1" })
        #expect(failure.responseHeaders.contains { $0.name == "RateLimit-Policy" && $0.value == "\"default\";q=1;w=1" })
    }

    @Test func bucketsThatRefilledAreDroppedSoTheTableStaysBounded() {
        let clock = ManualClock()
        let limiter = RateLimiter(rate: 1, burst: 1, minimumPruneSize: 8, now: clock.now)
        for round in 0..<50 {
            for index in 0..<4 { #expect(admits(limiter, "key-\(round)-\(index)")) }
            // Every bucket is full again after a second, so none needs remembering.
            clock.advance(seconds: 1)
        }
        #expect(limiter.bucketCount <= 8)
    }
}
