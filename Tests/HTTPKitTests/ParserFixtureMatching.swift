import HTTPKit

/// Compares what the driver observed with what a fixture expects; returns readable differences.
enum FixtureMatching {
    static func differences(_ outcome: ParseOutcome, _ fixture: FixtureCase) -> [String] {
        var found: [String] = outcome.violations.map { "contract: \($0)" }
        let actualError = outcome.error.map { "\($0)" }
        if actualError != fixture.error {
            found.append("error: expected \(fixture.error ?? "none"), got \(actualError ?? "none")")
        }
        if fixture.error == nil {
            let waiting = outcome.unconsumed > 0 || outcome.messages.contains { !$0.complete }
            if waiting != fixture.incomplete {
                found.append(fixture.incomplete
                    ? "expected the parser to wait for more bytes, but everything was consumed"
                    : "expected every byte consumed and every message ended; \(outcome.unconsumed) bytes left")
            }
        }
        if outcome.messages.count != fixture.messages.count {
            found.append("messages: expected \(fixture.messages.count), got \(outcome.messages.count)")
        }
        for (index, (actual, expected)) in zip(outcome.messages, fixture.messages).enumerated() {
            found += differences(actual, expected).map { "message \(index + 1): \($0)" }
        }
        return found
    }

    private static func differences(_ actual: ParsedMessage, _ expected: ExpectedMessage) -> [String] {
        var found: [String] = []
        let head = actual.head
        func check<T: Equatable>(_ label: String, _ value: T, _ wanted: T?) {
            if let wanted, value != wanted { found.append("\(label): expected \(wanted), got \(value)") }
        }
        check("method", head.method, expected.method)
        check("target", head.target, expected.target)
        check("version", head.version.description, expected.version)
        check("path", head.path, expected.path)
        if let wantedQuery = expected.query, head.query != wantedQuery {
            found.append("query: expected \(wantedQuery ?? "none"), got \(head.query ?? "none")")
        }
        check("framing", head.framing, expected.framing)
        check("keepAlive", head.keepAlive, expected.keepAlive)
        check("expectsContinue", head.expectsContinue, expected.expectsContinue)
        check("header count", head.headers.count, expected.headerCount)
        if let wantedHeaders = expected.headers {
            let got = head.headers.map { FieldExpectation(name: $0.name, value: $0.value) }
            if got != wantedHeaders { found.append("headers: expected \(wantedHeaders), got \(got)") }
        }
        if actual.body != expected.body {
            found.append("body: expected \(String(decoding: expected.body, as: UTF8.self).debugDescription), "
                + "got \(String(decoding: actual.body, as: UTF8.self).debugDescription)")
        }
        check("ended", actual.complete, expected.complete)
        return found
    }
}
