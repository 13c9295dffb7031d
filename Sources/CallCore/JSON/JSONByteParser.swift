/// The recursive-descent parser behind `JSONReader`; recursion depth is bounded by `maxDepth`.
struct JSONByteParser {
    private let bytes: UnsafeRawBufferPointer
    private let end: Int
    private let maxDepth: Int
    private var index = 0
    /// Reused buffer for strings that contain escapes; strings without escapes are made straight from the input.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.end = bytes.count
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw JSONParseError(.byteOrderMark, at: 0)
        }
        skipWhitespace()
        guard index < end else { throw JSONParseError(.emptyInput, at: index) }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == end else { throw JSONParseError(.trailingData, at: index) }
        return value
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < end else { throw JSONParseError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case let byte: throw JSONParseError(.unexpectedByte(byte), at: index)
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONParseError(.tooDeep(limit: maxDepth), at: index) }
        index += 1  // "{"
        var members: [(key: String, value: JSONValue)] = []
        // Small objects (every object this API expects) check duplicates by a scan; past this size a set keeps
        // big objects linear. Keys compare by their code units (RFC 8259 §8.3), not by canonical equivalence.
        let scanLimit = 32
        var seen: Set<ExactKey> = []
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object([])
        }
        // A top-level object (a call record, a request) gets room for all its members at once; nested objects grow,
        // so a body of many tiny objects cannot inflate into many oversized arrays.
        if depth == 1 { members.reserveCapacity(16) }
        while true {
            guard index < end else { throw JSONParseError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw JSONParseError(.unexpectedByte(bytes[index]), at: index)
            }
            let keyOffset = index
            let key = try parseString()
            if members.count < scanLimit {
                for member in members where ExactKey.equal(member.key, key) {
                    throw JSONParseError(.duplicateKey(key), at: keyOffset)
                }
            } else {
                if seen.isEmpty {
                    seen.reserveCapacity(members.count * 2)
                    for member in members { seen.insert(ExactKey(member.key)) }
                }
                guard seen.insert(ExactKey(key)).inserted else {
                    throw JSONParseError(.duplicateKey(key), at: keyOffset)
                }
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let value: JSONValue
            do {
                value = try parseValue(depth: depth)
            } catch {
                throw error.nested(under: key)
            }
            members.append((key: key, value: value))
            guard try anotherItem(before: UInt8(ascii: "}")) else { return .object(members) }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONParseError(.tooDeep(limit: maxDepth), at: index) }
        index += 1  // "["
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        while true {
            do {
                elements.append(try parseValue(depth: depth))
            } catch {
                throw error.nested(under: "[\(elements.count)]")
            }
            guard try anotherItem(before: UInt8(ascii: "]")) else { return .array(elements) }
        }
    }

    /// After a member or an element: skips a `,` and the space after it (true: another item follows), or the
    /// container's `closing` bracket (false: it ends here).
    private mutating func anotherItem(before closing: UInt8) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard index < end else { throw JSONParseError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case UInt8(ascii: ","):
            index += 1
            skipWhitespace()
            return true
        case closing:
            index += 1
            return false
        case let byte:
            throw JSONParseError(.unexpectedByte(byte), at: index)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let pointer = literal.utf8Start
        for offset in 0..<count {
            guard index < end else { throw JSONParseError(.unexpectedEnd, at: index) }
            guard bytes[index] == pointer[offset] else {
                throw JSONParseError(.unexpectedByte(bytes[index]), at: index)
            }
            index += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard index < end else { throw JSONParseError(.unexpectedEnd, at: index) }
        guard bytes[index] == byte else { throw JSONParseError(.unexpectedByte(bytes[index]), at: index) }
        index += 1
    }

    /// RFC 8259 §2: only space, tab, line feed and carriage return are whitespace.
    private mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    // MARK: - Numbers

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < end else { throw JSONParseError(.unexpectedEnd, at: index) }
        var magnitude: UInt64 = 0
        var overflowed = false
        let first = bytes[index]
        if first == UInt8(ascii: "0") {
            index += 1
            if index < end, isDigit(bytes[index]) { throw JSONParseError(.invalidNumber, at: start) }
        } else if isDigit(first) {
            while index < end, isDigit(bytes[index]) {
                let digit = UInt64(bytes[index] &- UInt8(ascii: "0"))
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(digit)
                overflowed = overflowed || o1 || o2
                magnitude = sum
                index += 1
            }
        } else {
            throw JSONParseError(.invalidNumber, at: start)
        }
        var isInteger = true
        if index < end, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try requireDigits(numberStart: start)
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            try requireDigits(numberStart: start)
        }
        if isInteger, !overflowed {
            if !negative, magnitude <= UInt64(Int64.max) {
                return .integer(Int64(magnitude))
            }
            if negative, magnitude <= UInt64(Int64.max) + 1 {
                // Two's complement: 0 - magnitude wraps to exactly Int64.min for 2^63.
                return .integer(Int64(bitPattern: 0 &- magnitude))
            }
        }
        let literal = text(from: start, to: index)
        return isInteger ? .largeInteger(literal) : .number(literal)
    }

    private mutating func requireDigits(numberStart: Int) throws(JSONParseError) {
        guard index < end else { throw JSONParseError(.unexpectedEnd, at: index) }
        guard isDigit(bytes[index]) else { throw JSONParseError(.invalidNumber, at: numberStart) }
        while index < end, isDigit(bytes[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    // MARK: - Strings

    /// Parses a string starting at its opening quote (RFC 8259 §7). UTF-8 is validated once, when the String is
    /// made (RFC 3629 via the standard library); only on failure is the bad byte located, for the error offset.
    private mutating func parseString() throws(JSONParseError) -> String {
        // The word-at-a-time scan below loads eight bytes while `index + 8 <= end`: `end` is the input's length.
        assert(end == bytes.count && index < end && bytes[index] == UInt8(ascii: "\""), "at a string's opening quote")
        index += 1  // opening quote
        let start = index
        var highBits: UInt64 = 0
        while index < end {
            // Skip eight bytes at a time while none is a quote, backslash or control character: transcripts
            // make strings the bulk of every import. Non-ASCII bytes pass; their high bits are remembered.
            while index &+ 8 <= end {
                let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if Self.needsAttention(word) { break }
                highBits |= word
                index &+= 8
            }
            guard index < end else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let result = try makeString(start..<index, isASCII: highBits & Self.highBitsMask == 0)
                index += 1
                return result
            }
            if byte == UInt8(ascii: "\\") {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                return try parseEscapedRemainder(stringStart: start)
            }
            if byte < 0x20 { throw JSONParseError(.controlCharacterInString(byte), at: index) }
            highBits |= UInt64(byte)
            index += 1
        }
        throw unterminatedString(from: start)
    }

    private static let highBitsMask: UInt64 = 0x8080_8080_8080_8080

    /// Whether any of eight bytes is a quote, a backslash or a control character (SWAR: the classic "has a zero
    /// byte" test, `(v - 0x01…) & ~v & 0x80…`, applied to `v ^ c` and, for "below 0x20", to `v` itself).
    private static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let hasQuote = (quotes &- ones) & ~quotes
        let hasBackslash = (backslashes &- ones) & ~backslashes
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl) & highBitsMask != 0
    }

    /// The slow path: the string has escapes, so its bytes are assembled in `scratch`.
    private mutating func parseEscapedRemainder(stringStart: Int) throws(JSONParseError) -> String {
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard let result = String(validating: scratch, as: UTF8.self) else {
                    throw JSONParseError(.invalidUTF8, at: firstInvalidUTF8(in: stringStart..<index))
                }
                index += 1
                return result
            }
            if byte == UInt8(ascii: "\\") {
                try appendEscape()
            } else if byte < 0x20 {
                throw JSONParseError(.controlCharacterInString(byte), at: index)
            } else {
                scratch.append(byte)
                index += 1
            }
        }
        throw unterminatedString(from: stringStart)
    }

    private mutating func appendEscape() throws(JSONParseError) {
        let escapeStart = index
        index += 1  // backslash
        guard index < end else { throw JSONParseError(.unexpectedEnd, at: index) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hexQuad()
            var scalarValue = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                // A high surrogate must be followed at once by an escaped low surrogate.
                guard index + 1 < end, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(.loneSurrogate, at: escapeStart)
                }
                index += 2
                let low = try hexQuad()
                guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError(.loneSurrogate, at: escapeStart) }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw JSONParseError(.loneSurrogate, at: escapeStart)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { throw JSONParseError(.loneSurrogate, at: escapeStart) }
            scratch.append(contentsOf: UTF8.encode(scalar) ?? UTF8.EncodedScalar())
        default:
            throw JSONParseError(.invalidEscape, at: escapeStart)
        }
    }

    private mutating func hexQuad() throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < end else { throw JSONParseError(.unexpectedEnd, at: index) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidUnicodeEscape, at: index)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    /// A string that reached the end of input: bad UTF-8 inside it is the better explanation when there is some.
    private func unterminatedString(from start: Int) -> JSONParseError {
        let bad = firstInvalidUTF8(in: start..<end)
        return bad < end ? JSONParseError(.invalidUTF8, at: bad) : JSONParseError(.unexpectedEnd, at: end)
    }

    /// Makes a String from raw input bytes; ASCII needs no validation, anything else is validated here.
    private func makeString(_ range: Range<Int>, isASCII: Bool) throws(JSONParseError) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        if isASCII { return String(decoding: raw, as: UTF8.self) }
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw JSONParseError(.invalidUTF8, at: firstInvalidUTF8(in: range))
        }
        return text
    }

    /// The offset of the first byte in `range` that does not start a well-formed UTF-8 sequence, or `range.upperBound`.
    private func firstInvalidUTF8(in range: Range<Int>) -> Int {
        var position = range.lowerBound
        while position < range.upperBound {
            if bytes[position] < 0x80 {
                position += 1
                continue
            }
            guard let next = scalarEnd(at: position, limit: range.upperBound) else { return position }
            position = next
        }
        return range.upperBound
    }

    /// The end of the multi-byte UTF-8 sequence at `start` if it is well-formed within `limit` (RFC 3629 §4: no
    /// overlongs, no surrogates, nothing past U+10FFFF), else nil.
    private func scalarEnd(at start: Int, limit: Int) -> Int? {
        let lead = bytes[start]
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: return nil
        }
        guard start + length <= limit else { return nil }
        let second = bytes[start + 1]
        guard second >= secondLow, second <= secondHigh else { return nil }
        for offset in 2..<length where bytes[start + offset] & 0xC0 != 0x80 {
            return nil
        }
        return start + length
    }

    /// Makes a String from input bytes known to be ASCII (numbers).
    private func text(from start: Int, to stop: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self)
    }
}

extension JSONByteParser {
    /// A string key compared and hashed by its UTF-8 code units, so `é` and `e` + U+0301 are different keys.
    private struct ExactKey: Hashable {
        let text: String

        init(_ text: String) {
            self.text = text
        }

        static func equal(_ a: String, _ b: String) -> Bool {
            a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
        }

        static func == (lhs: ExactKey, rhs: ExactKey) -> Bool {
            equal(lhs.text, rhs.text)
        }

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }
}
