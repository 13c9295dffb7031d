import Glibc

/// A failure to set up or use a socket, with the `errno` text.
public struct SocketError: Error, CustomStringConvertible, Sendable {
    /// What was being attempted, e.g. `bind 127.0.0.1:8080`.
    public var operation: String
    /// The `errno` value.
    public var code: Int32

    /// A readable description.
    public var description: String { "\(operation): \(String(cString: strerror(code)))" }
}
