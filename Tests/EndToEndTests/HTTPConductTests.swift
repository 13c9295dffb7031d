import Foundation
import Testing

@Suite struct HTTPConductTests {
    @Test func healthAndHeadCarryDateLengthAndRequestID() throws {
        let fixture = try Fixture.get()
        let connection = try fixture.connect()
        connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-123\r\n\r\nHEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let get = try #require(connection.readResponse())
        #expect(get.status == 200)
        #expect(get.text == #"{"status":"ok"}"#)
        #expect(get.header("Date") != nil)
        #expect(get.header("X-Request-Id") == "trace-123")
        let head = try #require(connection.readResponse(headOnly: true))
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == String(get.body.count))
        #expect(head.header("X-Request-Id")?.isEmpty == false)
        // The HEAD response had no body: the next bytes on the wire are the next response.
        connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(connection.readResponse()?.status == 200)
    }

    @Test func unknownRouteIs404AndWrongMethodIs405WithAllow() throws {
        let fixture = try Fixture.get()
        let missing = try #require(try fixture.roundTrip("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(missing.status == 404)
        #expect(missing.json?["error"] as? String == "not_found")
        let wrong = try #require(try fixture.roundTrip("GET /api/calls HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(wrong.status == 405)
        #expect(wrong.header("Allow") == "POST, OPTIONS")
        #expect(wrong.json?["error"] as? String == "method_not_allowed")
        let tunnel = try #require(try fixture.roundTrip("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"))
        #expect(tunnel.status == 405)
        #expect(tunnel.header("Allow")?.contains("POST") == true)
        #expect(tunnel.json?["error"] as? String == "method_not_allowed")
    }

    @Test func optionsNeedsNoCredentials() throws {
        let fixture = try Fixture.get()
        let connection = try fixture.connect()
        connection.send("OPTIONS /api/calls HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try #require(connection.readResponse())
        #expect(response.status == 204)
        #expect(response.header("Allow") == "POST, OPTIONS")
        #expect(response.header("Content-Length") == nil)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let fixture = try Fixture.get()
        let connection = try fixture.connect()
        let batch = listRequest(#"{"limit":1}"#, credential: fixture.acmeReader)
            + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            + listRequest(#"{"limit":2}"#, credential: fixture.acmeReader)
            + "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
        connection.send(batch)
        let first = try #require(connection.readResponse())
        #expect((first.json?["data"] as? [String: Any])?["returned_count"] as? Int == 1)
        #expect(connection.readResponse()?.status == 200)
        let third = try #require(connection.readResponse())
        #expect((third.json?["data"] as? [String: Any])?["returned_count"] as? Int == 2)
        #expect(connection.readResponse()?.status == 404)
    }

    @Test func byteByByteDeliveryGivesTheSameAnswer() throws {
        let fixture = try Fixture.get()
        let connection = try fixture.connect()
        connection.sendByteByByte(listRequest(#"{"limit":3,"sort_by":"call_id","sort_order":"asc"}"#, credential: fixture.acmeReader))
        let response = try #require(connection.readResponse())
        let calls = try #require((response.json?["data"] as? [String: Any])?["calls"] as? [[String: Any]])
        #expect(calls.map { $0["call_id"] as? String } == ["acme-0", "acme-1", "acme-10"])
    }

    @Test func chunkedBodyIsAccepted() throws {
        let fixture = try Fixture.get()
        let body = #"{"limit":4}"#
        let request = "POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + fixture.acmeReader.headers
            + "Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\n\(body.prefix(5))\r\n\(String(body.count - 5, radix: 16))\r\n\(body.dropFirst(5))\r\n0\r\nX-Trailer: yes\r\n\r\n"
        let response = try #require(try fixture.roundTrip(request))
        #expect(response.status == 200)
        #expect((response.json?["data"] as? [String: Any])?["returned_count"] as? Int == 4)
    }

    @Test func keepAliveByDefaultAndCloseOnRequest() throws {
        let fixture = try Fixture.get()
        let connection = try fixture.connect()
        connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(connection.readResponse()?.header("Connection") == nil)
        connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(connection.readResponse()?.header("Connection") == "close")
        #expect(connection.isClosedByServer())

        let old = try fixture.connect()
        old.send("GET /healthz HTTP/1.0\r\n\r\n")
        #expect(old.readResponse()?.status == 200)
        #expect(old.isClosedByServer())
    }

    @Test func expectContinueGetsInterimResponseThenFinal() throws {
        let fixture = try Fixture.get()
        let connection = try fixture.connect()
        let body = #"{"limit":1}"#
        connection.send("POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + fixture.acmeReader.headers
            + "Expect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        let interim = try #require(connection.readResponse(headOnly: true))
        #expect(interim.status == 100)
        connection.send(body)
        #expect(connection.readResponse()?.status == 200)
    }

    @Test func smugglingAttemptsAre400AndCloseTheConnection() throws {
        let fixture = try Fixture.get()
        let smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        let attempts = [
            "POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            "POST /api/calls HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nHost: x\rX: y\r\n\r\n",
            "GET /healthz HTTP/1.1\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        ]
        for attempt in attempts {
            let connection = try fixture.connect()
            connection.send(attempt + smuggled)
            let response = try #require(connection.readResponse(), "\(attempt.debugDescription)")
            #expect(response.status == 400, "\(attempt.debugDescription)")
            #expect(response.json?["error"] as? String == "bad_request")
            #expect(response.header("Connection") == "close")
            #expect(connection.readResponse() == nil, "smuggled request answered after \(attempt.debugDescription)")
        }
    }

    @Test func limitsAnswer414And431And505() throws {
        let fixture = try Fixture.get()
        let longTarget = "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"
        #expect(try fixture.roundTrip(longTarget)?.status == 414)
        let manyFields = "GET /healthz HTTP/1.1\r\nHost: x\r\n" + (0..<101).map { "X-F\($0): v\r\n" }.joined() + "\r\n"
        #expect(try fixture.roundTrip(manyFields)?.status == 431)
        let bigSection = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 17000) + "\r\n\r\n"
        #expect(try fixture.roundTrip(bigSection)?.status == 431)
        let http2 = try #require(try fixture.roundTrip("GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n"))
        #expect(http2.status == 505)
        #expect(http2.json?["error"] as? String == "http_version_not_supported")
        #expect(try fixture.roundTrip("GET /healthz HTTP/1.2\r\nHost: x\r\n\r\n")?.status == 200)
    }

    @Test func garbageAndAbortedClientsDoNotHurtTheServer() throws {
        let fixture = try Fixture.get()
        for garbage in ["\u{0}\u{1}\u{2}\r\n\r\n", "HELLO\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab"] {
            let connection = try fixture.connect()
            connection.send(garbage)
        }
        for _ in 0..<20 { _ = try fixture.connect() }
        #expect(try fixture.roundTrip("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 200)
    }
}
