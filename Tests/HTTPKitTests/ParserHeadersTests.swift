import HTTPKit
import Testing

/// `HTTPHeaders` lookups and the value types around the parser.
@Suite("HTTPHeaders")
struct ParserHeadersTests {
    private let headers = HTTPHeaders([
        (name: "Host", value: "a"),
        (name: "X-Tag", value: "one"),
        (name: "x-tag", value: "two"),
    ])

    @Test func findsFirstValueIgnoringCase() {
        #expect(headers.first("x-TAG") == "one")
        #expect(headers.first("HOST") == "a")
        #expect(headers.first("Missing") == nil)
    }

    @Test func listsAllValuesInArrivalOrder() {
        #expect(headers.values("X-Tag") == ["one", "two"])
        #expect(headers.values("nope").isEmpty)
    }

    @Test func onlyValueIsNilWhenTheFieldRepeats() {
        // Credentials and Content-Type rely on this: two copies are ambiguous and count as none given.
        #expect(headers.only("host") == ("a", true))
        #expect(headers.only("X-TAG") == (nil, true))
        #expect(headers.only("Missing") == (nil, false))
    }

    @Test func doesNotMatchNamesThatOnlyShareAPrefix() {
        #expect(headers.first("X-Ta") == nil)
        #expect(headers.first("Hosts") == nil)
    }

    @Test func iteratesInArrivalOrder() {
        #expect(headers.map(\.name) == ["Host", "X-Tag", "x-tag"])
        #expect(headers.count == 3)
    }

    @Test func appendsAndComparesFieldByField() {
        var copy = HTTPHeaders()
        for field in headers { copy.append(name: field.name, value: field.value) }
        #expect(copy == headers)
        copy.append(name: "Extra", value: "")
        #expect(copy != headers)
    }

    @Test func describesVersionsAsOnTheWire() {
        #expect(HTTPVersion.http1_1.description == "HTTP/1.1")
        #expect(HTTPVersion(major: 1, minor: 0) == .http1_0)
    }

    @Test func staysFailedAfterAnError() {
        var parser = HTTPRequestParser()
        let bad = Array("GET / HTTP/1.1\r\nHost : a\r\n\r\n".utf8)
        let good = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        for bytes in [bad, good] {
            let result = bytes.withUnsafeBytes { raw in
                Result { () throws(HTTPParseError) in try parser.parse(raw) }
            }
            #expect(throws: HTTPParseError.whitespaceBeforeColon) { try result.get() }
        }
    }
}
