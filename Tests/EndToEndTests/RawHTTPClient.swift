import Foundation
import Glibc

/// One parsed response read off a raw socket.
struct RawResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A TCP connection that sends exact bytes and reads responses as a client would, framing them by
/// `Content-Length` (every response of this server has one, except 1xx and 204).
final class RawConnection {
    let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var closedByPeer = false

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = Glibc.send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Sends one byte per write, with a pause, so the server sees many tiny reads.
    func sendByteByByte(_ text: String) {
        for byte in Array(text.utf8) {
            send([byte])
            usleep(200)
        }
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 {
            closedByPeer = true
            return false
        }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Reads the next response; nil if the connection closed (or timed out) first.
    func readResponse(headOnly: Bool = false) -> RawResponse? {
        while true {
            if let end = find([13, 10, 13, 10]) {
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
                let headers = lines.compactMap { line -> (String, String)? in
                    guard let colon = line.firstIndex(of: ":") else { return nil }
                    return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
                var response = RawResponse(status: status, headers: headers, body: [])
                let length = headOnly ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
                while buffer.count < end + 4 + length {
                    if !fill() { return nil }
                }
                response.body = Array(buffer[(end + 4)..<(end + 4 + length)])
                buffer.removeFirst(end + 4 + length)
                return response
            }
            if !fill() { return nil }
        }
    }

    /// True when the server closed the connection (reads EOF) within the receive timeout.
    func isClosedByServer() -> Bool {
        if closedByPeer { return true }
        while fill() {}
        return closedByPeer
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for index in 0...(buffer.count - pattern.count) where buffer[index] == pattern[0] {
            if Array(buffer[index..<(index + pattern.count)]) == pattern { return index }
        }
        return nil
    }
}

/// A complete `POST /api/calls` request.
func listRequest(_ body: String, credential: Credential?, extraHeaders: String = "", close: Bool = false) -> String {
    let bytes = Array(body.utf8)
    return "POST /api/calls HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + (credential?.headers ?? "") + extraHeaders
        + "Content-Length: \(bytes.count)\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n" + body
}

/// Sends `request` on `times` new connections, a moment apart so the server takes them in order, and returns the
/// connections (open, their answers unread: slow work stays queued as long as they are kept).
func sendOneAfterAnother(_ request: String, times: Int, port: Int) throws -> [RawConnection] {
    var connections: [RawConnection] = []
    for _ in 0..<times {
        let connection = try RawConnection(port: port)
        connection.send(request)
        connections.append(connection)
        usleep(50_000)
    }
    return connections
}
