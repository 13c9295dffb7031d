#if canImport(Glibc)
import Glibc
#endif

/// Walks the lines of an NDJSON body in place, one at a time, without copying or collecting them: a large import
/// is decoded line by line, never held as a list of lines.
public enum NDJSONLines {
    /// Calls `body` with each line that is not blank (spaces, tabs and a final `\r` only), without its `\n` and a
    /// `\r` before it, and its 1-based number (blank lines count too); returns how many lines there are. A final line
    /// without `\n` counts; a `\n` at the very end starts none.
    @discardableResult
    public static func forEach<Failure: Error>(
        in bytes: UnsafeRawBufferPointer, _ body: (_ number: Int, _ line: UnsafeRawBufferPointer) throws(Failure) -> Void
    ) throws(Failure) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var number = 0
        var start = 0
        while start < bytes.count {
            // memchr: a 64 MiB body is scanned at memory speed, not a byte at a time.
            let end = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
                .map { $0 - UnsafeMutableRawPointer(mutating: base) } ?? bytes.count
            assert(end >= start && end <= bytes.count, "memchr finds the newline within the bytes it searched")
            number += 1
            var line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            if line.last == UInt8(ascii: "\r") { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
            start = end + 1
            if !isBlank(line) { try body(number, line) }
        }
        return number
    }

    /// Whether `line` holds only spaces and tabs (or nothing).
    static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }
}
