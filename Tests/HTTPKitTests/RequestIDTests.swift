@testable import HTTPKit
import Testing

/// Ids the server makes for requests without a usable `X-Request-Id`.
@Suite("RequestID")
struct RequestIDTests {
    @Test func madeIdsAreFifteenLowerCaseHexDigitsAndDiffer() {
        var generator = RequestIDGenerator()
        let ids = (0..<1_000).map { _ in generator.next() }
        for id in ids {
            #expect(id.utf8.count == 15, "\(id)")
            #expect(id.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }, "\(id)")
            #expect(RequestIDGenerator.isSane(id))
        }
        #expect(Set(ids).count == ids.count)
    }
}
