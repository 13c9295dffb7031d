/// Writes JSON into a fixed buffer with plain pointer stores: the fast path for values written many
/// times per response (calls in a page), where appending to an array piece by piece would cost a
/// uniqueness and capacity check per piece.
///
/// A write that does not fit sets `overflowed` and writes nothing more; `JSONWriter.rawValue`
/// then runs the same writes again with a larger buffer, so the result never depends on the estimate.
struct JSONByteSink {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    /// Bytes written so far.
    private(set) var count = 0
    /// Whether a write did not fit.
    private(set) var overflowed = false

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    /// The bytes written.
    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[..<count]) }

    /// Copies ready-made JSON (punctuation and encoded keys known at compile time).
    mutating func raw(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        guard reserve(length), let base = buffer.baseAddress else { return }
        (base + count).update(from: text.utf8Start, count: length)
        count += length
    }

    /// Writes a quoted string, escaping `"`, `\` and every control character below U+0020; other
    /// characters pass through as UTF-8.
    mutating func string(_ value: String) {
        // In place for native strings; `withUTF8` copies only a string that is not contiguous UTF-8.
        var value = value
        value.withUTF8 { escape($0) }
    }

    /// Writes a quoted string, or `null` when absent.
    mutating func string(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    /// Writes an integer, or `null` when absent.
    mutating func integer(_ value: Int64?) {
        guard let value else { raw("null"); return }
        // 20 digits and a sign cover every Int64.
        guard reserve(21), let base = buffer.baseAddress else { return }
        var magnitude = value.magnitude  // exact even for Int64.min
        var digits = 0
        repeat {
            digits += 1
            magnitude /= 10
        } while magnitude > 0
        var position = count
        if value < 0 {
            base[position] = UInt8(ascii: "-")
            position += 1
        }
        magnitude = value.magnitude
        for index in stride(from: position + digits - 1, through: position, by: -1) {
            base[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        }
        count = position + digits
    }

    private mutating func escape(_ utf8: UnsafeBufferPointer<UInt8>) {
        // Every byte escapes to at most 6 (\u00XX), plus the quotes: checked once, not per byte.
        guard reserve(utf8.count * 6 + 2), let base = buffer.baseAddress else { return }
        var position = count
        base[position] = UInt8(ascii: "\"")
        position += 1
        var index = 0
        while index < utf8.count {
            // Eight bytes at a time while none of them needs escaping (ids, numbers, plain words).
            if let source = utf8.baseAddress {
                while utf8.count - index >= 8 {
                    let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                    guard !Self.anyNeedsEscaping(word) else { break }
                    UnsafeMutableRawPointer(base + position).storeBytes(of: word, as: UInt64.self)
                    index += 8
                    position += 8
                }
            }
            guard index < utf8.count else { break }
            let byte = utf8[index]
            index += 1
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                base[position] = byte
                position += 1
                continue
            }
            base[position] = UInt8(ascii: "\\")
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): base[position + 1] = byte
            case 0x08: base[position + 1] = UInt8(ascii: "b")
            case 0x09: base[position + 1] = UInt8(ascii: "t")
            case 0x0A: base[position + 1] = UInt8(ascii: "n")
            case 0x0C: base[position + 1] = UInt8(ascii: "f")
            case 0x0D: base[position + 1] = UInt8(ascii: "r")
            default:
                base[position + 1] = UInt8(ascii: "u")
                base[position + 2] = UInt8(ascii: "0")
                base[position + 3] = UInt8(ascii: "0")
                base[position + 4] = Self.hexDigit(byte >> 4)
                base[position + 5] = Self.hexDigit(byte & 0x0F)
                position += 4
            }
            position += 2
        }
        base[position] = UInt8(ascii: "\"")
        count = position + 1
    }

    /// Whether any of the eight bytes is below 0x20, a quote or a backslash. The bit tricks
    /// ("has a byte less than n", "has a zero byte") never miss such a byte; bytes of 0x80 and
    /// above (UTF-8 beyond ASCII) never count.
    private static func anyNeedsEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let control = (word &- ones &* 0x20) & ~word
        let quote = (quotes &- ones) & ~quotes
        let backslash = (backslashes &- ones) & ~backslashes
        return (control | quote | backslash) & highs != 0
    }

    /// Whether `length` more bytes fit; marks the sink overflowed when not.
    private mutating func reserve(_ length: Int) -> Bool {
        guard !overflowed, length <= buffer.count - count else {
            overflowed = true
            return false
        }
        return true
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
