import Foundation
import Glibc
import Locking

/// The real `CallServer` binary started as a child process on an ephemeral port.
final class ServerProcess {
    let process = Process()
    let port: Int
    let directory: URL
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()

    /// Path of the built executable, next to the test bundle (`.build/<config>/CallServer`).
    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["CALLSERVER_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("CallServer")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/CallServer")
    }

    /// A fresh temporary directory for keys and data files.
    static func makeDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("callserver-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Starts the server with `arguments` (plus `--port 0`) and waits for its ready line; `launcher` (a command
    /// and its arguments, e.g. `prlimit`) runs the server when given.
    init(directory: URL, arguments: [String], launcher: [String] = []) throws {
        self.directory = directory
        let serverArguments = ["--host", "127.0.0.1", "--port", "0"] + arguments
        if let command = launcher.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = Array(launcher.dropFirst()) + [Self.binary.path] + serverArguments
        } else {
            process.executableURL = Self.binary
            process.arguments = serverArguments
        }
        process.currentDirectoryURL = directory
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()
        ChildProcesses.register(process.processIdentifier)
        var collected = ""
        let handle = stdoutPipe.fileHandleForReading
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            collected += String(decoding: chunk, as: UTF8.self)
            if let range = collected.range(of: "listening on http://127.0.0.1:"),
               let lineEnd = collected[range.upperBound...].firstIndex(of: "\n"),
               let port = Int(collected[range.upperBound..<lineEnd]) {
                self.port = port
                self.banner = collected
                return
            }
        }
        process.terminate()
        let errors = String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        throw StartupFailure(output: collected + errors)
    }

    /// What the server printed on stdout up to its ready line.
    private(set) var banner = ""

    struct StartupFailure: Error, CustomStringConvertible {
        var output: String
        var description: String { "server did not start: \(output)" }
    }

    /// Sends SIGTERM and waits for the exit status.
    func stop() -> Int32 {
        if process.isRunning {
            process.interrupt()
            kill(process.processIdentifier, SIGTERM)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Stops the server and returns its exit status and everything it wrote on stderr (keep that small: nothing
    /// reads the pipe while the server runs).
    func stopAndReadErrors() -> (status: Int32, stderr: String) {
        let status = stop()
        return (status, String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `CallServer` with `arguments` to completion and returns its exit status and output.
func runCallServer(_ arguments: [String], in directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = ServerProcess.binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// A credential pair created with `CallServer keys create`.
struct Credential {
    var key: String
    var secret: String

    var headers: String { "X-API-KEY: \(key)\r\nX-API-SECRET: \(secret)\r\n" }
}

/// Creates a key in `keys.json` of `directory`.
func createKey(org: String, scopes: [String], in directory: URL) throws -> Credential {
    var arguments = ["keys", "create", "--org", org, "--keys", "keys.json"]
    for scope in scopes { arguments += ["--scope", scope] }
    let result = try runCallServer(arguments, in: directory)
    guard result.status == 0,
          let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
          let key = object["key"] as? String, let secret = object["secret"] as? String else {
        throw ServerProcess.StartupFailure(output: result.stdout + result.stderr)
    }
    return Credential(key: key, secret: secret)
}

/// Servers started by the tests, killed when the test process exits (the shared fixture's server
/// lives for the whole run and has no other owner to stop it).
enum ChildProcesses {
    private static let pids = Locked<[Int32]>([])
    private static let installed = Locked(false)

    static func register(_ pid: Int32) {
        pids.withLock { $0.append(pid) }
        let first = installed.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            atexit {
                for pid in ChildProcesses.pids.withLock({ $0 }) { kill(pid, SIGKILL) }
            }
        }
    }
}
