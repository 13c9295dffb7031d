import Foundation
import Glibc
import HTTPKit
import Testing

private struct Health: HTTPHandler {
    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission { HTTPAdmission(maxBodyBytes: 0) }
    func respond(to request: HTTPRequest) throws -> HTTPResponse { HTTPResponse(status: 200, body: Array("ok".utf8)) }
}

/// A client that opens its whole pool at once must get every event loop, not just the one the kernel woke.
@Suite struct LoopBalanceTests {
    @Test func aBurstOfConnectionsIsDealtOutEvenlyToTheLoops() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        var router = HTTPRouter()
        router.add("GET", "/healthz", Health())
        let server = try HTTPServer(configuration: configuration, router: router) { _, _ in HTTPResponse(status: 500) }
        let finished = DispatchSemaphore(value: 0)
        Thread {
            server.run()
            finished.signal()
        }.start()

        // Sixteen connections opened back to back, then one request on each once all are open.
        let sockets = try (0..<16).map { _ in try Self.connect(port: server.port) }
        defer { for fd in sockets { close(fd) } }
        for fd in sockets {
            #expect(Self.exchange(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").hasPrefix("HTTP/1.1 200"))
        }
        #expect(server.connectionsPerLoop == [8, 8])

        server.shutdown()
        #expect(finished.wait(timeout: .now() + 10) == .success)
    }

    private static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Sends `request` and returns what arrives in one read (a small response comes in one piece).
    private static func exchange(_ fd: Int32, _ request: String) -> String {
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
    }
}
