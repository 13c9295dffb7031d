import CallCore
import Dispatch
import Foundation
import HTTPKit

/// Wires configuration, keys, data and routes into a running server.
struct ServerApp {
    var options: ServeOptions
    /// Stamps writes (`updated_timestamp`).
    var clock = ServerClock.system

    /// Every route of a server with `options`, serving the store `gate` opens.
    static func routes(options: ServeOptions, guardrail: APIGuard, gate: StoreGate, metrics: HTTPMetrics?) -> RouteTable {
        let callRoutes = CallRouteContext(guardrail: guardrail, gate: gate)
        let mcp = MCPHandler(guardrail: guardrail, gate: gate, origins: MCPOrigins(options.mcpOrigins))
        return RouteTable(RouteHandlers(
            listCalls: ListCallsHandler(guardrail: guardrail, gate: gate),
            getCall: GetCallHandler(context: callRoutes),
            putCall: WriteCallHandler(context: callRoutes, kind: .put),
            patchCall: WriteCallHandler(context: callRoutes, kind: .patch),
            deleteCall: WriteCallHandler(context: callRoutes, kind: .delete),
            importCalls: ImportCallsHandler(
                context: callRoutes, maxImportBytes: options.maxImportBytes, slots: ImportSlots(), refusals: metrics),
            listChanges: ListChangesHandler(guardrail: guardrail, gate: gate),
            health: HealthHandler(gate: gate),
            metrics: metrics.map { MetricsHandler(http: $0, gate: gate) }),
            // MCP speaks JSON-RPC, described by its own protocol, not by the OpenAPI document; API.md has its
            // GET and DELETE answered 405 with `Allow: POST` exactly.
            undocumented: [RouteEntry(method: "POST", pattern: "/mcp", handler: mcp, operation: nil, listsOptions: false)])
    }

    /// Binds, recovers and loads data (answering 503 meanwhile), serves until SIGTERM/SIGINT, then
    /// drains and returns.
    func run() throws {
        let started = Date()
        var demoKeys: [KeyRecord] = []
        var demoCredentials: [(org: String, key: String, secret: String)] = []
        if options.demoCount != nil {
            for org in DemoData.organizations {
                let (key, secret) = KeyFile.generateCredentials()
                demoKeys.append(KeyRecord(
                    key: key, secretSHA256: SHA256.hexDigest(secret), organizationID: org,
                    scopes: [Scope.read, Scope.write], createdAt: ""))
                demoCredentials.append((org, key, secret))
            }
        }
        if let line = KeyFile.makePrivate(options.keysFile) { logLine("CallServer: \(line)") }
        let keys = try KeyRing(path: options.keysFile, extra: demoKeys)
        keys.watch(log: { logLine($0) })

        let gate = StoreGate()
        // `effectiveRateBurst` is set exactly when a rate is.
        let metrics = options.metrics ? HTTPMetrics() : nil
        let rateLimiter = options.effectiveRateBurst.flatMap { burst in
            options.rateLimit.map { RateLimiter(rate: $0, burst: burst, refusals: metrics) }
        }
        let guardrail = APIGuard(keys: keys, rateLimiter: rateLimiter)
        let router = Self.routes(options: options, guardrail: guardrail, gate: gate, metrics: metrics).router()

        var configuration = options.http
        configuration.host = options.host
        configuration.port = options.port
        configuration.threads = options.threads
        configuration.logFormat = options.logFormat
        let accessLog = options.accessLog ? AccessLog(format: options.logFormat) : nil
        accessLog?.start()
        let server = try HTTPServer(
            configuration: configuration, router: router,
            renderError: { ErrorRendering.render($0, requestID: $1) }, accessLog: accessLog, metrics: metrics)
        let signals = ShutdownSignals { server.shutdown() }
        let stopped = DispatchSemaphore(value: 0)
        let serving = Thread {
            server.run()
            stopped.signal()
        }
        serving.name = "http-server"
        serving.start()

        let durable = try DurableStore(
            path: options.dataDir, compactBytes: options.compactBytes, maxCallsPerOrganization: options.maxCallsPerOrg,
            changesRetention: options.changesRetention, clock: clock, log: { logLine($0) })
        let calls = try startupCalls()
        let written = try durable.load(calls)
        if !calls.isEmpty {
            logLine("CallServer: \(calls.count) calls given at startup, \(written) new or changed written to \(options.dataDir)")
        }
        durable.startCompactor(log: { logLine($0) })
        gate.open(durable.repository)

        let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
        logLine("CallServer: \(durable.repository.current.count) calls ready in \(seconds) s, \(keys.count) keys from \(options.keysFile)")
        let base = "http://\(options.host.contains(":") ? "[\(options.host)]" : options.host):\(server.port)"
        if !demoCredentials.isEmpty {
            printDemoBanner(demoCredentials, base: base)
        }
        FileHandle.standardOutput.write(Data("CallServer listening on \(base)\n".utf8))

        stopped.wait()
        let journal = durable.repository.journal.statistics
        logLine("CallServer: journal: \(journal.acknowledgedAppends) writes acknowledged in \(journal.syncs) group commits")
        durable.close(log: { logLine($0) })
        accessLog?.stop()
        withExtendedLifetime(signals) {}
        logLine("CallServer: stopped")
    }

    /// The demo calls and the `--import` file's calls, decoded.
    private func startupCalls() throws -> [Call] {
        var calls: [Call] = []
        if let count = options.demoCount {
            var blob: [UInt8] = []
            for line in DemoData.lines(count: count) {
                blob.append(contentsOf: line)
                blob.append(UInt8(ascii: "\n"))
            }
            let decoded = blob.withUnsafeBytes { raw -> Result<[Call], CallImporter.Failure> in
                do throws(CallImporter.Failure) {
                    return .success(try CallImporter.decode(raw, source: "demo data"))
                } catch {
                    return .failure(error)
                }
            }
            calls += try decoded.get()
        }
        if let path = options.importFile {
            calls += try CallImporter.load(path: path)
        }
        return calls
    }

    private func printDemoBanner(_ credentials: [(org: String, key: String, secret: String)], base: String) {
        var text = "\nDemo data: \(options.demoCount ?? 0) calls in \(credentials.count) organizations.\n"
        for credential in credentials {
            text += "  \(credential.org): X-API-KEY: \(credential.key)  X-API-SECRET: \(credential.secret)\n"
        }
        if let first = credentials.first {
            text += "\nTry:\n  curl -s \(base)/api/calls -H 'Content-Type: application/json' \\\n"
            text += "    -H 'X-API-KEY: \(first.key)' -H 'X-API-SECRET: \(first.secret)' \\\n"
            text += "    -d '{\"limit\":5,\"filter_criteria\":{\"call_status\":[\"ended\"],\"transcript_search\":\"refund\"}}'\n"
            text += "\nMCP (Streamable HTTP, same headers): \(base)/mcp\n\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
