import CallCore
@testable import CallServer
import Foundation
import HTTPKit
import Locking

/// The server's routes and durable store run inside the test process on an ephemeral port, so the test can hand
/// the write path a clock of its own; restarted on the same data directory like the real binary.
final class InProcessServer {
    /// A clock the test sets by hand.
    final class ManualClock: Sendable {
        private let now: Locked<Int64>

        init(_ start: Int64) { now = Locked(start) }

        /// Sets the time (it may go back, as a wall clock stepped by NTP does).
        func set(_ milliseconds: Int64) { now.withLock { $0 = milliseconds } }

        var serverClock: ServerClock { ServerClock { [self] in now.withLock { $0 } } }
    }

    let directory: URL
    let credential: Credential
    private let keys: [KeyRecord]
    private var server: HTTPServer
    private var durable: DurableStore
    private var stopped = DispatchSemaphore(value: 0)

    /// Starts on a fresh directory with one read-write key of `org-t`; its data directory starts as a copy of
    /// `data` when given.
    init(clock: ServerClock, data: URL? = nil) throws {
        directory = try ServerProcess.makeDirectory()
        if let data {
            try FileManager.default.copyItem(at: data, to: directory.appendingPathComponent("data"))
        }
        let (key, secret) = KeyFile.generateCredentials()
        credential = Credential(key: key, secret: secret)
        keys = [KeyRecord(
            key: key, secretSHA256: SHA256.hexDigest(secret), organizationID: "org-t",
            scopes: [Scope.read, Scope.write], createdAt: "")]
        (server, durable) = try Self.start(directory: directory, keys: keys, clock: clock, stopped: stopped)
    }

    private static func start(
        directory: URL, keys: [KeyRecord], clock: ServerClock, stopped: DispatchSemaphore
    ) throws -> (HTTPServer, DurableStore) {
        let options = ServeOptions()
        let gate = StoreGate()
        let guardrail = APIGuard(keys: try KeyRing(path: directory.appendingPathComponent("keys.json").path, extra: keys), rateLimiter: nil)
        var configuration = options.http
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.threads = 1
        let server = try HTTPServer(
            configuration: configuration, router: ServerApp.routes(options: options, guardrail: guardrail, gate: gate, metrics: nil).router(),
            renderError: { ErrorRendering.render($0, requestID: $1) }, accessLog: nil, metrics: nil)
        let thread = Thread {
            server.run()
            stopped.signal()
        }
        thread.start()
        let durable = try DurableStore(
            path: directory.appendingPathComponent("data").path, compactBytes: options.compactBytes, clock: clock, log: { _ in })
        gate.open(durable.repository)
        return (server, durable)
    }

    /// Stops cleanly (the snapshot is written, as on SIGTERM) and starts again on the same directory with `clock`.
    func restart(clock: ServerClock) throws {
        stop()
        stopped = DispatchSemaphore(value: 0)
        (server, durable) = try Self.start(directory: directory, keys: keys, clock: clock, stopped: stopped)
    }

    func stop() {
        server.shutdown()
        stopped.wait()
        durable.close(log: { _ in })
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Sends one request on a fresh connection and reads its response.
    func send(_ method: String, _ path: String, _ body: String = "", contentType: String = "application/json",
              extra: String = "") throws -> RawResponse {
        let connection = try RawConnection(port: server.port)
        connection.send("\(method) \(path) HTTP/1.1\r\nHost: x\r\n\(credential.headers)Content-Type: \(contentType)\r\n"
            + "\(extra)Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        guard let response = connection.readResponse() else { throw POSIXError(.ECONNRESET) }
        return response
    }
}
