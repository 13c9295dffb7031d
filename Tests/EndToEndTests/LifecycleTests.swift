import Foundation
import Testing

@Suite struct LifecycleTests {
    @Test func sigtermDrainsAndExitsZero() throws {
        let directory = try ServerProcess.makeDirectory()
        let server = try ServerProcess(directory: directory, arguments: ["--quiet"])
        let connection = try RawConnection(port: server.port)
        connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(connection.readResponse()?.status == 200)
        kill(server.process.processIdentifier, SIGTERM)
        // Shutdown stops accepting at once: wait until new connections are refused.
        var refused = false
        for _ in 0..<250 where !refused {
            refused = (try? RawConnection(port: server.port)) == nil
            if !refused { usleep(20_000) }
        }
        #expect(refused)
        // A request arriving on an open connection during shutdown gets 503 and Connection: close.
        connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let late = connection.readResponse()
        #expect(late?.status == 503)
        #expect(late?.header("Connection") == "close")
        #expect(server.stop() == 0)
    }

    @Test func healthAnswersStartingWhileTheStoreLoadsThenOK() throws {
        // Orchestrators poll /healthz from the moment the port opens: while the store is still loading
        // the answer must be 503 "starting", and 200 once lists can be served.
        let directory = try ServerProcess.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = ServerProcess.binary
        process.arguments = ["--host", "127.0.0.1", "--port", String(port), "--demo", "20000", "--quiet"]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        ChildProcesses.register(process.processIdentifier)
        defer {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        var answers: [(status: Int, body: String, retryAfter: String?)] = []
        let deadline = Date().addingTimeInterval(120)
        while answers.last?.status != 200, Date() < deadline, process.isRunning {
            if let connection = try? RawConnection(port: port) {
                connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                if let response = connection.readResponse() {
                    answers.append((response.status, String(decoding: response.body, as: UTF8.self), response.header("Retry-After")))
                }
            }
            usleep(20_000)
        }
        #expect(answers.first?.status == 503)
        #expect(answers.first?.body == #"{"status":"starting"}"#)
        // Like every 503, "starting" says when to ask again.
        #expect(answers.first?.retryAfter == "1")
        #expect(answers.last?.status == 200)
        #expect(answers.last?.body == #"{"status":"ok"}"#)
        // Nothing but these two answers on the way, and never back to starting once serving.
        #expect(answers.allSatisfy { $0.status == 503 || $0.status == 200 })
        for probe in 0..<10 {
            let connection = try RawConnection(port: port)
            connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(connection.readResponse()?.status == 200, "probe \(probe) after serving")
        }
    }

    /// A port nobody listens on right now (bound and released by the kernel's choice).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func badImportLineStopsStartupNamingTheLine() throws {
        let directory = try ServerProcess.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let lines = Fixture.ndjson().split(separator: "\n").prefix(3).joined(separator: "\n")
            + "\n\n{\"organization_id\":\"o\",\"call_id\":\"bad id!\"}\n"
        try lines.write(to: directory.appendingPathComponent("bad.ndjson"), atomically: true, encoding: .utf8)
        let result = try runCallServer(["--port", "0", "--import", "bad.ndjson"], in: directory)
        #expect(result.status != 0)
        #expect(result.stderr.contains("line 5"), "\(result.stderr)")
    }

    @Test func demoModePrintsWorkingCredentials() throws {
        let directory = try ServerProcess.makeDirectory()
        let server = try ServerProcess(directory: directory, arguments: ["--demo", "500", "--quiet"])
        let banner = server.banner
        let key = try #require(banner.firstMatch(of: /X-API-KEY: (ck_[0-9a-f]+)/)?.1)
        let secret = try #require(banner.firstMatch(of: /X-API-SECRET: (cs_[0-9a-f]+)/)?.1)
        let connection = try RawConnection(port: server.port)
        connection.send(listRequest(#"{"limit":5}"#, credential: Credential(key: String(key), secret: String(secret))))
        let response = try #require(connection.readResponse())
        #expect(response.status == 200)
        let total = (response.json?["data"] as? [String: Any]).flatMap { ($0["pagination"] as? [String: Any])?["total_count"] as? Int }
        #expect(total == 250)
        // The printed MCP endpoint is this server's, and the printed key works there too.
        let mcp = try #require(banner.firstMatch(of: /MCP .*(http:\/\/127\.0\.0\.1:(\d+)\/mcp)\n/))
        #expect(Int(mcp.2) == server.port)
        let tools = try RawConnection(port: server.port)
        tools.send(mcpRequest(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#, credential: Credential(key: String(key), secret: String(secret))))
        #expect(tools.readResponse()?.status == 200)
        #expect(server.stop() == 0)
    }

    @Test func keysCreatePrintsOneJSONObjectAndStoresOnlyAHash() throws {
        let directory = try ServerProcess.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let credential = try createKey(org: "org-k", scopes: ["calls:read", "calls:write"], in: directory)
        let stored = try String(contentsOf: directory.appendingPathComponent("keys.json"), encoding: .utf8)
        #expect(stored.contains(credential.key))
        #expect(!stored.contains(credential.secret))
        let listed = try runCallServer(["keys", "list", "--keys", "keys.json"], in: directory)
        #expect(listed.stdout.contains(credential.key))
        #expect(!listed.stdout.contains(credential.secret))
    }
}
