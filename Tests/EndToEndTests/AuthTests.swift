import Foundation
import Testing

@Suite struct AuthTests {
    @Test func missingOrWrongCredentialsGetTheSame401WithChallenge() throws {
        let fixture = try Fixture.get()
        let wrongSecret = Credential(key: fixture.acmeReader.key, secret: "cs_wrong")
        let wrongKey = Credential(key: "ck_nope", secret: fixture.acmeReader.secret)
        var bodies: [String] = []
        for credential in [nil, wrongSecret, wrongKey] {
            let response = try #require(try fixture.roundTrip(listRequest("{}", credential: credential)))
            #expect(response.status == 401)
            #expect(response.header("WWW-Authenticate") == "ApiKey realm=\"calls\"")
            #expect(response.json?["error"] as? String == "unauthorized")
            bodies.append(response.text)
        }
        #expect(Set(bodies).count == 1)
    }

    @Test func aVerifiedKeyStillNeedsItsOwnSecretAndOneCopyOfEachCredential() throws {
        let fixture = try Fixture.get()
        let reader = fixture.acmeReader
        // One connection, so one event loop: after the first request its key is remembered as verified.
        let connection = try fixture.connect()
        connection.send(listRequest("{}", credential: reader))
        #expect(connection.readResponse()?.status == 200)
        let near = [
            Credential(key: reader.key, secret: reader.secret + "x"),
            Credential(key: reader.key, secret: String(reader.secret.dropLast())),
            Credential(key: reader.key + "x", secret: reader.secret),
            Credential(key: String(reader.key.dropLast()), secret: reader.secret),
        ]
        for credential in near {
            connection.send(listRequest("{}", credential: credential))
            #expect(connection.readResponse()?.status == 401, "\(credential)")
        }
        // Two copies of a credential header are ambiguous, even when both are right.
        connection.send(listRequest("{}", credential: reader, extraHeaders: "X-API-KEY: \(reader.key)\r\n"))
        #expect(connection.readResponse()?.status == 401)
        connection.send(listRequest("{}", credential: reader, extraHeaders: "X-API-SECRET: \(reader.secret)\r\n"))
        #expect(connection.readResponse()?.status == 401)
        connection.send(listRequest("{}", credential: reader))
        #expect(connection.readResponse()?.status == 200)
    }

    @Test func keyWithoutReadScopeIsForbidden() throws {
        let fixture = try Fixture.get()
        let response = try #require(try fixture.roundTrip(listRequest("{}", credential: fixture.acmeWriterOnly)))
        #expect(response.status == 403)
        #expect(response.json?["error"] as? String == "forbidden")
    }

    @Test func unauthenticatedRequestGets401WhateverItsBody() throws {
        let fixture = try Fixture.get()
        let bad = try #require(try fixture.roundTrip(listRequest("{not json", credential: nil)))
        #expect(bad.status == 401)
        // A huge declared body: 401 is decided from the head, before any body byte is sent.
        let connection = try fixture.connect()
        connection.send("POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n")
        #expect(connection.readResponse()?.status == 401)
    }

    @Test func oversizedBodyIs413BeforeTheBodyIsSent() throws {
        let fixture = try Fixture.get()
        let connection = try fixture.connect()
        connection.send("POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + fixture.acmeReader.headers + "Content-Length: 2000000\r\n\r\n")
        let response = try #require(connection.readResponse())
        #expect(response.status == 413)
        #expect(response.json?["error"] as? String == "payload_too_large")
    }

    @Test func aDeclaredLengthOverTheLimitIs413BeforeTheMediaTypeIsChecked() throws {
        let fixture = try Fixture.get()
        let (reader, writer) = (fixture.acmeReader, fixture.acmeWriterOnly)
        // API.md's order: the size (413) before the media type (415) and an import's slot, each route with its limit.
        let cases = [
            ("POST /api/calls", reader, 1 << 20), ("PUT /api/calls/acme-1", writer, 1 << 20),
            ("POST /api/calls/import", writer, 64 << 20),
        ]
        for (line, credential, limit) in cases {
            let head = "\(line) HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n\(credential.headers)"
            let response = try #require(try fixture.roundTrip(head + "Content-Length: \(limit + 1)\r\n\r\n"))
            #expect(response.status == 413, "\(line)")
            #expect(response.json?["message"] as? String == "Request body exceeds the limit of \(limit) bytes.", "\(line)")
        }
        // A method that takes no content: over the route's limit, the 413 names it; under it but over what such a
        // method reads and drops, that smaller limit. The operations routes have no limit of their own.
        let contentless = [("/api/calls/acme-1", 2 << 20, 1 << 20), ("/api/calls/acme-1", 70_000, 65_536), ("/healthz", 2 << 20, 65_536)]
        for (path, length, limit) in contentless {
            let head = "GET \(path) HTTP/1.1\r\nHost: x\r\n\(reader.headers)"
            let response = try #require(try fixture.roundTrip(head + "Content-Length: \(length)\r\n\r\n"))
            #expect(response.status == 413, "\(path)")
            #expect(response.json?["message"] as? String == "Request body exceeds the limit of \(limit) bytes.", "\(path)")
        }
    }

    @Test func wrongMediaTypeIs415() throws {
        let fixture = try Fixture.get()
        let request = "POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n" + fixture.acmeReader.headers
            + "Content-Length: 2\r\n\r\n{}"
        let response = try #require(try fixture.roundTrip(request))
        #expect(response.status == 415)
        #expect(response.json?["error"] as? String == "unsupported_media_type")
        let withCharset = listRequest("{}", credential: fixture.acmeReader).replacingOccurrences(
            of: "Content-Type: application/json", with: "Content-Type: Application/JSON; charset=UTF-8")
        #expect(try fixture.roundTrip(withCharset)?.status == 200)
        // Two Content-Type fields are ambiguous: 415 even when both name JSON.
        let twice = listRequest("{}", credential: fixture.acmeReader, extraHeaders: "Content-Type: application/json\r\n")
        #expect(try fixture.roundTrip(twice)?.status == 415)
    }

    @Test func revokedKeyStopsWorkingWithoutRestart() throws {
        let directory = try ServerProcess.makeDirectory()
        let credential = try createKey(org: "org-x", scopes: ["calls:read"], in: directory)
        let server = try ServerProcess(directory: directory, arguments: ["--keys", "keys.json", "--quiet"])
        let before = try RawConnection(port: server.port)
        before.send(listRequest("{}", credential: credential))
        #expect(before.readResponse()?.status == 200)
        let revoke = try runCallServer(["keys", "revoke", credential.key, "--keys", "keys.json"], in: directory)
        #expect(revoke.status == 0)
        var status = 200
        for _ in 0..<40 where status == 200 {
            usleep(100_000)
            let connection = try RawConnection(port: server.port)
            connection.send(listRequest("{}", credential: credential))
            status = connection.readResponse()?.status ?? 0
        }
        #expect(status == 401)
        #expect(server.stop() == 0)
    }
}
