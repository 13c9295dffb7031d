import CallCore
import Foundation
import Testing

@Suite("JSONWriter")
struct JSONWriterTests {
    private func text(_ writer: JSONWriter) -> String {
        String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func escapesQuoteBackslashAndControlCharacters() {
        var writer = JSONWriter()
        writer.string("a\"b\\c\n\r\t\u{08}\u{0C}\u{0}\u{1F}/\u{7F}")
        #expect(text(writer) == #""a\"b\\c\n\r\t\b\f\u0000\u001f/"# + "\u{7F}\"")
    }

    @Test func passesNonASCIIThroughAsUTF8() {
        var writer = JSONWriter()
        let value = "café 東京 😀 \u{2028}"
        writer.string(value)
        #expect(writer.bytes == [0x22] + Array(value.utf8) + [0x22])
    }

    @Test func randomStringsDecodeBackExactlyWithFoundation() throws {
        var generator = TestSupport.SeededGenerator(seed: 42)
        for round in 0..<2_000 {
            let value = TestSupport.randomString(length: Int.random(in: 0...40, using: &generator), using: &generator)
            var writer = JSONWriter()
            writer.array { $0.string(value) }
            let decoded = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String]
            // Scalar by scalar: String's == would accept a canonically equivalent but different string.
            #expect(decoded.map { $0.map { Array($0.unicodeScalars) } } == [Array(value.unicodeScalars)], "round \(round)")
            // Also no raw control byte may appear in the output.
            #expect(!writer.bytes.contains { $0 < 0x20 }, "round \(round)")
        }
    }

    @Test func escapesASpecialByteAtEveryPositionOfALongRun() throws {
        // The writer copies eight bytes at a time while none needs escaping: a byte that does must
        // be caught wherever it falls in such a word.
        for special: Unicode.Scalar in ["\"", "\\", "\u{0}", "\n", "\u{1F}", "é"] {
            for position in 0..<20 {
                let value = String(repeating: "a", count: position) + String(special) + String(repeating: "b", count: 19 - position)
                var writer = JSONWriter()
                writer.array { $0.string(value) }
                let decoded = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String]
                #expect(decoded.map { $0.map { Array($0.unicodeScalars) } } == [Array(value.unicodeScalars)], "\(special) at \(position)")
                #expect(!writer.bytes.contains { $0 < 0x20 })
            }
        }
    }

    @Test func escapesASpecialByteAtEveryPositionOfEveryShortLength() throws {
        // Strings of eight bytes or more end with one overlapping eight-byte copy: a special byte anywhere in
        // that last word, or before it, must still be escaped, and nothing else changed.
        for special: Unicode.Scalar in ["\"", "\u{1}", "\t", "ü"] {
            for length in 1...24 {
                for position in 0..<length {
                    let value = String(repeating: "x", count: position) + String(special) + String(repeating: "y", count: length - position - 1)
                    var writer = JSONWriter()
                    writer.array { $0.string(value) }
                    let decoded = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String]
                    #expect(decoded.map { $0.map { Array($0.unicodeScalars) } } == [Array(value.unicodeScalars)], "\(special) at \(position) of \(length)")
                }
            }
        }
    }

    @Test func pageOfCallsNeedingManyEscapesOutgrowsItsEstimate() throws {
        // Every byte of these strings escapes to six, far past the estimate: the page is written again with
        // more room and must come out whole.
        let controls = String(repeating: "\u{1}\u{2}\"", count: 300)
        var calls: [Call] = []
        for index in 0..<5 {
            var call = TestSupport.call("c-\(index)")
            call.transcript = controls
            call.metadata = CallMetadata([(key: controls, value: controls)])
            calls.append(call)
        }
        var writer = JSONWriter()
        CallJSON.write(calls, includeTranscript: true, into: &writer)
        let decoded = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [[String: Any]]
        #expect(decoded?.count == 5)
        #expect(decoded?.allSatisfy { $0["transcript"] as? String == controls } == true)
        #expect((decoded?.first?["metadata"] as? [String: String])?[controls] == controls)
    }

    @Test func aValueOutgrowingTheRoomAtAnyByteComesOutWhole() {
        // The writer writes into its spare room and, when a value does not fit, counts the most it can take and
        // writes it again. Padding first moves the point where the room runs out across every byte of the value.
        func escaped(_ value: String) -> [UInt8] {
            var out: [UInt8] = [UInt8(ascii: "\"")]
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
                case 0x0A: out += Array(#"\n"#.utf8)
                case 0x09: out += Array(#"\t"#.utf8)
                case 0x08: out += Array(#"\b"#.utf8)
                case 0x0C: out += Array(#"\f"#.utf8)
                case 0x0D: out += Array(#"\r"#.utf8)
                case 0..<0x20: out += Array(String(format: "\\u%04x", Int(byte)).utf8)
                default: out.append(byte)
                }
            }
            return out + [UInt8(ascii: "\"")]
        }
        let values = [
            String(repeating: "plain words ", count: 30),
            String(repeating: "\u{1}\n\"é", count: 60),
            String(repeating: "abcdefg\u{1F}", count: 40),
        ]
        for value in values {
            for padding in stride(from: 0, through: 300, by: 7) {
                var writer = JSONWriter()
                writer.array { array in
                    array.string(String(repeating: "p", count: padding))
                    array.string(value)
                    array.integer(-1_234_567)
                }
                let expected = [UInt8(ascii: "[")] + escaped(String(repeating: "p", count: padding)) + [UInt8(ascii: ",")]
                    + escaped(value) + Array(",-1234567]".utf8)
                #expect(writer.bytes == expected, "padding \(padding)")
            }
        }
    }

    @Test func aLargeValueGetsTheRoomItTakesNotItsWorstCase() {
        // No caller states a size: a value larger than the spare room is counted and written again into just
        // the room it takes. Room for the worst case (six bytes per string byte) would be six times the text
        // of a large tool result.
        for (text, escapedSize) in [
            (String(repeating: "plain words ", count: 20_000), 240_002),
            (String(repeating: "line\n", count: 40_000), 240_002),
        ] {
            var writer = JSONWriter()
            writer.string(text)
            #expect(writer.bytes.count == escapedSize)
            #expect(writer.bytes.capacity < escapedSize + escapedSize / 4, "capacity \(writer.bytes.capacity)")
            let decoded = try? JSONSerialization.jsonObject(with: Data(writer.bytes), options: .fragmentsAllowed) as? String
            #expect(decoded == text)
        }
    }

    @Test func theRangeOfAValueHoldsExactlyItsBytes() {
        var call = TestSupport.call("c-range")
        call.transcript = "a \"quoted\" line\n"
        var writer = JSONWriter()
        var range = 0..<0
        writer.object { object in
            object.member("before", "x")
            object.key("call")
            range = object.range { CallJSON.write(call, includeTranscript: true, into: &$0) }
            object.member("after", 1)
        }
        #expect(Array(writer.bytes[range]) == CallJSON.bytes(call, includeTranscript: true))
        #expect(writer.bytes[range.upperBound] == UInt8(ascii: ","))
    }

    @Test func writesEveryPowerOfTenAndItsNeighbours() {
        var values: [Int64] = []
        var power: Int64 = 1
        while true {
            values += [power - 1, power, power + 1, -power, 1 - power]
            let (next, overflow) = power.multipliedReportingOverflow(by: 10)
            if overflow { break }
            power = next
        }
        var writer = JSONWriter()
        writer.array { array in
            for value in values { array.integer(value) }
        }
        #expect(text(writer) == "[" + values.map(String.init).joined(separator: ",") + "]")
    }

    @Test func callsWriteEveryEnumerationAsItsRawValue() throws {
        for status in CallStatus.allCases {
            for type in CallType.allCases {
                for direction in CallDirection.allCases {
                    let call = TestSupport.call("c-1", status: status, type: type, direction: direction)
                    let object = try JSONSerialization.jsonObject(with: Data(CallJSON.bytes(call, includeTranscript: false))) as? [String: Any]
                    #expect(object?["call_status"] as? String == status.rawValue)
                    #expect(object?["call_type"] as? String == type.rawValue)
                    #expect(object?["direction"] as? String == direction.rawValue)
                }
            }
        }
    }

    @Test func randomStringsRoundTripThroughOurReader() throws {
        var generator = TestSupport.SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let value = TestSupport.randomString(length: Int.random(in: 0...40, using: &generator), using: &generator)
            var writer = JSONWriter()
            writer.object { $0.member(value, value) }
            #expect(try JSONReader.parse(writer.bytes) == .object([(key: value, value: .string(value))]))
        }
    }

    @Test func writesIntegersIncludingTheExtremes() {
        var writer = JSONWriter()
        writer.array { array in
            for value: Int64 in [0, 7, -7, 10, 1_703_097_600_000, Int64.max, Int64.min] { array.integer(value) }
        }
        #expect(text(writer) == "[0,7,-7,10,1703097600000,9223372036854775807,-9223372036854775808]")
    }

    @Test func writesEveryIntegerAsItsDecimalDigits() {
        // Every digit count on both sides of each power of ten, and random values of every size.
        var values: [Int64] = [0, Int64.max, Int64.min, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<19 {
            values += [power - 1, power, power + 1, -power, -(power - 1)]
            if power <= Int64.max / 10 { power *= 10 }
        }
        var generator = TestSupport.SeededGenerator(seed: 17)
        for _ in 0..<5_000 {
            let value = Int64.random(in: Int64.min...Int64.max, using: &generator)
            values.append(value >> UInt64.random(in: 0..<64, using: &generator))
        }
        for value in values {
            var writer = JSONWriter()
            writer.integer(value)
            #expect(text(writer) == String(value))
        }
    }

    @Test func placesCommasBetweenMembersAndElementsOnly() {
        var writer = JSONWriter()
        writer.object { object in
            object.member("a", 1 as Int64)
            object.member("b") { value in
                value.array { array in
                    array.null()
                    array.bool(true)
                    array.object { _ in }
                    array.array { _ in }
                    array.string(nil as String?)
                }
            }
            object.member("c", nil as Int64?)
            object.member("d", false)
            object.nullMember("e")
        }
        #expect(text(writer) == #"{"a":1,"b":[null,true,{},[],null],"c":null,"d":false,"e":null}"#)
    }

    @Test func writesParsedValuesBackUnchanged() throws {
        let source = #"{"a":[1,-2,3.50,1E3,123456789012345678901234,true,null,"x\n"],"b":{}}"#
        var writer = JSONWriter()
        writer.value(try JSONReader.parse(source))
        #expect(text(writer) == source.replacingOccurrences(of: "\n", with: "\\n"))
    }

    @Test func outputIsValidJSONForFoundation() throws {
        var writer = JSONWriter()
        writer.object { object in
            object.member("s", "x\u{1}y")
            object.member("n", Int64.min)
            object.member("list") { $0.array { a in a.integer(1); a.integer(2) } }
        }
        let decoded = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any]
        #expect(decoded?["s"] as? String == "x\u{1}y")
        #expect((decoded?["list"] as? [Any])?.count == 2)
    }
}
