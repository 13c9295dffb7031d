@testable import CallServer
import HTTPKit
import Testing

/// `--metrics` and `--log-format`, and their environment variables, as `ServeOptions` reads them.
@Suite struct ServeOptionsObservabilityTests {
    @Test func metricsAreOnAndLogsTextUnlessToldOtherwise() throws {
        let defaults = try ServeOptions.parse([], environment: [:])
        #expect(defaults.metrics && defaults.logFormat == .text)

        let flags = try ServeOptions.parse(["--metrics", "off", "--log-format", "json"], environment: [:])
        #expect(!flags.metrics && flags.logFormat == .json)

        let environment = try ServeOptions.parse([], environment: ["CALLSERVER_METRICS": "OFF", "CALLSERVER_LOG_FORMAT": "json"])
        #expect(!environment.metrics && environment.logFormat == .json)

        // Flags win over the environment.
        let both = try ServeOptions.parse(
            ["--metrics", "on", "--log-format", "text"], environment: ["CALLSERVER_METRICS": "off", "CALLSERVER_LOG_FORMAT": "json"])
        #expect(both.metrics && both.logFormat == .text)

        for bad in [["--metrics", "yes"], ["--metrics"], ["--log-format", "xml"], ["--log-format"]] {
            #expect(throws: UsageError.self, "\(bad)") { try ServeOptions.parse(bad, environment: [:]) }
        }
        #expect(throws: UsageError.self) { try ServeOptions.parse([], environment: ["CALLSERVER_LOG_FORMAT": "yaml"]) }
    }
}
