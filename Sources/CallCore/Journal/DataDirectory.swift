#if canImport(Glibc)
import Glibc
#endif
import Locking

/// The server's data directory: a `FORMAT` file with the on-disk format version, and a `LOCK` file held with
/// `flock` for as long as this object is open, so that two servers never write the same journal.
public final class DataDirectory: Sendable {
    /// The on-disk format this build writes: 2 frames journal groups with salted checksums (`JournalGroupFrame`).
    public static let formatVersion = 2
    /// Formats this build reads; an older one is marked as the current format at open, so that a release that
    /// cannot read the segments this one writes refuses the directory instead of missing them.
    public static let readableFormats = 1...2

    /// The directory's path as given.
    public let path: String

    /// What the lock guards in this process.
    private struct Held {
        /// The descriptor that holds the `flock`; `nil` once closed. The kernel drops the lock when it is closed
        /// or the process exits, however it exits, so a crash never leaves a stale lock behind.
        var descriptor: Int32?
        /// Whether a `Journal` is open on the directory: the file lock cannot stop a second one in this process.
        var journalOpen = false
    }

    private let held: Locked<Held>

    /// Opens (creating if needed) the data directory at `path`, takes its lock and checks its format.
    public init(path: String) throws(DataDirectoryError) {
        self.path = path
        do {
            try JournalPOSIX.makeDirectories(path)
        } catch {
            throw DataDirectoryError(error)
        }
        let lockPath = path + "/LOCK"
        let descriptor: Int32
        do {
            descriptor = try JournalPOSIX.open(lockPath, flags: O_RDWR | O_CREAT, mode: JournalPOSIX.privateFileMode)
        } catch {
            throw DataDirectoryError(error)
        }
        // LOCK_NB: a second server must fail at once with a clear message, not hang waiting for the first.
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            JournalPOSIX.close(descriptor)
            if code == EWOULDBLOCK { throw DataDirectoryError.locked(path: path) }
            throw DataDirectoryError.io(
                operation: "flock", path: lockPath, errno: code, reason: String(cString: strerror(code)))
        }
        held = Locked(Held(descriptor: descriptor))
        do {
            try Self.makePrivate(path)
            try Self.checkOrCreateFormat(in: path)
        } catch {
            close()
            throw error
        }
    }

    /// Tightens a directory made by an older build (or by hand) to `0700` and its files to `0600` (no group or
    /// other access): calls are private data, and mkdir/open modes only cover what this build creates. Runs under
    /// the lock, so no other server is writing there.
    private static func makePrivate(_ path: String) throws(DataDirectoryError) {
        do {
            try JournalPOSIX.removeGroupAndOtherAccess(path, directory: true)
            for name in try JournalPOSIX.listDirectory(path) {
                let file = path + "/" + name
                var info = stat()
                // Only regular files: a subdirectory or link is not ours (lstat does not follow links).
                guard lstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                try JournalPOSIX.removeGroupAndOtherAccess(file, directory: false)
            }
        } catch {
            throw DataDirectoryError(error)
        }
    }

    deinit {
        close()
    }

    /// Releases the lock; later opens of the directory succeed. Closing twice is harmless.
    public func close() {
        let descriptor = held.withLock { held -> Int32? in
            defer { held.descriptor = nil }
            return held.descriptor
        }
        if let descriptor { JournalPOSIX.close(descriptor) }
    }

    /// Whether the lock is still held by this object.
    public var isOpen: Bool {
        held.withLock { $0.descriptor != nil }
    }

    /// Marks the directory as having an open journal; false if it is closed or already has one.
    func claimJournal() -> Bool {
        held.withLock { held in
            guard held.descriptor != nil, !held.journalOpen else { return false }
            held.journalOpen = true
            return true
        }
    }

    /// Allows the next `Journal.open` after the current journal closed.
    func releaseJournal() {
        held.withLock { $0.journalOpen = false }
    }

    /// The full path of a file inside the directory.
    func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Makes creations, renames and removals inside the directory durable.
    func sync() throws(JournalPOSIXFailure) {
        try JournalPOSIX.syncDirectory(path)
    }

    /// Reads `FORMAT`, or writes it into a directory that is still empty (apart from our `LOCK`).
    private static func checkOrCreateFormat(in path: String) throws(DataDirectoryError) {
        let formatPath = path + "/FORMAT"
        let existing: [UInt8]?
        do {
            existing = try JournalPOSIX.readFile(formatPath)
        } catch {
            throw DataDirectoryError(error)
        }
        if let existing {
            let text = String(decoding: existing, as: UTF8.self).trimmingASCIIWhitespace()
            guard let found = Int(text), readableFormats.contains(found) else {
                throw DataDirectoryError.unknownFormat(path: path, found: text, supported: formatVersion)
            }
            if found != formatVersion {
                do {
                    try writeFormatFile(formatPath, directory: path)
                } catch {
                    throw DataDirectoryError(error)
                }
            }
            return
        }
        let entries: [String]
        do {
            entries = try JournalPOSIX.listDirectory(path).filter { $0 != "LOCK" && $0 != "FORMAT.tmp" }
        } catch {
            throw DataDirectoryError(error)
        }
        // Files without a FORMAT may be someone else's; writing our journal among them could destroy data.
        guard entries.isEmpty else {
            throw DataDirectoryError.notADataDirectory(path: path, entries: entries)
        }
        do {
            try writeFormatFile(formatPath, directory: path)
        } catch {
            throw DataDirectoryError(error)
        }
    }

    /// Writes `FORMAT` beside its final name and renames it into place, so a crash leaves none or a whole one.
    private static func writeFormatFile(_ formatPath: String, directory: String) throws(JournalPOSIXFailure) {
        let temporary = formatPath + ".tmp"
        let descriptor = try JournalPOSIX.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: JournalPOSIX.privateFileMode)
        defer { JournalPOSIX.close(descriptor) }
        let content = Array("\(formatVersion)\n".utf8)
        try JournalPOSIX.writeAll(descriptor, content, at: 0, path: temporary)
        try JournalPOSIX.fullSync(descriptor, path: temporary)
        try JournalPOSIX.rename(temporary, to: formatPath)
        try JournalPOSIX.syncDirectory(directory)
    }
}

extension String {
    /// Drops leading and trailing ASCII spaces, tabs and line breaks (Foundation-free).
    fileprivate func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
