@testable import CallServer
import Testing

/// The limit flags and their environment variables, as `ServeOptions` reads them.
@Suite struct ServeOptionsLimitTests {
    @Test func optionsParseRatesBurstsAndQuotaFromFlagsAndEnvironment() throws {
        let off = try ServeOptions.parse([], environment: [:])
        #expect(off.rateLimit == nil && off.effectiveRateBurst == nil && off.maxCallsPerOrg == nil)

        let flags = try ServeOptions.parse(["--rate-limit", "2.5", "--max-calls-per-org", "100"], environment: [:])
        #expect(flags.rateLimit == 2.5)
        #expect(flags.effectiveRateBurst == 3)
        #expect(flags.maxCallsPerOrg == 100)

        let environment = try ServeOptions.parse([], environment: [
            "CALLSERVER_RATE_LIMIT": "10", "CALLSERVER_RATE_BURST": "40", "CALLSERVER_MAX_CALLS_PER_ORG": "5",
        ])
        #expect(environment.rateLimit == 10 && environment.effectiveRateBurst == 40 && environment.maxCallsPerOrg == 5)

        // Flags win over the environment.
        let both = try ServeOptions.parse(["--rate-burst", "7"], environment: ["CALLSERVER_RATE_LIMIT": "1", "CALLSERVER_RATE_BURST": "2"])
        #expect(both.effectiveRateBurst == 7)

        for bad in [["--rate-limit", "0"], ["--rate-limit", "-1"], ["--rate-limit", "nan"], ["--rate-limit", "inf"],
                    ["--rate-limit", "1", "--rate-burst", "0"], ["--rate-burst", "5"], ["--max-calls-per-org", "-1"],
                    ["--max-calls-per-org", "many"]] {
            #expect(throws: UsageError.self, "\(bad)") { try ServeOptions.parse(bad, environment: [:]) }
        }
    }

    @Test func theBodyLimitIsTheHTTPServersOne() throws {
        #expect(try ServeOptions.parse([], environment: [:]).http.limits.maxBodyBytes == 1 << 20)
        let environment = ["CALLSERVER_MAX_BODY_BYTES": "7000"]
        #expect(try ServeOptions.parse([], environment: environment).http.limits.maxBodyBytes == 7000)
        let flag = try ServeOptions.parse(["--max-body-bytes", "5000"], environment: environment)
        #expect(flag.http.limits.maxBodyBytes == 5000 && flag.maxBodyBytes == 5000)
        #expect(throws: UsageError.self) { try ServeOptions.parse(["--max-body-bytes", "0"], environment: [:]) }
    }
}
