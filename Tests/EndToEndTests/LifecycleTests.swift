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
