import FuzzSupport
@testable import HTTPKit

/// The chunked body decoder: the input follows a valid chunked request head and is fed whole, byte by byte and
/// in fuzzer-chosen reads, which must all agree; a body the parser accepts must be the one a plain reading of
/// the chunk sizes gives, and the chunk-size parser must read sizes as hexadecimal numbers.
///
/// Input: a control byte (bit 0: tight limits; bit 1: a small body limit set after the head), the read sizes
/// (`FuzzInput.readSizes`), then the bytes after the head.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(FuzzDriver.bytes(data, size))
    let control = input.byte()
    let sizes = input.readSizes()
    let chunked = Array(input.rest)
    checkSizeLine(chunked)
    let request = Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8) + chunked
    var limits = HTTPLimits()
    if control & 1 != 0 {
        limits.maxChunkLineBytes = 8
        limits.maxHeaderFields = 2
        limits.maxBodyBytes = 32
    }
    let feeder = ParserFeeder(limits: limits, maxBodyBytes: control & 2 != 0 ? 8 : nil)
    let whole = feeder.agreedOutcome(of: request, sizes: sizes)
    if let first = whole.messages.first, first.complete {
        let reference = ReferenceChunkedBody.decode(chunked)
        fuzzRequire(reference == first.body, "accepted body \(first.body) but its chunks hold \(String(describing: reference))")
    }
    return 0
}

/// The first line of the input, when it has a CRLF, as a chunk-size line: an accepted size must be the value
/// of the hexadecimal digits it starts with.
private func checkSizeLine(_ bytes: [UInt8]) {
    guard let end = bytes.firstIndex(of: UInt8(ascii: "\r")) else { return }
    let line = Array(bytes[..<end])
    let parsed = line.withUnsafeBytes { raw in Result { () throws(HTTPParseError) in try ChunkLineScanner.parseSize(raw) } }
    guard case .success(let size) = parsed else { return }
    let digits = line.prefix { ASCII.hexValue($0) != nil }
    let significant = digits.drop { $0 == UInt8(ascii: "0") }
    fuzzRequire(!digits.isEmpty && significant.count <= 16, "size \(size) from \(line)")
    let value = significant.isEmpty ? 0 : UInt64(String(decoding: significant, as: UTF8.self), radix: 16)
    fuzzRequire(value == UInt64(size), "size \(size) from \(line)")
}

/// RFC 9112 §7.1 read plainly, for bytes the parser accepted: sizes, data and the trailer lines, without checks.
private enum ReferenceChunkedBody {
    /// The data of the chunks at the start of `bytes`, or nil when they are not all there.
    static func decode(_ bytes: [UInt8]) -> [UInt8]? {
        var body: [UInt8] = []
        var position = 0
        while true {
            var size = 0
            while position < bytes.count, let digit = ASCII.hexValue(bytes[position]) {
                size = size * 16 + digit
                position += 1
            }
            guard let lineEnd = endOfLine(bytes, from: position) else { return nil }
            position = lineEnd
            if size == 0 { break }
            guard size <= bytes.count - position else { return nil }
            body += bytes[position..<(position + size)]
            position += size + 2
        }
        // Trailer lines up to the empty one.
        while let lineEnd = endOfLine(bytes, from: position) {
            if lineEnd == position + 2 { return body }
            position = lineEnd
        }
        return nil
    }

    /// The index after the next CRLF at or after `position`.
    private static func endOfLine(_ bytes: [UInt8], from position: Int) -> Int? {
        var index = position
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "\r"), bytes[index + 1] == UInt8(ascii: "\n") { return index + 2 }
            index += 1
        }
        return nil
    }
}

@main
enum FuzzChunked {
    static func main() {
        FuzzDriver.run(fuzz)
    }
}
