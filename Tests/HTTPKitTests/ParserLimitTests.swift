@testable import HTTPKit
import Testing

/// The default limits of API.md, at and just past each boundary, and the fail-early promise.
@Suite("Parser limits")
struct ParserLimitTests {
    private let driver = ParserDriver()

    private func request(target: String = "/", fields: [String] = ["Host: a"]) -> [UInt8] {
        Array("GET \(target) HTTP/1.1\r\n\(fields.map { $0 + "\r\n" }.joined())\r\n".utf8)
    }

    @Test func acceptsTargetOf8KiB() {
        let target = "/" + String(repeating: "a", count: 8191)
        let outcome = driver.runWhole(request(target: target))
        #expect(outcome.error == nil)
        #expect(outcome.messages.first?.head.target == target)
    }

    @Test func rejectsTargetOver8KiBWith414() {
        let outcome = driver.runWhole(request(target: "/" + String(repeating: "a", count: 8192)))
        #expect(outcome.error == .requestTargetTooLong)
        #expect(outcome.error?.status == 414)
    }

    @Test func rejectsLongTargetBeforeItsLineEnds() {
        // No CRLF anywhere: the 8193rd target byte is enough to know.
        let partial = Array(("GET /" + String(repeating: "a", count: 8192)).utf8)
        #expect(driver.runBytewise(partial).error == .requestTargetTooLong)
        #expect(driver.runWhole(Array(partial.dropLast())).error == nil)
    }

    @Test func acceptsHeaderSectionOf16KiB() {
        // "Host: a\r\n" is 9 bytes; one field fills the rest: "X: " + value + "\r\n".
        let value = String(repeating: "v", count: 16384 - 9 - 5)
        let outcome = driver.runWhole(request(fields: ["Host: a", "X: \(value)"]))
        #expect(outcome.error == nil)
        #expect(outcome.messages.first?.head.headers.first("x") == value)
    }

    @Test func rejectsHeaderSectionOver16KiBWith431() {
        let value = String(repeating: "v", count: 16384 - 9 - 4)
        let outcome = driver.runWhole(request(fields: ["Host: a", "X: \(value)"]))
        #expect(outcome.error == .headerSectionTooLarge)
        #expect(outcome.error?.status == 431)
    }

    @Test func rejectsLargeHeaderSectionBeforeItsEnd() {
        // A stream of valid fields (fewer than 100 of them) that never reaches the empty line.
        var bytes = Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8)
        let filler = Array(("X-Filler: " + String(repeating: "0123456789", count: 30) + "\r\n").utf8)
        while bytes.count < 20000 { bytes += filler }
        #expect(driver.runWhole(bytes).error == .headerSectionTooLarge)
    }

    @Test func accepts100Fields() {
        let fields = ["Host: a"] + (1..<100).map { "X-\($0): v" }
        let outcome = driver.runWhole(request(fields: fields))
        #expect(outcome.error == nil)
        #expect(outcome.messages.first?.head.headers.count == 100)
    }

    @Test func rejects101FieldsWith431() {
        let fields = ["Host: a"] + (1...100).map { "X-\($0): v" }
        let outcome = driver.runWhole(request(fields: fields))
        #expect(outcome.error == .tooManyHeaderFields)
        #expect(outcome.error?.status == 431)
    }

    private func chunkedRequest(chunks: [Int]) -> [UInt8] {
        var bytes = Array("POST /api/calls/import HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for size in chunks {
            bytes += Array((String(size, radix: 16) + "\r\n").utf8) + [UInt8](repeating: 0x61, count: size) + [0x0D, 0x0A]
        }
        return bytes + Array("0\r\n\r\n".utf8)
    }

    @Test func acceptsChunkedBodyOf1MiBByDefault() {
        let outcome = driver.runWhole(chunkedRequest(chunks: [1 << 19, 1 << 19]))
        #expect(outcome.error == nil)
        #expect(outcome.messages.first?.body.count == 1 << 20)
    }

    @Test func rejectsChunkedBodyOver1MiBWith413() {
        let outcome = driver.runWhole(chunkedRequest(chunks: [1 << 19, 1 << 19, 1]))
        #expect(outcome.error == .bodyTooLarge)
        #expect(outcome.error?.status == 413)
    }

    @Test func honoursMaxBodyBytesSetAfterHead() {
        var small = ParserDriver()
        small.maxBodyBytes = 100
        #expect(small.runWhole(chunkedRequest(chunks: [60, 40])).error == nil)
        #expect(small.runWhole(chunkedRequest(chunks: [60, 41])).error == .bodyTooLarge)
        var large = ParserDriver()
        large.maxBodyBytes = 4 << 20
        #expect(large.runWhole(chunkedRequest(chunks: [3 << 20])).error == nil)
    }

    @Test func resetsMaxBodyBytesAtEveryHead() throws {
        var parser = HTTPRequestParser()
        parser.maxBodyBytes = 5
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(HTTPParseError) in try parser.parse(raw) }
        }
        #expect(try result.get().consumed == bytes.count)
        #expect(parser.maxBodyBytes == 1 << 20)
    }

    @Test func doesNotLimitContentLength() {
        let bytes = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000000000\r\n\r\n".utf8)
        let outcome = driver.runWhole(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.messages.first?.head.framing == .contentLength(5_000_000_000))
    }

    @Test func rejectsChunkLineOver4KiB() {
        var bytes = chunkedRequest(chunks: [])
        bytes.removeLast(5)
        bytes += Array(("1;" + String(repeating: "e", count: 4095)).utf8)
        #expect(driver.runWhole(bytes).error == .chunkLineTooLong)
        #expect(driver.runWhole(Array(bytes.dropLast())).error == nil)
    }

    @Test func mapsEveryErrorToADocumentedStatus() {
        for error in HTTPParseError.allCases {
            #expect([400, 413, 414, 431, 505].contains(error.status))
            #expect(!error.reason.isEmpty)
        }
        #expect(HTTPParseError.unsupportedVersion.status == 505)
        #expect(HTTPParseError.duplicateContentLength.reason == "Duplicate Content-Length")
    }

    @Test func feedingOneByteAtATimeStaysLinear() {
        // A 16 KiB head and a chunked body with long extension lines, byte by byte:
        // the scanners must look at each byte a bounded number of times, never rescan.
        let value = String(repeating: "v", count: 16000)
        var bytes = Array("POST / HTTP/1.1\r\nHost: a\r\nX: \(value)\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        let extensionText = String(repeating: "e", count: 4000)
        bytes += Array("3;\(extensionText)\r\nabc\r\n0\r\nT: \(value)\r\n\r\n".utf8)
        var parser = HTTPRequestParser()
        var buffer: [UInt8] = []
        var ended = false
        for byte in bytes {
            buffer.append(byte)
            while true {
                let result = buffer.withUnsafeBytes { raw in
                    Result { () throws(HTTPParseError) in try parser.parse(raw) }
                }
                guard case .success(let (consumed, event)) = result else {
                    Issue.record("unexpected error \(result)")
                    return
                }
                buffer.removeFirst(consumed)
                if event == .end { ended = true }
                if event == .needMoreData { break }
            }
        }
        #expect(ended)
        #expect(parser.bytesScanned <= bytes.count)
    }
}
