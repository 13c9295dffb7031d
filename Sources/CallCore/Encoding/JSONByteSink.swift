/// Writes JSON into a fixed buffer with plain pointer stores: the fast path for values written many
/// times per response (calls in a page), where appending to an array piece by piece would cost a
/// uniqueness and capacity check per piece.
///
/// A write that does not fit sets `overflowed`; from then on the sink writes nothing and only counts, so
/// `count` ends as the exact size of everything the writes take. `JSONWriter` then makes that much room and
/// runs the same writes once more, so no caller states a size and the result never depends on a guess.
/// The counting is out of line, away from the writing: it runs only when a buffer was too small.
struct JSONByteSink {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    /// Bytes written so far; once `overflowed`, the bytes all the writes take.
    private(set) var count = 0
    /// Whether a write did not fit (nothing in the buffer is then usable).
    private(set) var overflowed = false

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    /// Copies ready-made JSON (punctuation and encoded keys known at compile time).
    @inline(__always) mutating func raw(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        guard fits(length), let base = buffer.baseAddress else { return countInstead(length) }
        let source = UnsafeRawPointer(text.utf8Start)
        let target = UnsafeMutableRawPointer(base + count)
        if length >= 8 {
            // Eight bytes at a time, the last word overlapping the one before: these pieces are short,
            // and a `memmove` call per piece cost more than the copy.
            var offset = 0
            while length - offset > 8 {
                target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self), toByteOffset: length - 8, as: UInt64.self)
        } else {
            for offset in 0..<length {
                target.storeBytes(of: source.load(fromByteOffset: offset, as: UInt8.self), toByteOffset: offset, as: UInt8.self)
            }
        }
        count += length
    }

    /// Copies two ready-made pieces: a member's name and punctuation, then a constant value.
    @inline(__always) mutating func raw(_ name: StaticString, _ value: StaticString) {
        raw(name)
        raw(value)
    }

    /// Writes a member's ready-made name and punctuation, then its string value (no optional made, so no copy).
    @inline(__always) mutating func member(_ name: StaticString, _ value: borrowing String) {
        raw(name)
        string(value)
    }

    /// Writes a member's ready-made name and punctuation, then its string value (or `null`).
    @inline(__always) mutating func member(_ name: StaticString, _ value: String?) {
        raw(name)
        string(value)
    }

    /// Writes a member's ready-made name and punctuation, then its integer value (or `null`).
    @inline(__always) mutating func member(_ name: StaticString, _ value: Int64?) {
        raw(name)
        integer(value)
    }

    /// Writes a quoted string, escaping `"`, `\` and every control character below U+0020; other
    /// characters pass through as UTF-8.
    @inline(__always) mutating func string(_ value: borrowing String) {
        value.withContiguousUTF8 { escape($0) }
    }

    /// Writes an enumeration's wire name (upper-case ASCII letters and `_`, nothing to escape) quoted and in lower case.
    mutating func lowercasedName(_ wireName: borrowing String) {
        wireName.withContiguousUTF8 { name in
            guard fits(name.count + 2), let base = buffer.baseAddress else { return countInstead(name.count + 2) }
            base[count] = UInt8(ascii: "\"")
            for (offset, byte) in name.enumerated() {
                base[count + 1 + offset] = TextNormalizer.lowercasedASCII(byte)
            }
            base[count + 1 + name.count] = UInt8(ascii: "\"")
            count += name.count + 2
        }
    }

    /// Writes a quoted string, or `null` when absent.
    mutating func string(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    /// Writes an integer, or `null` when absent.
    mutating func integer(_ value: Int64?) {
        guard let value else { raw("null"); return }
        // 20 digits and a sign cover every Int64.
        guard fits(21), let base = buffer.baseAddress else {
            return countInstead(Self.digitCount(value.magnitude) + (value < 0 ? 1 : 0))
        }
        var magnitude = value.magnitude  // exact even for Int64.min
        let digits = Self.digitCount(magnitude)
        var position = count
        if value < 0 {
            base[position] = UInt8(ascii: "-")
            position += 1
        }
        // Two digits per division, from the right, out of a table of "00" to "99".
        let pairs = Self.digitPairs.utf8Start
        var index = position + digits
        while magnitude >= 100 {
            let pair = Int(magnitude % 100) &* 2
            magnitude /= 100
            index -= 2
            base[index] = pairs[pair]
            base[index + 1] = pairs[pair + 1]
        }
        if magnitude >= 10 {
            let pair = Int(magnitude) &* 2
            base[index - 2] = pairs[pair]
            base[index - 1] = pairs[pair + 1]
        } else {
            base[index - 1] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude)
        }
        count = position + digits
    }

    /// The decimal digits of `value`, found by halving the width each step rather than by one multiply per digit.
    static func digitCount(_ value: UInt64) -> Int {
        var rest = value
        var count = 1
        if rest >= 10_000_000_000_000_000 { count += 16; rest /= 10_000_000_000_000_000 }
        if rest >= 100_000_000 { count += 8; rest /= 100_000_000 }
        if rest >= 10_000 { count += 4; rest /= 10_000 }
        if rest >= 100 { count += 2; rest /= 100 }
        if rest >= 10 { count += 1 }
        return count
    }

    private mutating func escape(_ utf8: UnsafeBufferPointer<UInt8>) {
        // Room for the bytes as they are and the quotes, checked once; each escape checks for its extra bytes.
        guard fits(utf8.count + 2), let base = buffer.baseAddress else { return countInstead(Self.escapedLength(utf8, from: 0) + 2) }
        var position = count
        base[position] = UInt8(ascii: "\"")
        position += 1
        var index = 0
        while index < utf8.count {
            // Eight bytes at a time while none of them needs escaping (ids, numbers, plain words).
            if let source = utf8.baseAddress {
                while utf8.count - index >= 8 {
                    assert(position + 8 <= buffer.count, "an unescaped word stays inside the room checked for the string")
                    let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                    guard !Self.anyNeedsEscaping(word) else { break }
                    UnsafeMutableRawPointer(base + position).storeBytes(of: word, as: UInt64.self)
                    index += 8
                    position += 8
                }
                // A tail shorter than a word: the string's last eight bytes, when none needs escaping. Those
                // before the tail were then copied unchanged, at the offset the tail gets, so rewriting them is harmless.
                let tail = utf8.count - index
                if tail > 0, tail < 8, utf8.count >= 8 {
                    let word = UnsafeRawPointer(source + utf8.count - 8).loadUnaligned(as: UInt64.self)
                    if !Self.anyNeedsEscaping(word) {
                        assert(position + tail <= buffer.count && position + tail >= 8, "the tail word ends inside the room")
                        UnsafeMutableRawPointer(base + position + tail - 8).storeBytes(of: word, as: UInt64.self)
                        index += tail
                        position += tail
                    }
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
            // The escape (up to six bytes), the bytes still to come and the closing quote.
            count = position
            guard fits(utf8.count - index + 7) else { return countInstead(Self.escapedLength(utf8, from: index - 1) + 1) }
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
        assert(position < buffer.count, "the closing quote stays inside the room")
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

    /// The most a write asks room for beyond what it takes: an integer checks for its longest form (21 bytes) and
    /// an escape for six. So the same writes always fit in `count` plus this much room.
    static let checkMargin = 20

    /// Whether `length` more bytes fit (and every write before did).
    @inline(__always) private func fits(_ length: Int) -> Bool {
        !overflowed && length <= buffer.count - count
    }

    /// Counts `bytes`, what a write that did not fit takes, instead of writing it.
    @inline(never) private mutating func countInstead(_ bytes: Int) {
        overflowed = true
        count += bytes
    }

    /// The bytes `utf8[start...]` takes escaped, without quotes.
    @inline(never) private static func escapedLength(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var length = 0
        for byte in utf8[start...] {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), 0x08, 0x09, 0x0A, 0x0C, 0x0D: length += 2
            case 0..<0x20: length += 6
            default: length += 1
            }
        }
        return length
    }

    /// "00", "01", … "99", two bytes each.
    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
