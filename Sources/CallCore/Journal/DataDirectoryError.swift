/// Why a data directory could not be opened; each case names the path so an operator knows where to look.
public enum DataDirectoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another process (or another open in this one) holds the directory's lock.
    case locked(path: String)
    /// The `FORMAT` file names a version this build does not understand.
    case unknownFormat(path: String, found: String, supported: Int)
    /// The directory holds files but no `FORMAT` file, so it is not ours to write into.
    case notADataDirectory(path: String, entries: [String])
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32, reason: String)

    /// A sentence a person can act on.
    public var description: String {
        switch self {
        case .locked(let path):
            return "data directory \(path) is locked by another process (is another CallServer running on it?)"
        case .unknownFormat(let path, let found, let supported):
            return "data directory \(path) has format \"\(found)\", but this build reads only format \(supported);"
                + " refusing to open it (use a matching build, or a new directory)"
        case .notADataDirectory(let path, let entries):
            let shown = entries.sorted().prefix(5).joined(separator: ", ")
            return "\(path) is not empty and has no FORMAT file (found: \(shown)); refusing to use it as a data directory"
        case .io(let operation, let path, let code, let reason):
            return "\(operation) failed on \(path): \(reason) (errno \(code))"
        }
    }

    init(_ failure: JournalPOSIXFailure) {
        self = .io(operation: failure.operation, path: failure.path, errno: failure.code, reason: failure.reason)
    }
}
