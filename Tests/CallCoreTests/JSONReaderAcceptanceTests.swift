import CallCore
import Testing

@Suite("JSONReader accepts strict JSON")
struct JSONReaderAcceptanceTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONReader.parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null, "x"], "b": {}} "#)
        let expected: JSONValue = .object([
            (key: "a", value: .array([.integer(1), .integer(-2), .number("3.5"), .number("1e3"), .bool(true), .bool(false), .null, .string("x")])),
            (key: "b", value: .object([])),
        ])
        #expect(value == expected)
    }

    @Test func keepsObjectMembersInDocumentOrder() throws {
        let value = try JSONReader.parse(#"{"z":1,"a":2,"m":3}"#)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m"])
    }

    @Test func wholeNumberWithFractionIsNotAnInteger() throws {
        #expect(try JSONReader.parse("1.0") == .number("1.0"))
        #expect(try JSONReader.parse("1e0") == .number("1e0"))
        #expect(try JSONReader.parse("-0.0") == .number("-0.0"))
        #expect(try JSONReader.parse("2E+2") == .number("2E+2"))
    }

    @Test func integersAtTheInt64LimitsAreIntegers() throws {
        #expect(try JSONReader.parse("9223372036854775807") == .integer(Int64.max))
        #expect(try JSONReader.parse("-9223372036854775808") == .integer(Int64.min))
    }

    @Test func integersBeyondInt64AreLargeIntegersKeptVerbatim() throws {
        #expect(try JSONReader.parse("9223372036854775808") == .largeInteger("9223372036854775808"))
        #expect(try JSONReader.parse("-9223372036854775809") == .largeInteger("-9223372036854775809"))
        #expect(try JSONReader.parse("123456789012345678901234567890") == .largeInteger("123456789012345678901234567890"))
    }

    @Test func negativeZeroIsIntegerZero() throws {
        #expect(try JSONReader.parse("-0") == .integer(0))
    }

    @Test func decodesEveryEscape() throws {
        let value = try JSONReader.parse(#""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u0000""#)
        #expect(value == .string("\" \\ / \u{08} \u{0C} \n \r \t A é \u{0}"))
    }

    @Test func decodesSurrogatePairToOneScalar() throws {
        #expect(try JSONReader.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONReader.parse(#""\uDBFF\uDFFF""#) == .string("\u{10FFFF}"))
    }

    @Test func passesValidMultibyteUTF8Through() throws {
        let text = "café – 東京 – 😀 – \u{10FFFF}"
        #expect(try JSONReader.parse("\"\(text)\"") == .string(text))
    }

    @Test func acceptsDepthUpToTheLimit() throws {
        let depth = JSONReader.defaultMaxDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        _ = try JSONReader.parse(text)
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        _ = try JSONReader.parse(objects)
    }

    @Test func acceptsAllFourWhitespaceCharacters() throws {
        #expect(try JSONReader.parse(" \t\r\n[ 1 ,\t2 ]\n") == .array([.integer(1), .integer(2)]))
    }

    @Test func parsesObjectWithManyKeysInLinearTime() throws {
        // 200,000 distinct keys: a quadratic duplicate check would take minutes.
        let count = 200_000
        var text = "{"
        for index in 0..<count {
            if index > 0 { text += "," }
            text += "\"k\(index)\":\(index)"
        }
        text += "}"
        let clock = ContinuousClock()
        let started = clock.now
        let value = try JSONReader.parse(text)
        #expect(clock.now - started < .seconds(10))
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.count == count)
        #expect(members.last?.value == .integer(Int64(count - 1)))
    }

    @Test func parsesSlicesWithOffsetsFromTheSliceStart() throws {
        let bytes = Array("xx{\"a\":1}yy".utf8)
        #expect(try JSONReader.parse(bytes[2..<9]) == .object([(key: "a", value: .integer(1))]))
        do {
            _ = try JSONReader.parse(bytes[2..<10])
            Issue.record("trailing byte accepted")
        } catch {
            #expect(error == JSONParseError(.trailingData, at: 7))
        }
    }
}
