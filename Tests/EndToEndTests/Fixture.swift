import Foundation

/// One server shared by the end-to-end suites: two organizations with known calls and keys with
/// different scopes.
final class Fixture: @unchecked Sendable {
    let server: ServerProcess
    let acmeReader: Credential
    let acmeWriterOnly: Credential
    let globexReader: Credential

    /// Calls per organization in the fixture data.
    static let acmeCount = 30
    static let globexCount = 12

    static let shared: Result<Fixture, any Error> = Result { try Fixture() }

    /// The shared fixture, or the startup error.
    static func get() throws -> Fixture { try shared.get() }

    private init() throws {
        let directory = try ServerProcess.makeDirectory()
        acmeReader = try createKey(org: "org-acme", scopes: ["calls:read"], in: directory)
        acmeWriterOnly = try createKey(org: "org-acme", scopes: ["calls:write"], in: directory)
        globexReader = try createKey(org: "org-globex", scopes: ["calls:read"], in: directory)
        let data = directory.appendingPathComponent("calls.ndjson")
        try Self.ndjson().write(to: data, atomically: true, encoding: .utf8)
        server = try ServerProcess(directory: directory, arguments: ["--keys", "keys.json", "--import", "calls.ndjson", "--quiet"])
    }

    /// Deterministic records: acme calls 0..<30 (agent-a/agent-b, mixed statuses), globex 0..<12.
    static func ndjson() -> String {
        var lines: [String] = []
        let statuses = ["ENDED", "ONGOING", "ERROR", "SCHEDULED", "REGISTERED"]
        for index in 0..<acmeCount {
            let status = statuses[index % statuses.count]
            let start = 1_700_000_000_000 + Int64(index) * 60_000
            var line = "{\"organization_id\":\"org-acme\",\"call_id\":\"acme-\(index)\",\"agent_id\":\"agent-\(index % 2 == 0 ? "a" : "b")\","
                + "\"call_status\":\"\(status)\",\"call_type\":\"PHONE_CALL\",\"direction\":\"INBOUND\","
                + "\"from_number\":\"+15550000\(100 + index)\",\"to_number\":null,\"start_timestamp\":\(start)"
            if status == "ENDED" || status == "ERROR" {
                line += ",\"end_timestamp\":\(start + Int64(index) * 1000)"
            }
            let words = index % 3 == 0 ? "I need help with a refund, merci beaucoup au Café" : "Just checking my balance today"
            line += ",\"transcript\":\"Customer: \(words) number \(index)\"}"
            lines.append(line)
        }
        for index in 0..<globexCount {
            lines.append("{\"organization_id\":\"org-globex\",\"call_id\":\"globex-\(index)\",\"agent_id\":\"agent-a\","
                + "\"call_status\":\"ENDED\",\"call_type\":\"WEB_CALL\",\"direction\":\"OUTBOUND\",\"from_number\":null,"
                + "\"to_number\":null,\"start_timestamp\":\(1_600_000_000_000 + index),\"end_timestamp\":\(1_600_000_100_000 + index),"
                + "\"transcript\":\"refund refund\"}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func connect() throws -> RawConnection { try RawConnection(port: server.port) }

    /// Sends one request on a fresh connection and reads its response.
    func roundTrip(_ request: String) throws -> RawResponse? {
        let connection = try connect()
        connection.send(request)
        return connection.readResponse()
    }
}
