import CallCore
import Testing

@Suite("JSONReader on long strings and random input")
struct JSONReaderFuzzTests {
    @Test func rejectsControlCharacterAtEveryPositionOfALongString() {
        let base = Array(String(repeating: "abcdéfgh", count: 6).utf8)
        for position in 0..<base.count where base[position] < 0x80 {
            var bytes = base
            bytes[position] = 0x09
            let error = TestSupport.parseError([0x22] + bytes + [0x22])
            #expect(error == JSONParseError(.controlCharacterInString(0x09), at: position + 1), "position \(position)")
        }
    }

    @Test func findsTheClosingQuoteAtEveryPositionOfALongString() throws {
        for length in 0..<40 {
            let text = String(repeating: "x", count: length)
            #expect(try JSONReader.parse("\"\(text)\"") == .string(text))
            #expect(try JSONReader.parse("[\"\(text)\",\"\(text)é\"]") == .array([.string(text), .string(text + "é")]))
        }
    }

    @Test func locatesInvalidUTF8DeepInsideALongString() {
        var bytes = Array(String(repeating: "plain ascii text ", count: 5).utf8)
        bytes.insert(0xFF, at: 50)
        #expect(TestSupport.parseError([0x22] + bytes + [0x22]) == JSONParseError(.invalidUTF8, at: 51))
        bytes[50] = 0xC3  // a lead byte followed by ASCII
        #expect(TestSupport.parseError([0x22] + bytes + [0x22]) == JSONParseError(.invalidUTF8, at: 51))
    }

    @Test func escapesAfterALongPlainRunDecodeCorrectly() throws {
        let run = String(repeating: "y", count: 37)
        #expect(try JSONReader.parse(#""\#(run)\n\#(run)\u00e9\ud83d\ude00""#) == .string(run + "\n" + run + "é😀"))
    }

    @Test func randomBytesNeverCrashTheReader() {
        var generator = TestSupport.SeededGenerator(seed: 5)
        let alphabet = Array(#"{}[]":,0123456789-+.eEtrufalsn \ "#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xA9, 0xED, 0xF4, 0xFF]
        var accepted = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            if TestSupport.parseError(bytes) == nil { accepted += 1 }
        }
        // Some random inputs are valid JSON (numbers, short strings); the point is that none traps.
        #expect(accepted > 0)
    }

    @Test func mutatedDocumentsEitherParseOrFailWithAnOffsetInsideTheInput() {
        var generator = TestSupport.SeededGenerator(seed: 11)
        let document = Array(#"{"page":1,"limit":20,"filter_criteria":{"call_status":["ended","é"],"duration_ms":{"lower_threshold":-0}}}"#.utf8)
        for _ in 0..<20_000 {
            var bytes = document
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[position] = UInt8.random(in: 0...255, using: &generator)
            }
            if let error = TestSupport.parseError(bytes) {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
    }
}
