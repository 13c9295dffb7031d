import Foundation
import Glibc
import Testing

/// Clients that try to hold connections, memory or descriptors: each is cut off or refused, and the server goes
/// on serving. Limits are set small by flags so each attack takes a second or two.
@Suite(.serialized) struct HostileClientTests {
    /// A server with demo data and short timeouts, and its demo credentials.
    private struct Demo {
        let server: ServerProcess
        let acme: Credential
        let globex: Credential

        init(_ arguments: [String], calls: Int = 200, launcher: [String] = []) throws {
            let directory = try ServerProcess.makeDirectory()
            server = try ServerProcess(
                directory: directory, arguments: ["--demo", String(calls), "--quiet", "--keys", "keys.json"] + arguments,
                launcher: launcher)
            acme = try Self.credential("org-acme", server.banner)
            globex = try Self.credential("org-globex", server.banner)
        }

        private static func credential(_ org: String, _ banner: String) throws -> Credential {
            let line = try #require(banner.split(separator: "\n").first { $0.contains(org + ":") })
            let words = line.split(separator: " ")
            let key = try #require(words.firstIndex(of: "X-API-KEY:").map { String(words[$0 + 1]) })
            let secret = try #require(words.firstIndex(of: "X-API-SECRET:").map { String(words[$0 + 1]) })
            return Credential(key: key, secret: secret)
        }

        /// Whether a well-behaved client of `credential`'s organization still gets its page.
        func serves(_ credential: Credential) throws -> Bool {
            let connection = try RawConnection(port: server.port)
            connection.send(listRequest(#"{"limit":20}"#, credential: credential))
            return connection.readResponse()?.status == 200
        }
    }

    @Test func aTrickledBodyIsCutOffByTheMinimumRateWith408() throws {
        let demo = try Demo(["--body-rate-grace", "1", "--min-body-rate", "1000"])
        let connection = try RawConnection(port: demo.server.port)
        connection.send(
            "POST /api/calls HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + demo.acme.headers
                + "Content-Length: 900\r\n\r\n")
        let started = Date()
        var answer: RawResponse?
        // One byte every 100 ms is 10 bytes/s: far under 1,000 bytes/s, and never a gap long enough for the gap timeout.
        for _ in 0..<100 {
            connection.send(" ")
            usleep(100_000)
            if let response = try Self.readIfReady(connection) {
                answer = response
                break
            }
        }
        #expect(answer?.status == 408)
        #expect(Date().timeIntervalSince(started) < 9)
        #expect(connection.isClosedByServer())
        #expect(try demo.serves(demo.globex))
    }

    @Test func aHeaderDribblerGets408WithinTheHeaderTimeout() throws {
        let demo = try Demo(["--header-timeout", "1"])
        let connection = try RawConnection(port: demo.server.port)
        let started = Date()
        var answer: RawResponse?
        for byte in "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + String(repeating: "a", count: 200) {
            connection.send(String(byte))
            usleep(50_000)
            if let response = try Self.readIfReady(connection) {
                answer = response
                break
            }
        }
        #expect(answer?.status == 408)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(connection.isClosedByServer())
    }

    @Test func routesThatTakeNoContentAcceptASmallBodyAndRefuseALargeOneBeforeReadingIt() throws {
        let demo = try Demo([])
        let small = try RawConnection(port: demo.server.port)
        small.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n" + String(repeating: "x", count: 1000))
        #expect(small.readResponse()?.status == 200)
        small.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(small.readResponse()?.status == 200)  // the small body was read and dropped: still in step

        let large = try RawConnection(port: demo.server.port)
        large.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1048576\r\n\r\n")
        let refused = large.readResponse()
        #expect(refused?.status == 413)
        #expect(refused?.header("Connection") == "close")
        #expect(large.isClosedByServer())
    }

    @Test func aBodyThatDoesNotFitTheBudgetIs503BeforeAnyOfItIsSent() throws {
        let demo = try Demo(["--body-budget", "10000"])
        let connection = try RawConnection(port: demo.server.port)
        connection.send(
            "POST /api/calls HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + demo.acme.headers
                + "Content-Length: 20000\r\n\r\n")
        let response = connection.readResponse()
        #expect(response?.status == 503)
        #expect(response?.json?["error"] as? String == "unavailable")
        #expect(response?.header("Retry-After") == "1")
        #expect(response?.header("Connection") == "close")
        #expect(connection.isClosedByServer())
        // Within the budget, the same route works.
        #expect(try demo.serves(demo.acme))
        // Unauthenticated bodies are refused from their head (401), read and dropped: they reserve nothing.
        let stranger = try RawConnection(port: demo.server.port)
        stranger.send(
            "POST /api/calls HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 20000\r\n\r\n"
                + String(repeating: " ", count: 20000))
        #expect(stranger.readResponse()?.status == 401)
    }

    /// Slow work never runs with an output budget of 0, so a slow request stays in progress as long as a test needs.
    private static let heldSlowWork = ["--workers", "1", "--output-budget", "0"]

    @Test func bytesStreamedBehindASlowRequestAreNotBuffered() throws {
        let demo = try Demo(Self.heldSlowWork)
        let rssBefore = try Self.residentBytes(demo.server.process.processIdentifier)
        let attacker = try RawConnection(port: demo.server.port)
        attacker.send(listRequest(#"{"limit":100,"include_transcript":true}"#, credential: demo.acme))
        let flags = fcntl(attacker.fd, F_GETFL)
        _ = fcntl(attacker.fd, F_SETFL, flags | O_NONBLOCK)
        let junk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        var accepted = 0
        var stalledSince: Date?
        let deadline = Date().addingTimeInterval(20)
        while accepted < 200 << 20, Date() < deadline {
            let n = junk.withUnsafeBytes { Glibc.send(attacker.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                accepted += n
                stalledSince = nil
            } else {
                if errno != EAGAIN { break }
                if let since = stalledSince, Date().timeIntervalSince(since) > 1 { break }  // the server stopped reading
                if stalledSince == nil { stalledSince = Date() }
                usleep(10_000)
            }
        }
        let rssAfter = try Self.residentBytes(demo.server.process.processIdentifier)
        // The kernel's socket buffers take some megabytes; the server itself holds at most one head's worth.
        #expect(accepted < 32 << 20)
        #expect(rssAfter - rssBefore < 16 << 20)
        #expect(try demo.serves(demo.globex))
    }

    @Test func aKeyGets429PastItsShareOfSlowWorkAndWorkOfClientsThatLeftIsDropped() throws {
        let demo = try Demo(Self.heldSlowWork)
        let slow = listRequest(#"{"limit":20,"include_transcript":true}"#, credential: demo.acme)
        // One request is taken by the worker (and held); four more wait; the next is refused.
        var clients = try sendOneAfterAnother(slow, times: 5, port: demo.server.port)
        let sixth = try RawConnection(port: demo.server.port)
        sixth.send(slow)
        let refused = sixth.readResponse()
        #expect(refused?.status == 429)
        #expect(refused?.json?["error"] as? String == "rate_limited")
        #expect(refused?.header("Retry-After") == "1")
        #expect(clients.allSatisfy { (try? Self.readIfReady($0)) == nil })
        // Quick work, of any organization, never waits for the pool.
        #expect(try demo.serves(demo.globex))
        #expect(try demo.serves(demo.acme))
        // The refusal is counted, and the four waiting are the queue's depth.
        let scraper = try RawConnection(port: demo.server.port)
        scraper.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        let metrics = scraper.readResponse()?.text ?? ""
        #expect(metrics.contains("\ncallserver_refused_total{reason=\"slow_queue\"} 1\n"))
        #expect(metrics.contains("\ncallserver_slow_queue_depth 4\n"))

        // The clients leave: their work is dropped, not run, and the key's share is free again.
        clients.removeAll()
        usleep(500_000)
        let again = try RawConnection(port: demo.server.port)
        again.send(slow)
        usleep(300_000)
        #expect(try Self.readIfReady(again) == nil)  // queued, not refused
    }

    @Test func connectionsPastTheCapGet503AndIdleOnesCostLittleMemory() throws {
        let demo = try Demo(["--max-connections", "300"])
        let pid = demo.server.process.processIdentifier
        let rssBefore = try Self.residentBytes(pid)
        var idle: [RawConnection] = []
        for _ in 0..<300 { idle.append(try RawConnection(port: demo.server.port)) }
        // Each has sent a request, so each holds its buffers, parser and an idle keep-alive slot.
        for connection in idle { connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n") }
        #expect(idle.allSatisfy { $0.readResponse()?.status == 200 })
        let extra = try RawConnection(port: demo.server.port)
        let refused = extra.readResponse()
        #expect(refused?.status == 503)
        #expect(extra.isClosedByServer())
        let rssAfter = try Self.residentBytes(pid)
        #expect(rssAfter - rssBefore < 16 << 20)  // 300 connections in well under 16 MiB
        idle.removeAll()
        usleep(300_000)
        #expect(try demo.serves(demo.acme))
    }

    @Test func aClientThatNeverReadsIsStoppedAndThenDropped() throws {
        let demo = try Demo(["--write-timeout", "1"])
        let connection = try RawConnection(port: demo.server.port)
        var small: Int32 = 4096
        setsockopt(connection.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        let flags = fcntl(connection.fd, F_GETFL)
        _ = fcntl(connection.fd, F_SETFL, flags | O_NONBLOCK)
        // Many pipelined pages, never read: once its answers back up, the server stops taking requests.
        let request = Array(listRequest(#"{"limit":100}"#, credential: demo.acme).utf8)
        let batch = [UInt8](Array(repeating: request, count: 100).joined())
        var sent = 0
        var stalledSince: Date?
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let n = batch.withUnsafeBytes { Glibc.send(connection.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                sent += n
                stalledSince = nil
                continue
            }
            if errno != EAGAIN { break }  // dropped by the server (reset or broken pipe)
            if stalledSince == nil { stalledSince = Date() }
            usleep(20_000)
        }
        #expect(sent < 64 << 20)
        // Dropped after the write timeout, not held for ever: the socket is reset or reads EOF.
        _ = fcntl(connection.fd, F_SETFL, flags)
        #expect(connection.isClosedByServer())
        #expect(try demo.serves(demo.globex))
    }

    @Test func longListsAndManySearchTermsAreCappedAndLegalOnesAreAnsweredExactly() throws {
        let demo = try Demo([])
        // An import puts 3,000 calls of 300 agents in a delta, where long lists used to be matched item by item.
        let lines = (0..<3_000).map { index in
            #"{"call_id":"imp-\#(index)","agent_id":"imp-agent-\#(index % 300)","call_status":"ENDED","call_type":"WEB_CALL","direction":"OUTBOUND","from_number":null,"to_number":null,"start_timestamp":\#(1_000_000 + index),"end_timestamp":\#(1_001_000 + index),"transcript":"alpha beta gamma \#(index)"}"#
        }
        let ndjson = lines.joined(separator: "\n")
        let importer = try RawConnection(port: demo.server.port)
        importer.send(
            "POST /api/calls/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n" + demo.acme.headers
                + "Content-Length: \(ndjson.utf8.count)\r\n\r\n" + ndjson)
        #expect(importer.readResponse()?.status == 200)

        func list(_ body: String) throws -> RawResponse? {
            let connection = try RawConnection(port: demo.server.port)
            connection.send(listRequest(body, credential: demo.acme))
            return connection.readResponse()
        }
        func quoted(_ values: [String]) -> String { values.map { "\"\($0)\"" }.joined(separator: ",") }

        // 1,000 values, 100 of them real agents (10 calls each): exact total.
        let thousand = (0..<100).map { "imp-agent-\($0)" } + (0..<900).map { "nobody-\($0)" }
        let answered = try list(#"{"limit":5,"filter_criteria":{"agent_id":[\#(quoted(thousand))]}}"#)
        #expect(answered?.status == 200)
        let pagination = (answered?.json?["data"] as? [String: Any])?["pagination"] as? [String: Any]
        #expect(pagination?["total_count"] as? Int == 1_000)

        let tooMany = try list(#"{"filter_criteria":{"agent_id":[\#(quoted(thousand + ["one-more"]))]}}"#)
        #expect(tooMany?.status == 400)
        #expect((tooMany?.json?["message"] as? String)?.contains("filter_criteria.agent_id") == true)

        let words = (0..<33).map { "w\($0)" }
        let tooManyTerms = try list(#"{"filter_criteria":{"transcript_search":"\#(words.joined(separator: " "))"}}"#)
        #expect(tooManyTerms?.status == 400)
        #expect((tooManyTerms?.json?["message"] as? String)?.contains("filter_criteria.transcript_search") == true)
        // Repeats count once: the same 32 terms twice over are legal.
        let repeated = Array(words.prefix(32)) + Array(words.prefix(32))
        #expect(try list(#"{"filter_criteria":{"transcript_search":"\#(repeated.joined(separator: " "))"}}"#)?.status == 200)

        // Prefix floods are legal and answered, and the other organization is served meanwhile.
        let prefixes = "abcdefghijklmnopqrstuvwxyzabcdef".map { "\($0)*" }.joined(separator: " ")
        #expect(try list(#"{"filter_criteria":{"transcript_search":"\#(prefixes)"}}"#)?.status == 200)
        let az = String(repeating: "a* z* ", count: 166)
        let wide = try list(#"{"filter_criteria":{"transcript_search":"\#(az)"}}"#)
        #expect(wide?.status == 200)
        let prefixed = try list(#"{"limit":1,"filter_criteria":{"transcript_search":"alph* gam*"}}"#)
        let prefixTotal = ((prefixed?.json?["data"] as? [String: Any])?["pagination"] as? [String: Any])?["total_count"] as? Int
        #expect(prefixTotal == 3_000)
        #expect(try demo.serves(demo.globex))
    }

    @Test func runningOutOfDescriptorsNeitherSpinsNorStopsService() throws {
        // No descriptors held back for files: the connection cap (64) is above what the process can open, so
        // accepting runs into EMFILE.
        let demo = try Demo(["--fd-reserve", "0"], launcher: ["/usr/bin/prlimit", "--nofile=64:64"])
        let pid = demo.server.process.processIdentifier
        var idle: [RawConnection] = []
        for _ in 0..<100 {
            guard let connection = try? RawConnection(port: demo.server.port) else { break }
            idle.append(connection)
        }
        let cpuBefore = try Self.cpuTicks(pid)
        usleep(2_000_000)
        let cpuUsed = try Self.cpuTicks(pid) - cpuBefore
        let ticksPerSecond = sysconf(Int32(_SC_CLK_TCK))
        #expect(cpuUsed < ticksPerSecond / 2)  // far from a spinning core (2 s would be 2 × ticksPerSecond)
        // The connections that could not be given a descriptor are answered 503 one by one, not left hanging.
        let refused = try idle.compactMap { try Self.readIfReady($0) }
        #expect(!refused.isEmpty)
        #expect(refused.allSatisfy { $0.status == 503 && $0.header("Retry-After") == "1" })
        idle.removeAll()
        usleep(500_000)
        let health = try RawConnection(port: demo.server.port)
        health.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(health.readResponse()?.status == 200)
    }

    @Test func everyWayARequestEndsGivesItsBodyBudgetBack() throws {
        let demo = try Demo(
            ["--body-budget", "100000", "--max-body-bytes", "50000", "--body-rate-grace", "1", "--min-body-rate", "1000"]
                + Self.heldSlowWork)
        let port = demo.server.port
        let head = { (length: String, extra: String) in
            "POST /api/calls HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + demo.acme.headers + extra
                + length + "\r\n"
        }
        // Timed out by the minimum rate.
        let slow = try RawConnection(port: port)
        slow.send(head("Content-Length: 50000\r\n", ""))
        for _ in 0..<30 where (try Self.readIfReady(slow)) == nil {
            slow.send(" ")
            usleep(100_000)
        }
        // A malformed chunk, and a chunked body over the route's limit.
        let badChunk = try RawConnection(port: port)
        badChunk.send(head("", "Transfer-Encoding: chunked\r\n") + "zz\r\n")
        #expect(badChunk.readResponse()?.status == 400)
        let tooLong = try RawConnection(port: port)
        tooLong.send(head("", "Transfer-Encoding: chunked\r\n") + "c350\r\n" + String(repeating: " ", count: 50_000) + "\r\n1\r\n \r\n0\r\n\r\n")
        #expect(tooLong.readResponse()?.status == 413)
        // A client that leaves mid-body, and one that leaves while its slow request waits.
        do {
            let leaving = try RawConnection(port: port)
            leaving.send(head("Content-Length: 50000\r\n", "") + "{")
        }
        do {
            let waiting = try RawConnection(port: port)
            let body = #"{"include_transcript":true}"# + String(repeating: " ", count: 40_000)
            waiting.send(listRequest(body, credential: demo.acme))
            usleep(200_000)
        }
        usleep(500_000)
        // All of it was given back: two bodies that take the whole budget are both accepted.
        let transcript = String(repeating: "a", count: 49_000)
        let put = { (id: String) in
            let body = #"{"agent_id":"a","call_status":"ONGOING","call_type":"WEB_CALL","direction":"INBOUND","start_timestamp":1,"transcript":"\#(transcript)"}"#
            return "PUT /api/calls/\(id) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + demo.acme.headers
                + "Content-Length: 50000\r\n\r\n" + body + String(repeating: " ", count: 50_000 - body.utf8.count)
        }
        let first = try RawConnection(port: port)
        let second = try RawConnection(port: port)
        let firstRequest = put("budget-1")
        let secondRequest = put("budget-2")
        first.send(String(firstRequest.prefix(firstRequest.utf8.count - 10)))
        second.send(secondRequest)
        #expect(second.readResponse()?.status == 201)
        first.send(String(firstRequest.suffix(10)))
        #expect(first.readResponse()?.status == 201)
    }

    // MARK: Helpers

    /// A response if one can be read without waiting.
    private static func readIfReady(_ connection: RawConnection) throws -> RawResponse? {
        var poller = pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 0) > 0 else { return nil }
        return connection.readResponse()
    }

    private static func residentBytes(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kilobytes = try #require(Int(line.split(separator: " ")[1]))
        return kilobytes * 1024
    }

    private static func cpuTicks(_ pid: Int32) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let afterName = try #require(stat.range(of: ") ")).upperBound
        let fields = stat[afterName...].split(separator: " ")
        // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }
}
