import CallCore
import Testing

/// `GET /openapi.json` on a running server: no credentials, JSON, `HEAD` too.
struct OpenAPIRouteTests {
    @Test func theDocumentIsServedWithoutCredentials() throws {
        let fixture = try Fixture.get()
        let response = try #require(try fixture.roundTrip("GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(response.status == 200)
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
        let document = try JSONReader.parse(response.body)
        #expect(document["openapi"] == "3.1.0")
        #expect(document["jsonSchemaDialect"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(document["paths"]?["/api/calls"]?["post"]?["operationId"] == "list_calls")
        let connection = try fixture.connect()
        connection.send("HEAD /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try #require(connection.readResponse(headOnly: true))
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == String(response.body.count))
    }

    @Test func aBodyOverTheOperationsRouteLimitIsRefusedFromItsLength() throws {
        let fixture = try Fixture.get()
        // 64 KiB is what routes that take no body read and drop; a larger declared body is 413 before it is read.
        let response = try #require(try fixture.roundTrip("GET /openapi.json HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n"))
        #expect(response.status == 413)
        let small = try #require(try fixture.roundTrip("GET /openapi.json HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"))
        #expect(small.status == 200)
    }
}
