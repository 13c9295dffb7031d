#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which call, on which path, and the `errno` it left.
struct JournalPOSIXFailure: Error, Equatable, Sendable {
    var operation: String
    var path: String
    var code: Int32

    /// `strerror` text, so messages read "No space left on device" rather than 28.
    var reason: String { String(cString: strerror(code)) }
}
