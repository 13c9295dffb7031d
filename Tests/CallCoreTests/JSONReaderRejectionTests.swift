import CallCore
import Testing

@Suite("JSONReader rejects everything RFC 8259 does not allow")
struct JSONReaderRejectionTests {
    private func reason(_ text: String) -> JSONParseError.Reason? {
        TestSupport.parseError(text)?.reason
    }

    private func reason(bytes: [UInt8]) -> JSONParseError.Reason? {
        TestSupport.parseError(bytes)?.reason
    }

    @Test func rejectsEmptyAndWhitespaceOnlyInput() {
        #expect(reason("") == .emptyInput)
        #expect(reason(" \n\t") == .emptyInput)
    }

    @Test func rejectsByteOrderMark() {
        #expect(reason(bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == .byteOrderMark)
    }

    @Test func rejectsTrailingGarbage() {
        #expect(reason("{} x") == .trailingData)
        #expect(reason("1 2") == .trailingData)
        #expect(reason("{}{}") == .trailingData)
        #expect(reason("[1]]") == .trailingData)
    }

    @Test func rejectsDuplicateKeyAndNamesIt() {
        let error = TestSupport.parseError(#"{"page":1,"limit":2,"page":3}"#)
        #expect(error?.reason == .duplicateKey("page"))
        #expect(error?.offset == 20)
        #expect(error?.message.contains("\"page\"") == true)
    }

    @Test func rejectsDuplicateKeyInLargeObject() {
        var text = "{"
        for index in 0..<100 { text += "\"k\(index)\":0," }
        text += "\"k42\":1}"
        #expect(reason(text) == .duplicateKey("k42"))
    }

    @Test func rejectsDuplicateKeyInNestedObject() {
        #expect(reason(#"{"a":{"b":1,"b":2}}"#) == .duplicateKey("a.b"))
    }

    @Test func duplicateKeyIsFoundAfterUnescaping() {
        #expect(reason(#"{"a\\b":1,"a\u005Cb":2}"#) == .duplicateKey("a\\b"))
        #expect(reason(#"{"é":1,"\u00e9":2}"#) == .duplicateKey("é"))
    }

    @Test func keysCompareByCodeUnitsNotCanonicalEquivalence() throws {
        // Precomposed é and e + U+0301 are different JSON keys (RFC 8259 §8.3 compares code units).
        let value = try JSONReader.parse("{\"\u{E9}\":1,\"e\u{301}\":2}")
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.count == 2)
    }

    @Test func sameKeyInSiblingObjectsIsFine() throws {
        _ = try JSONReader.parse(#"[{"a":1},{"a":2}]"#)
    }

    @Test func rejectsNestingBeyondTheLimit() {
        let depth = JSONReader.defaultMaxDepth + 1
        #expect(reason(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) == .tooDeep(limit: 64))
    }

    @Test func deepNestingIsAnErrorNotAStackOverflow() {
        #expect(reason(String(repeating: "[", count: 1_000_000)) == .tooDeep(limit: 64))
        #expect(reason(String(repeating: #"{"a":"#, count: 1_000_000)) == .tooDeep(limit: 64))
    }

    @Test func rejectsMalformedNumbers() {
        let cases: [(String, JSONParseError.Reason)] = [
            ("01", .invalidNumber), ("-01", .invalidNumber), ("1.e3", .invalidNumber), ("-a", .invalidNumber),
            ("1.x", .invalidNumber), ("1ex", .invalidNumber),
            ("1.", .unexpectedEnd), ("-", .unexpectedEnd), ("1e", .unexpectedEnd), ("1e+", .unexpectedEnd), ("1.5e", .unexpectedEnd),
            (".5", .unexpectedByte(UInt8(ascii: "."))), ("+1", .unexpectedByte(UInt8(ascii: "+"))),
            ("0x10", .trailingData), ("NaN", .unexpectedByte(UInt8(ascii: "N"))), ("Infinity", .unexpectedByte(UInt8(ascii: "I"))),
            ("-Infinity", .invalidNumber),
        ]
        for (text, expected) in cases {
            #expect(reason(text) == expected, "\(text)")
        }
    }

    @Test func rejectsRawControlCharactersInStrings() {
        for byte in UInt8(0)..<0x20 {
            #expect(reason(bytes: [0x22, 0x61, byte, 0x22]) == .controlCharacterInString(byte))
        }
        #expect(reason(bytes: Array(#""a\n"#.utf8) + [0x0A, 0x22]) == .controlCharacterInString(0x0A))
    }

    @Test func acceptsDeleteCharacterUnescaped() throws {
        #expect(try JSONReader.parse([0x22, 0x7F, 0x22]) == .string("\u{7F}"))
    }

    @Test func rejectsInvalidUTF8() {
        let cases: [[UInt8]] = [
            [0x80],  // lone continuation byte
            [0xC0, 0x80],  // overlong NUL
            [0xC1, 0xBF],  // overlong
            [0xE0, 0x80, 0x80],  // overlong 3-byte
            [0xED, 0xA0, 0x80],  // UTF-8-encoded surrogate U+D800
            [0xF0, 0x80, 0x80, 0x80],  // overlong 4-byte
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xF5, 0x80, 0x80, 0x80],  // invalid lead
            [0xFF],
            [0xC3],  // truncated before the quote
            [0xE2, 0x82],  // truncated
            [0xC3, 0x28],  // bad continuation
            [0xE2, 0x28, 0xA1],
        ]
        for bytes in cases {
            #expect(reason(bytes: [0x22] + bytes + [0x22]) == .invalidUTF8, "\(bytes)")
        }
        #expect(reason(bytes: [0x22, 0xC3]) == .invalidUTF8)
    }

    @Test func rejectsNonASCIIOutsideStrings() {
        #expect(reason(bytes: [0x5B, 0xC3, 0xA9, 0x5D]) == .unexpectedByte(0xC3))
    }

    @Test func rejectsLoneSurrogateEscapes() {
        #expect(reason(#""\ud800""#) == .loneSurrogate)
        #expect(reason(#""\udc00""#) == .loneSurrogate)
        #expect(reason(#""\ud800\u0041""#) == .loneSurrogate)
        #expect(reason(#""\ud800x""#) == .loneSurrogate)
        #expect(reason(#""\ude00\ud83d""#) == .loneSurrogate)
        #expect(reason(#""\ud83d\ud83d""#) == .loneSurrogate)
    }

    @Test func rejectsBadEscapes() {
        #expect(reason(#""\x""#) == .invalidEscape)
        #expect(reason(#""\'""#) == .invalidEscape)
        #expect(reason(#""\u12""#) == .invalidUnicodeEscape)
        #expect(reason(#""\u12G4""#) == .invalidUnicodeEscape)
    }

    @Test func rejectsStructuralMistakes() {
        #expect(reason("[1,]") == .unexpectedByte(UInt8(ascii: "]")))
        #expect(reason(#"{"a":1,}"#) == .unexpectedByte(UInt8(ascii: "}")))
        #expect(reason(#"{"a" 1}"#) == .unexpectedByte(UInt8(ascii: "1")))
        #expect(reason("{a:1}") == .unexpectedByte(UInt8(ascii: "a")))
        #expect(reason("['a']") == .unexpectedByte(UInt8(ascii: "'")))
        #expect(reason("[1 2]") == .unexpectedByte(UInt8(ascii: "2")))
        #expect(reason("tru") == .unexpectedEnd)
        #expect(reason("nul1") == .unexpectedByte(UInt8(ascii: "1")))
        #expect(reason("TRUE") == .unexpectedByte(UInt8(ascii: "T")))
        #expect(reason("[") == .unexpectedEnd)
        #expect(reason(#"{"a":"#) == .unexpectedEnd)
        #expect(reason(#""abc"#) == .unexpectedEnd)
        #expect(reason("/* c */ 1") == .unexpectedByte(UInt8(ascii: "/")))
    }

    @Test func rejectsNonJSONWhitespace() {
        #expect(reason(bytes: [0x0C, 0x31]) == .unexpectedByte(0x0C))  // form feed
        #expect(reason(bytes: [0xC2, 0xA0, 0x31]) == .unexpectedByte(0xC2))  // no-break space
    }

    @Test func errorMessageCarriesTheByteOffset() {
        let error = TestSupport.parseError(#"{"a": tru}"#)
        #expect(error?.offset == 9)
        #expect(error?.message.hasSuffix("at byte 9") == true)
    }
}

@Suite struct JSONDuplicateKeyPathTests {
    @Test func duplicateKeyErrorNamesTheNestedPath() {
        let cases: [(String, String)] = [
            (#"{"a":1,"a":2}"#, "a"),
            (#"{"filter_criteria":{"agent_id":["a"],"agent_id":["b"]}}"#, "filter_criteria.agent_id"),
            (#"{"x":[{"k":1},{"k":1,"k":2}]}"#, "x[1].k"),
            (#"[[{"k":1,"k":2}]]"#, "[0][0].k"),
        ]
        for (text, path) in cases {
            do {
                _ = try JSONReader.parse(text)
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.reason == .duplicateKey(path), "\(text)")
            }
        }
    }
}
