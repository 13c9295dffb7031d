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
        #expect(accepted < 64 << 20)
        #expect(rssAfter - rssBefore < 32 << 20)
        #expect(try demo.serves(demo.globex))
    }

    @Test func aKeyGets429PastItsShareOfSlowWorkAndWorkOfClientsThatLeftIsDropped() throws {
        let demo = try Demo(Self.heldSlowWork)
        let slow = listRequest(#"{"limit":20,"include_transcript":true}"#, credential: demo.acme)
        // One request is taken by the worker (and held); four more wait; the next is refused.
        var clients: [RawConnection] = []
        for _ in 0..<5 {
            let connection = try RawConnection(port: demo.server.port)
            connection.send(slow)
            clients.append(connection)
            usleep(50_000)
        }
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

    @Test func runningOutOfDescriptorsNeitherSpinsNorStopsService() throws {
        let demo = try Demo([], launcher: ["/usr/bin/prlimit", "--nofile=64:64"])
        let pid = demo.server.process.processIdentifier
        var idle: [RawConnection] = []
        for _ in 0..<100 {
            guard let connection = try? RawConnection(port: demo.server.port) else { break }
            idle.append(connection)
        }
        // Past the cap, connections get 503 and are closed; those under it stay open.
        let refused = idle.last.flatMap { $0.readResponse() }
        #expect(refused?.status == 503)
        let cpuBefore = try Self.cpuTicks(pid)
        usleep(2_000_000)
        let cpuUsed = try Self.cpuTicks(pid) - cpuBefore
        let ticksPerSecond = sysconf(Int32(_SC_CLK_TCK))
        #expect(cpuUsed < ticksPerSecond / 2)  // far from a spinning core (2 s would be 2 × ticksPerSecond)
        idle.removeAll()
        usleep(300_000)
        let health = try RawConnection(port: demo.server.port)
        health.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(health.readResponse()?.status == 200)
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
