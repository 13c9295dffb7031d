@testable import CallCore
import Testing

/// The list request read straight from bytes must agree with the JSON-tree decoder: it may give a body up to the
/// tree (which then words the error), but whatever it accepts must decode to exactly the tree's query, and the
/// bodies clients send must not be given up.
@Suite("ListRequestBytes: the byte decoder agrees with the tree decoder")
struct ListRequestBytesTests {
    private typealias Generator = TestSupport.SeededGenerator

    private func bytesDecoder(_ body: [UInt8]) -> ListQuery? {
        body.withUnsafeBytes { ListRequestBytes.decode($0) }
    }

    private func treeDecoder(_ body: [UInt8]) -> Result<ListQuery, APIError> {
        body.withUnsafeBytes { raw in
            Result { () throws(APIError) in try ListRequestDecoder.decodeThroughTree(raw) }
        }
    }

    @Test("bodies in the shapes clients send are read from bytes, and read as the tree reads them")
    func typicalBodies() {
        let bodies = [
            #"{}"#,
            #"{"limit":20}"#,
            #" { "page" : 3 , "limit" : 100 } "#,
            "{\n\t\"page\": 0,\r\n\"limit\": 1\n}",
            #"{"page":9223372036854775807,"limit":50,"sort_by":"call_id","sort_order":"asc"}"#,
            #"{"sort_by":"call_duration","sort_order":"descending","include_transcript":true}"#,
            #"{"page":null,"limit":null,"sort_by":null,"sort_order":null,"include_transcript":null,"filter_criteria":null}"#,
            #"{"limit":20,"filter_criteria":{"call_status":["ended"],"agent_id":["agent-support-1","agent-billing"],"duration_ms":{"lower_threshold":30000,"upper_threshold":600000},"transcript_search":"refund order"}}"#,
            #"{"filter_criteria":{"call_status":["Ended","ERROR","ended"],"call_type":["web_call"],"direction":["INBOUND","outbound"]}}"#,
            #"{"filter_criteria":{"from_number":["+14155550100","+14155550100"],"to_number":[],"agent_id":[]}}"#,
            #"{"filter_criteria":{"start_timestamp":{"lower_threshold":0},"duration_ms":{"upper_threshold":0}}}"#,
            #"{"sort_by":"updated_timestamp","filter_criteria":{"updated_timestamp":{"lower_threshold":1765958196238}}}"#,
            #"{"filter_criteria":{"updated_timestamp":{"lower_threshold":null,"upper_threshold":5},"transcript_search":"help"}}"#,
            #"{"filter_criteria":{"start_timestamp":{},"duration_ms":{"lower_threshold":null,"upper_threshold":null}}}"#,
            #"{"filter_criteria":{"transcript_search":"\"late delivery\" refund*"}}"#.replacingOccurrences(of: #"\""#, with: "'"),
            #"{"filter_criteria":{"transcript_search":"Café naïve 東京"}}"#,
            #"{"filter_criteria":{"transcript_search":""}}"#,
            #"{"filter_criteria":{"agent_id":["agent-ü"],"transcript_search":"   "}}"#,
        ]
        for body in bodies {
            let bytes = Array(body.utf8)
            guard let fast = bytesDecoder(bytes) else {
                Issue.record("given up: \(body)")
                continue
            }
            #expect(treeDecoder(bytes) == .success(fast), "\(body)")
        }
    }

    @Test("bodies the tree rejects are given up, so the tree words the error")
    func rejectedBodies() {
        let bodies = [
            #"{"limit":0}"#, #"{"limit":101}"#, #"{"page":-1}"#, #"{"page":-0}"#, #"{"page":01}"#, #"{"page":1.0}"#,
            #"{"page":1e2}"#, #"{"page":9223372036854775808}"#, #"{"page":"1"}"#, #"{"limit":20,}"#, #"{"limit":20"#,
            #"{"limit":20}x"#, #"{"limit":20}{}"#, #"{"limit" 20}"#, #"{"limit":20 "page":1}"#, #"{"limit":20,"limit":20}"#,
            #"{"lim\u0069t":20}"#, #"{"Limit":20}"#, #"{"extra":1}"#, #"[]"#, #"null"#, #" "#, "\u{FEFF}{}",
            #"{"sort_by":"CALL_ID"}"#, #"{"sort_order":"up"}"#, #"{"include_transcript":1}"#, #"{"include_transcript":tru}"#,
            #"{"filter_criteria":[]}"#, #"{"filter_criteria":{"call_status":"ended"}}"#,
            #"{"filter_criteria":{"call_status":["finished"]}}"#, #"{"filter_criteria":{"call_status":[null]}}"#,
            #"{"filter_criteria":{"agent_id":["a",]}}"#, #"{"filter_criteria":{"agent_id":["a" "b"]}}"#,
            #"{"filter_criteria":{"agent_id":[1]}}"#, #"{"filter_criteria":{"agent_id":["a\"b"]}}"#,
            #"{"filter_criteria":{"duration_ms":{"lower_threshold":5,"upper_threshold":4}}}"#,
            #"{"filter_criteria":{"duration_ms":{"lower_threshold":1,"lower_threshold":1}}}"#,
            #"{"filter_criteria":{"duration_ms":{"lower":1}}}"#, #"{"filter_criteria":{"duration_ms":5}}"#,
            #"{"filter_criteria":{"transcript_search":"a\nb"}}"#, #"{"filter_criteria":{"unknown":1}}"#,
            #"{"filter_criteria":{"transcript_search":""# + String(repeating: "a", count: 1001) + #""}}"#,
            #"{"filter_criteria":{"call_status":["ended"],"call_status":["ended"]}}"#,
        ]
        for body in bodies {
            #expect(bytesDecoder(Array(body.utf8)) == nil, "\(body)")
        }
        // Bytes that are not UTF-8, inside a string value and inside a key.
        #expect(bytesDecoder(Array(#"{"filter_criteria":{"agent_id":[""#.utf8) + [0xC3, 0x28] + Array(#""]}}"#.utf8)) == nil)
        #expect(bytesDecoder(Array(#"{""#.utf8) + [0xFF] + Array(#"":1}"#.utf8)) == nil)
        #expect(bytesDecoder(Array(#"{"filter_criteria":{"agent_id":["a"#.utf8) + [0x01] + Array(#""]}}"#.utf8)) == nil)
    }

    @Test("random and damaged bodies: the byte decoder accepts exactly the valid ones without escapes, as the tree reads them")
    func randomBodies() {
        var generator = Generator(seed: 0x5eed_b0d1)
        var valid = 0
        var damagedValid = 0
        for round in 0..<6000 {
            var body = Array(randomBody(&generator).utf8)
            let damaged = round % 2 == 1
            if damaged { damage(&body, &generator) }
            let fast = bytesDecoder(body)
            let tree = treeDecoder(body)
            let text = String(decoding: body, as: UTF8.self)
            if let fast { #expect(tree == .success(fast), "\(text)") }
            guard case .success = tree else { continue }
            valid += 1
            if damaged { damagedValid += 1 }
            // Only an escape or a negative zero (never sent by a client that means it) may send a valid body the long way.
            if !body.contains(UInt8(ascii: "\\")), !text.contains("-0") {
                #expect(fast != nil, "given up: \(text)")
            }
        }
        // The generator must reach both sides: many clean bodies are valid, and some damage is harmless
        // (an extra space, a changed digit), so the comparison is not only ever made on clean bodies.
        #expect(valid > 1000, "valid \(valid)")
        #expect(damagedValid > 80, "damaged but valid \(damagedValid)")
    }

    /// A body of the request's fields with random values, spacing, nulls and occasional wrong ones.
    private func randomBody(_ generator: inout Generator) -> String {
        func pick<T>(_ values: [T]) -> T { values[Int(generator.next() % UInt64(values.count))] }
        func chance(_ percent: UInt64) -> Bool { generator.next() % 100 < percent }
        func space() -> String { chance(20) ? pick([" ", "\n", "\t", "\r\n", "  "]) : "" }
        func integer() -> String {
            guard chance(15) else { return pick(["0", "1", "7", "20", "100", "\(1 + generator.next() % 99)", "null"]) }
            return pick(["101", "-1", "-0", "01", "1.5", "2e3", "9223372036854775807", "9223372036854775808",
                         "\(generator.next() % 1_000_000)", "\"5\""])
        }
        func stringList(_ words: [String]) -> String {
            let count = Int(generator.next() % 4)
            let items = (0..<count).map { _ in "\"" + pick(words) + "\"" }
            return "[" + space() + items.joined(separator: space() + "," + space()) + space() + "]"
        }
        func range() -> String {
            var members: [String] = []
            if chance(70) { members.append("\"lower_threshold\":" + space() + integer()) }
            if chance(70) { members.append("\"upper_threshold\":" + space() + integer()) }
            if chance(3) { members.append("\"middle\":1") }
            return "{" + members.shuffled(using: &generator).joined(separator: "," + space()) + "}"
        }
        var filter: [String] = []
        if chance(50) { filter.append(#""call_status":"# + stringList(["ended", "ERROR", "Ongoing", "scheduled", "ENDED", chance(90) ? "ended" : "done"])) }
        if chance(50) { filter.append(#""agent_id":"# + stringList(["agent-1", "agent-support-1", "ü-agent", "", "a b"])) }
        if chance(30) { filter.append(#""call_type":"# + stringList(["phone_call", "WEB_CALL", chance(90) ? "web_call" : "fax"])) }
        if chance(30) { filter.append(#""direction":"# + stringList(["inbound", "OUTBOUND", chance(90) ? "Inbound" : "sideways"])) }
        if chance(20) { filter.append(#""from_number":"# + stringList(["+14155550100", "+4930123"])) }
        if chance(20) { filter.append(#""to_number":"# + stringList(["+14155550100", "+4930123"])) }
        if chance(40) { filter.append(#""duration_ms":"# + space() + (chance(10) ? "null" : range())) }
        if chance(30) { filter.append(#""start_timestamp":"# + space() + (chance(10) ? "null" : range())) }
        if chance(50) {
            filter.append(#""transcript_search":"# + "\"" + pick(["refund", "refund order", "refund*", "'a b' c", "ÉTÉ", "", " "]) + "\"")
        }
        if chance(3) { filter.append(#""agent":[]"#) }
        var top: [String] = []
        if chance(50) { top.append(#""page":"# + space() + integer()) }
        if chance(70) { top.append(#""limit":"# + space() + integer()) }
        if chance(40) { top.append(#""sort_by":"# + pick([#""start_timestamp""#, #""call_id""#, #""call_duration""#, chance(90) ? "null" : #""id""#])) }
        if chance(40) { top.append(#""sort_order":"# + pick([#""asc""#, #""descending""#, #""DESC""#, "null"])) }
        if chance(30) { top.append(#""include_transcript":"# + pick(["true", "false", "null", chance(90) ? "true" : "0"])) }
        if chance(70) {
            top.append(#""filter_criteria":"# + space() + "{" + space()
                + filter.shuffled(using: &generator).joined(separator: space() + "," + space()) + space() + "}")
        }
        if chance(3) { top.append(#""limit":20"#) }
        return space() + "{" + space() + top.shuffled(using: &generator).joined(separator: space() + "," + space()) + space() + "}" + space()
    }

    /// Replaces, inserts or deletes a byte somewhere in `body`.
    private func damage(_ body: inout [UInt8], _ generator: inout Generator) {
        guard !body.isEmpty else { return }
        let position = Int(generator.next() % UInt64(body.count))
        let replacements: [UInt8] = Array(" \t\n0123456789-.eE\"\\,:{}[]nulltrueAZaz".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        let byte = replacements[Int(generator.next() % UInt64(replacements.count))]
        switch generator.next() % 3 {
        case 0: body[position] = byte
        case 1: body.insert(byte, at: position)
        default: body.remove(at: position)
        }
    }
}
