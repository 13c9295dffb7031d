import Foundation
import Glibc
import Testing

/// `GET /metrics` and `--log-format json` against the real server.
@Suite(.serialized) struct MetricsEndToEndTests {
    /// The families API.md lists, with their types.
    static let families: [(String, String)] = [
        ("callserver_http_requests_total", "counter"), ("callserver_http_request_duration_seconds", "histogram"),
        ("callserver_open_connections", "gauge"), ("callserver_calls", "gauge"), ("callserver_writes_total", "counter"),
        ("callserver_journal_bytes", "gauge"), ("callserver_journal_fsync_duration_seconds", "histogram"),
        ("callserver_refused_total", "counter"), ("callserver_slow_queue_depth", "gauge"),
        ("process_resident_memory_bytes", "gauge"), ("process_open_fds", "gauge"),
        ("process_cpu_seconds_total", "counter"), ("process_start_time_seconds", "gauge"),
    ]

    /// One scrape: the raw text and each sample's value by its series (`name{labels}`).
    struct Scrape {
        var text: String
        var samples: [String: Double] = [:]

        init(_ response: RawResponse) {
            text = response.text
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let space = line.lastIndex(of: " ") else { continue }
                samples[String(line[..<space])] = Double(line[line.index(after: space)...])
            }
        }

        /// The value of a series; a counter not yet exported is 0.
        subscript(_ series: String) -> Double { samples[series] ?? 0 }
    }

    private func scrape(_ s: GuardedServer) throws -> Scrape {
        let response = try s.send("GET", "/metrics", credential: nil)
        #expect(response.status == 200)
        return Scrape(response)
    }

    @Test func aFreshServerExportsEveryFamilyAndEveryRefusalReasonAtZero() throws {
        let s = try GuardedServer([])
        let response = try s.send("GET", "/metrics", credential: nil)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let scrape = Scrape(response)
        for (name, type) in Self.families {
            #expect(scrape.text.contains("\n# TYPE \(name) \(type)\n") || scrape.text.hasPrefix("# TYPE \(name) \(type)\n"))
            #expect(scrape.text.contains("# HELP \(name) "))
        }
        for reason in ["connection_limit", "body_budget", "slow_queue", "rate_limit", "timeout"] {
            #expect(scrape.samples["callserver_refused_total{reason=\"\(reason)\"}"] == 0)
        }
        #expect(scrape["process_open_fds"] > 0)
        #expect(scrape["process_resident_memory_bytes"] > 0)
        #expect(scrape["process_start_time_seconds"] > Date().timeIntervalSince1970 - 600)
        #expect(scrape.samples["callserver_open_connections"] == 1)  // the scrape's own
        // HEAD answers with the headers alone.
        let connection = try RawConnection(port: s.server.port)
        connection.send("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try #require(connection.readResponse(headOnly: true))
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
    }

    @Test func requestsAreCountedByRoutePatternMethodAndStatusAndNoPathBecomesALabel() throws {
        let s = try GuardedServer([])
        let before = try scrape(s)
        let listed = #"callserver_http_requests_total{route="/api/calls",method="POST",status="200"}"#
        for _ in 0..<5 { #expect(try s.send("POST", "/api/calls", "{}", credential: s.reader).status == 200) }
        let secretPath = "/zz-\(UUID().uuidString.lowercased())"
        #expect(try s.send("GET", secretPath, credential: nil).status == 404)
        #expect(try s.send("GET", "/api/calls/call-\(UUID().uuidString)", credential: s.reader).status == 404)
        #expect(try s.send("BREW", "/healthz", credential: nil).status == 405)
        #expect(try s.send("BREW", secretPath, credential: nil).status == 404)
        // A request line that cannot be parsed is counted before any route or method is known.
        let garbage = try RawConnection(port: s.server.port)
        garbage.send("GET /x HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
        #expect(garbage.readResponse()?.status == 400)
        let after = try scrape(s)

        #expect(after[listed] - before[listed] == 5)
        #expect(after[#"callserver_http_requests_total{route="unmatched",method="GET",status="404"}"#] == 1)
        #expect(after[#"callserver_http_requests_total{route="/api/calls/{call_id}",method="GET",status="404"}"#] == 1)
        #expect(after[#"callserver_http_requests_total{route="/healthz",method="other",status="405"}"#] == 1)
        #expect(after[#"callserver_http_requests_total{route="unmatched",method="other",status="404"}"#] == 1)
        #expect(after[#"callserver_http_requests_total{route="unmatched",method="GET",status="400"}"#]
            + after[#"callserver_http_requests_total{route="unmatched",method="other",status="400"}"#] == 1)
        #expect(after[#"callserver_http_request_duration_seconds_count{route="/api/calls"}"#] == 5)
        #expect(!after.text.contains(secretPath))
        #expect(!after.text.contains("BREW"))
        #expect(!after.text.contains("call-"))
        #expect(!after.text.contains("org-g"))
        #expect(!after.text.contains(s.reader.key))
        // Stored calls and journal writes follow a write.
        #expect(try s.put("call-metrics").status == 201)
        let written = try scrape(s)
        #expect(written["callserver_calls"] == after["callserver_calls"] + 1)
        #expect(written["callserver_writes_total"] == after["callserver_writes_total"] + 1)
        #expect(written["callserver_journal_fsync_duration_seconds_count"] >= 1)
        #expect(written["callserver_journal_bytes"] > 0)
    }

    @Test func eachRefusalIsCountedUnderItsReason() throws {
        let s = try GuardedServer(["--rate-limit", "0.001", "--rate-burst", "1", "--body-budget", "10", "--header-timeout", "0.3"])
        #expect(try s.send("POST", "/api/calls", "{}", credential: s.reader).status == 200)
        #expect(try s.send("POST", "/api/calls", "{}", credential: s.reader).status == 429)
        #expect(try s.send("POST", "/api/calls", String(repeating: " ", count: 100), credential: s.writer).status == 503)
        let slow = try RawConnection(port: s.server.port)
        slow.send("GET /healthz HTTP/1.1\r\n")
        #expect(slow.readResponse()?.status == 408)
        let scrape = try self.scrape(s)
        #expect(scrape[#"callserver_refused_total{reason="rate_limit"}"#] == 1)
        #expect(scrape[#"callserver_refused_total{reason="body_budget"}"#] == 1)
        #expect(scrape[#"callserver_refused_total{reason="timeout"}"#] == 1)
        #expect(scrape[#"callserver_refused_total{reason="connection_limit"}"#] == 0)
        #expect(scrape[#"callserver_refused_total{reason="slow_queue"}"#] == 0)
        #expect(scrape[#"callserver_http_requests_total{route="/api/calls",method="POST",status="429"}"#] == 1)
        #expect(scrape[#"callserver_http_requests_total{route="/api/calls",method="POST",status="503"}"#] == 1)
        #expect(scrape[#"callserver_http_requests_total{route="unmatched",method="other",status="408"}"#] == 1)
    }

    @Test func aConnectionPastTheCapIsCountedAsRefused() throws {
        let s = try GuardedServer(["--max-connections", "2"])
        let held = try RawConnection(port: s.server.port)
        held.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(held.readResponse()?.status == 200)
        let second = try RawConnection(port: s.server.port)
        second.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(second.readResponse()?.status == 200)
        let third = try RawConnection(port: s.server.port)
        #expect(third.readResponse()?.status == 503)
        held.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        let scrape = Scrape(try #require(held.readResponse()))
        #expect(scrape[#"callserver_refused_total{reason="connection_limit"}"#] == 1)
        #expect(scrape[#"callserver_http_requests_total{route="unmatched",method="other",status="503"}"#] == 1)
    }

    @Test func metricsOffRemovesTheRoute() throws {
        let s = try GuardedServer(["--metrics", "off"])
        let response = try s.send("GET", "/metrics", credential: nil)
        #expect(response.status == 404)
        #expect(response.json?["error"] as? String == "not_found")
    }

    @Test func jsonLogLinesAreObjectsWithTheAccessFields() throws {
        let directory = try ServerProcess.makeDirectory()
        let reader = try createKey(org: "org-j", scopes: ["calls:read"], in: directory)
        let server = try ServerProcess(
            directory: directory, arguments: ["--keys", "keys.json", "--data-dir", "data", "--log-format", "json"])
        let connection = try RawConnection(port: server.port)
        connection.send(listRequest("{}", credential: reader))
        #expect(connection.readResponse()?.status == 200)
        connection.send("GET /nowhere%22%5C HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-1\r\n\r\n")
        #expect(connection.readResponse()?.status == 404)
        let broken = try RawConnection(port: server.port)
        broken.send("GET /x HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
        #expect(broken.readResponse()?.status == 400)
        let (status, stderr) = server.stopAndReadErrors()
        #expect(status == 0)

        let lines = stderr.split(separator: "\n")
        var access: [[String: Any]] = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            let stamp = try #require(object["timestamp"] as? String)
            #expect(stamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
            #expect(object["level"] is String)
            if object["request_id"] != nil { access.append(object) } else { #expect(object["message"] is String) }
        }
        #expect(lines.contains { $0.contains("\"message\":\"CallServer: stopped\"") })
        let list = try #require(access.first { $0["route"] as? String == "/api/calls" })
        #expect(list["method"] as? String == "POST")
        #expect(list["status"] as? Int == 200)
        #expect((list["duration_ms"] as? Double ?? -1) >= 0)
        #expect((list["bytes"] as? Int ?? 0) > 100)
        let missing = try #require(access.first { $0["request_id"] as? String == "trace-1" })
        #expect(missing["route"] as? String == "unmatched")
        #expect(missing["path"] as? String == "/nowhere%22%5C")
        #expect(missing["status"] as? Int == 404)
        let malformed = try #require(access.first { $0["status"] as? Int == 400 })
        #expect(malformed["level"] as? String == "warn")
        #expect(malformed["error"] is String)
    }
}
