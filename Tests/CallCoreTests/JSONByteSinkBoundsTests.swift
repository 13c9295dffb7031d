@testable import CallCore
import Testing

/// The sink writes with plain pointer stores after one room check per piece: it must never write past the
/// buffer it was given, whatever the strings hold, and must say so (overflowed) when the buffer is too small.
@Suite("JSONByteSink bounds")
struct JSONByteSinkBoundsTests {
    private static let guardByte: UInt8 = 0xA5

    /// Runs `write` into a buffer of exactly `size` bytes followed by guard bytes; returns what was written
    /// (nil when the sink overflowed) and whether the guard bytes survived.
    private func write(size: Int, _ write: (inout JSONByteSink) -> Void) -> (bytes: [UInt8]?, guardIntact: Bool) {
        var storage = [UInt8](repeating: Self.guardByte, count: size + 64)
        var written: [UInt8]? = nil
        storage.withUnsafeMutableBufferPointer { all in
            var sink = JSONByteSink(UnsafeMutableBufferPointer(rebasing: all[0..<size]))
            write(&sink)
            if !sink.overflowed { written = Array(all[0..<sink.count]) }
        }
        return (written, storage[size...].allSatisfy { $0 == Self.guardByte })
    }

    /// Every buffer size around the output's length: nothing is ever written past the buffer, a short buffer
    /// overflows, and a buffer of `fitsFrom` bytes (the exact length unless a piece asks for more room than
    /// it uses: an integer's 21 bytes, an escape's room for the longest escape) or more gets the whole output.
    private func expectBounded(_ label: String, fitsFrom: Int? = nil, slack: Int = 0, _ body: (inout JSONByteSink) -> Void) {
        let roomy = write(size: 1 << 16, body)
        guard let expected = roomy.bytes else {
            Issue.record("\(label): overflowed a roomy buffer")
            return
        }
        let fits = fitsFrom ?? expected.count + slack
        for size in max(0, expected.count - 2)...(fits + 2) {
            let result = write(size: size, body)
            #expect(result.guardIntact, "\(label): wrote past a buffer of \(size)")
            if size < expected.count { #expect(result.bytes == nil, "\(label): \(size) bytes must overflow") }
            if size >= fits { #expect(result.bytes == expected, "\(label): \(size) bytes must fit") }
            if let bytes = result.bytes { #expect(bytes == expected, "\(label): \(size) bytes") }
        }
    }

    @Test func stringsOfEveryShapeNeverWritePastTheBufferAndFitExactly() {
        let specials: [Unicode.Scalar] = ["\"", "\\", "\u{0}", "\n", "\u{1F}", "é"]
        for length in 0...40 {
            expectBounded("plain \(length)") { $0.string(String(repeating: "a", count: length)) }
            for special in specials {
                for position in stride(from: 0, to: length, by: 3) {
                    var scalars = Array(repeating: Unicode.Scalar("b"), count: length)
                    scalars[position] = special
                    // A second special near the end, inside the last eight bytes.
                    scalars[length - 1] = special
                    var text = String.UnicodeScalarView()
                    text.append(contentsOf: scalars)
                    expectBounded("\(special) at \(position) and the end of \(length)", slack: 4) { $0.string(String(text)) }
                }
            }
            expectBounded("all escaped \(length)", slack: 4) { $0.string(String(repeating: "\u{1}", count: length)) }
        }
    }

    @Test func integersAndConstantsNeverWritePastTheBuffer() {
        for value: Int64? in [nil, 0, 9, -9, 10, 99, 100, -100, 1_703_097_600_000, .max, .min] {
            expectBounded("integer \(String(describing: value))", fitsFrom: value == nil ? 4 : 21) { $0.integer(value) }
        }
        expectBounded("short constant") { $0.raw("[") }
        expectBounded("seven-byte constant") { $0.raw("\"ENDED\"") }
        expectBounded("long constant") { $0.raw(#","organization_id":"#) }
        expectBounded("member") { $0.member(#","call_id":"#, "call-12345678901234567890") }
    }
}
