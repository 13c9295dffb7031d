import HTTPKit
import Testing

/// Runs every Markdown fixture case whole, split in two at every position, and byte by byte.
@Suite("Parser fixtures")
struct ParserFixtureTests {
    @Test func fixtureFilesLoadWithoutProblems() {
        #expect(ParserFixtures.loadProblems.isEmpty, "\(ParserFixtures.loadProblems.joined(separator: "\n"))")
        #expect(ParserFixtures.cases.count > 100)
    }

    @Test func fixtureCaseNamesAreUnique() {
        var seen = Set<String>()
        for fixture in ParserFixtures.cases {
            #expect(seen.insert(fixture.name).inserted, "duplicate case name \(fixture.testDescription)")
        }
    }

    @Test func everyErrorCaseHasAFixture() {
        let covered = Set(ParserFixtures.cases.compactMap(\.error))
        for error in HTTPParseError.allCases {
            #expect(covered.contains("\(error)"), "no fixture expects \(error)")
        }
    }

    @Test(arguments: ParserFixtures.cases)
    func parsesAsExpectedWhenGivenWhole(_ fixture: FixtureCase) {
        let outcome = ParserDriver(limits: fixture.limits).runWhole(fixture.request)
        let differences = FixtureMatching.differences(outcome, fixture)
        #expect(differences.isEmpty, "\(fixture.testDescription)\n\(differences.joined(separator: "\n"))")
    }

    @Test(arguments: ParserFixtures.cases)
    func givesTheSameResultSplitAtEveryPosition(_ fixture: FixtureCase) {
        let driver = ParserDriver(limits: fixture.limits)
        let whole = driver.runWhole(fixture.request).comparable
        for split in 0...fixture.request.count {
            let outcome = driver.runSplit(fixture.request, at: split).comparable
            #expect(outcome == whole, "\(fixture.testDescription) split at \(split)")
            if outcome != whole { return }
        }
    }

    /// Fail-early checks must never reject a prefix of a valid request, nor give a prefix of a
    /// bad one a different error than the whole (picohttpparser feeds every prefix the same way).
    @Test(arguments: ParserFixtures.cases)
    func neverFailsAPrefixDifferently(_ fixture: FixtureCase) {
        let driver = ParserDriver(limits: fixture.limits)
        let finalError = driver.runWhole(fixture.request).error
        var failedAt: Int?
        for length in 0..<fixture.request.count {
            let error = driver.runWhole(Array(fixture.request[..<length])).error
            if let error {
                #expect(error == finalError, "\(fixture.testDescription): prefix of \(length) bytes fails with \(error)")
                failedAt = failedAt ?? length
            } else if let failedAt {
                Issue.record("\(fixture.testDescription): prefix of \(failedAt) bytes failed but \(length) bytes do not")
                return
            }
        }
    }

    @Test(arguments: ParserFixtures.cases)
    func givesTheSameResultByteByByte(_ fixture: FixtureCase) {
        let driver = ParserDriver(limits: fixture.limits)
        #expect(driver.runBytewise(fixture.request).comparable == driver.runWhole(fixture.request).comparable)
    }
}
