import Foundation
import Testing

/// A server of its own started with extra flags (limits would disturb the shared fixture), with a writer and a
/// reader key in `org-g` and a writer in `org-h`.
final class GuardedServer {
    let directory: URL
    let writer: Credential
    let reader: Credential
    let otherWriter: Credential
    let arguments: [String]
    private(set) var server: ServerProcess
    /// Stopped servers, kept until the end: a `ServerProcess` removes its directory when released.
    private var stopped: [ServerProcess] = []

    init(_ flags: [String], prepare: (URL) throws -> Void = { _ in }) throws {
        directory = try ServerProcess.makeDirectory()
        writer = try createKey(org: "org-g", scopes: ["calls:read", "calls:write"], in: directory)
        reader = try createKey(org: "org-g", scopes: ["calls:read"], in: directory)
        otherWriter = try createKey(org: "org-h", scopes: ["calls:read", "calls:write"], in: directory)
        try prepare(directory)
        arguments = ["--keys", "keys.json", "--data-dir", "data", "--quiet"] + flags
        server = try ServerProcess(directory: directory, arguments: arguments)
    }

    /// Stops the server (if still running) and starts a new one on the same directory.
    func restart() throws {
        if server.process.isRunning { #expect(server.stop() == 0) }
        stopped.append(server)
        server = try ServerProcess(directory: directory, arguments: arguments)
    }

    /// Kills the server with SIGKILL (no snapshot, no goodbye) and starts a new one on the same directory.
    func killAndRestart() throws {
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        try restart()
    }

    func send(_ method: String, _ path: String, _ body: String = "", credential: Credential?,
              contentType: String = "application/json") throws -> RawResponse {
        let connection = try RawConnection(port: server.port)
        connection.send("\(method) \(path) HTTP/1.1\r\nHost: x\r\n\(credential?.headers ?? "")Content-Type: \(contentType)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        guard let response = connection.readResponse() else { throw POSIXError(.ECONNRESET) }
        return response
    }

    func put(_ callID: String, transcript: String = "hello", credential: Credential? = nil) throws -> RawResponse {
        try send("PUT", "/api/calls/\(callID)", callBody(transcript: transcript), credential: credential ?? writer)
    }

    func totalCount(_ credential: Credential) throws -> Int? {
        let listed = try send("POST", "/api/calls", "{}", credential: credential)
        return ((listed.json?["data"] as? [String: Any])?["pagination"] as? [String: Any])?["total_count"] as? Int
    }
}

/// A `PUT` body of an ongoing call with `transcript`.
func callBody(transcript: String) -> String {
    #"{"agent_id":"a1","call_status":"ongoing","call_type":"PHONE_CALL","direction":"inbound","from_number":null,"to_number":null,"start_timestamp":1000,"transcript":"\#(transcript)"}"#
}

/// An import line for `callID` with `transcript`.
func importLine(_ callID: String, transcript: String) -> String {
    #"{"call_id":"\#(callID)","agent_id":"a1","call_status":"ongoing","call_type":"PHONE_CALL","direction":"inbound","from_number":null,"to_number":null,"start_timestamp":1000,"transcript":"\#(transcript)"}"#
}
