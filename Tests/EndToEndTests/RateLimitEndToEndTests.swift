import Foundation
import Testing

/// `--rate-limit`/`--rate-burst` against the real server.
@Suite(.serialized) struct RateLimitEndToEndTests {
    @Test func overTheLimitIs429WithRetryAfterAndRateLimitFields() throws {
        // A refill rate so slow that no token comes back during the test: the outcome depends on counts, not time.
        let s = try GuardedServer(["--rate-limit", "0.001", "--rate-burst", "3"])
        for index in 0..<3 {
            #expect(try s.send("GET", "/api/calls/none-\(index)", credential: s.reader).status == 404)
        }
        let refused = try s.send("GET", "/api/calls/none", credential: s.reader)
        #expect(refused.status == 429)
        #expect(refused.json?["error"] as? String == "rate_limited")
        #expect(refused.json?["status"] as? String == "error")
        let retryAfter = try #require(refused.header("Retry-After").flatMap { Int($0) })
        #expect(retryAfter >= 1)
        #expect(refused.header("RateLimit-Policy") == "\"default\";q=3;w=3000")
        #expect(refused.header("RateLimit") == "\"default\";r=0;t=\(retryAfter)")
        // Every /api route shares the key's bucket.
        #expect(try s.send("POST", "/api/calls", "{}", credential: s.reader).status == 429)
    }

    @Test func credentialsAreCheckedBeforeTheLimitAndTheLimitBeforeScope() throws {
        let s = try GuardedServer(["--rate-limit", "0.001", "--rate-burst", "1"])
        // A key without the write scope spends its one token on a 403...
        #expect(try s.send("DELETE", "/api/calls/x", credential: s.reader).status == 403)
        // ...and is then refused for its rate before its scope is looked at.
        #expect(try s.send("DELETE", "/api/calls/x", credential: s.reader).status == 429)
        // Wrong credentials are 401 whatever the key's bucket holds, and spend nothing.
        let wrong = Credential(key: s.reader.key, secret: "cs_wrong")
        let unauthorized = try s.send("GET", "/api/calls/x", credential: wrong)
        #expect(unauthorized.status == 401)
        #expect(unauthorized.header("Retry-After") == nil)
        #expect(try s.send("GET", "/api/calls/x", credential: nil).status == 401)
        // Other keys, of the same organization too, have buckets of their own.
        #expect(try s.send("GET", "/api/calls/x", credential: s.writer).status == 404)
        for _ in 0..<3 {
            #expect(try s.send("GET", "/api/calls/x", credential: wrong).status == 401)
        }
        #expect(try s.send("GET", "/api/calls/x", credential: s.otherWriter).status == 404)
    }

    @Test func withoutTheFlagNothingIsRateLimited() throws {
        let s = try GuardedServer([])
        for index in 0..<60 {
            let response = try s.send("GET", "/api/calls/none-\(index)", credential: s.reader)
            #expect(response.status == 404)
            #expect(response.header("RateLimit") == nil)
        }
    }
}
