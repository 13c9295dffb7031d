import Foundation
@testable import HTTPKit
import Testing

/// `--log-format json`: each line one JSON object a log shipper can parse, whatever bytes a client sent.
@Suite struct JSONLogLineTests {
    private func object(_ bytes: [UInt8]) throws -> [String: Any] {
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(bytes.dropLast().firstIndex(of: UInt8(ascii: "\n")) == nil)
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func hostileTextSurvivesAsTheSameString() throws {
        let hostile = "/a\"b\\c\n\r\t\u{01}\u{1F}\u{7F}é💥\"}{"
        var line = JSONLogLine(level: "info")
        line.field("path", hostile)
        line.field("method", nil)
        line.field("status", 404)
        line.field("duration_ms", microsecondsAsMilliseconds: 1_250)
        let parsed = try object(line.line())
        #expect(parsed["path"] as? String == hostile)
        #expect(parsed["method"] is NSNull)
        #expect(parsed["status"] as? Int == 404)
        #expect(parsed["duration_ms"] as? Double == 1.25)
        #expect(parsed["level"] as? String == "info")
    }

    @Test func timestampsAreRFC3339InUTCWithMilliseconds() throws {
        let stamp = JSONLogLine.timestamp()
        #expect(stamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try #require(formatter.date(from: stamp))
        #expect(abs(date.timeIntervalSinceNow) < 60)
    }

    @Test func accessRecordsCarryTheFieldsInJSONAndTheOldLineInText() throws {
        let record = AccessRecord(
            method: "POST", path: "/api/calls", route: "/api/calls", status: 200, requestID: "r1",
            microseconds: 2_345, bytes: 512, failure: nil)
        var json: [UInt8] = []
        record.append(to: &json, format: .json)
        let parsed = try object(json)
        #expect(parsed["request_id"] as? String == "r1")
        #expect(parsed["method"] as? String == "POST")
        #expect(parsed["route"] as? String == "/api/calls")
        #expect(parsed["status"] as? Int == 200)
        #expect(parsed["duration_ms"] as? Double == 2.345)
        #expect(parsed["bytes"] as? Int == 512)
        #expect(parsed["timestamp"] is String)
        var text: [UInt8] = []
        record.append(to: &text, format: .text)
        #expect(String(decoding: text, as: UTF8.self) == "POST /api/calls 200 2.345ms r1\n")

        let malformed = AccessRecord(
            method: nil, path: nil, route: "unmatched", status: 400, requestID: "r2", microseconds: 0, bytes: 90,
            failure: "bare CR")
        var failureJSON: [UInt8] = []
        malformed.append(to: &failureJSON, format: .json)
        let failure = try object(failureJSON)
        #expect(failure["level"] as? String == "warn")
        #expect(failure["error"] as? String == "bare CR")
        #expect(failure["method"] is NSNull)
        var failureText: [UInt8] = []
        malformed.append(to: &failureText, format: .text)
        #expect(String(decoding: failureText, as: UTF8.self) == "- - 400 - r2 bare CR\n")
    }
}
