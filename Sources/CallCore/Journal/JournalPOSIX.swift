#if canImport(Glibc)
import Glibc
#endif

/// Thin, retrying wrappers over the POSIX calls the data directory and the journal need.
/// They exist so that every caller handles `EINTR` and short transfers the same way, and reports the path.
enum JournalPOSIX {
    /// The mode of every file the data directory holds: call data is readable by the server's user only.
    static let privateFileMode: mode_t = 0o600
    /// The mode of the data directory itself.
    static let privateDirectoryMode: mode_t = 0o700

    /// Opens `path`, retrying on `EINTR`; the descriptor is close-on-exec so a spawned child never inherits the lock.
    /// A file it creates is private (`0600`) unless a mode is given.
    static func open(_ path: String, flags: Int32, mode: mode_t = privateFileMode) throws(JournalPOSIXFailure) -> Int32 {
        while true {
            let descriptor = Glibc.open(path, flags | O_CLOEXEC, mode)
            if descriptor >= 0 { return descriptor }
            if errno != EINTR { throw JournalPOSIXFailure(operation: "open", path: path, code: errno) }
        }
    }

    /// Writes all of `bytes` at `offset`, looping over short writes, which a full disk can produce before failing.
    static func writeAll(
        _ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String
    ) throws(JournalPOSIXFailure) {
        var written = 0
        while written < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let result = pwrite(descriptor, base + written, bytes.count - written, off_t(offset + written))
            if result > 0 {
                assert(result <= bytes.count - written, "pwrite writes no more than it was given")
                written += result
            } else if result < 0 && errno == EINTR {
                continue
            } else {
                // A zero-byte write makes no progress; report it as "no space" rather than loop forever.
                throw JournalPOSIXFailure(operation: "pwrite", path: path, code: result == 0 ? ENOSPC : errno)
            }
        }
    }

    /// Writes all of an array at `offset` (see the buffer-pointer form).
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], at offset: Int, path: String) throws(JournalPOSIXFailure) {
        // `withUnsafeBytes` only rethrows untyped errors, so the typed failure is carried out by hand.
        var failure: JournalPOSIXFailure?
        bytes.withUnsafeBytes { raw in
            do throws(JournalPOSIXFailure) {
                try writeAll(descriptor, raw, at: offset, path: path)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Flushes file data (and the size, which `fdatasync` includes) to stable storage.
    static func dataSync(_ descriptor: Int32, path: String) throws(JournalPOSIXFailure) {
        while fdatasync(descriptor) != 0 {
            if errno != EINTR { throw JournalPOSIXFailure(operation: "fdatasync", path: path, code: errno) }
        }
    }

    /// Flushes data and metadata; used for files that are renamed into place.
    static func fullSync(_ descriptor: Int32, path: String) throws(JournalPOSIXFailure) {
        while fsync(descriptor) != 0 {
            if errno != EINTR { throw JournalPOSIXFailure(operation: "fsync", path: path, code: errno) }
        }
    }

    /// Cuts the file at `length`.
    static func truncate(_ descriptor: Int32, to length: Int, path: String) throws(JournalPOSIXFailure) {
        while ftruncate(descriptor, off_t(length)) != 0 {
            if errno != EINTR { throw JournalPOSIXFailure(operation: "ftruncate", path: path, code: errno) }
        }
    }

    /// Makes directory entries (creations, renames, removals) durable: a renamed file is only safe once its directory is synced.
    static func syncDirectory(_ path: String) throws(JournalPOSIXFailure) {
        let descriptor = try open(path, flags: O_RDONLY | O_DIRECTORY)
        defer { _ = Glibc.close(descriptor) }
        try fullSync(descriptor, path: path)
    }

    /// Reads a whole file into memory; `nil` when it does not exist.
    static func readFile(_ path: String) throws(JournalPOSIXFailure) -> [UInt8]? {
        let descriptor: Int32
        do {
            descriptor = try open(path, flags: O_RDONLY)
        } catch {
            if error.code == ENOENT { return nil }
            throw error
        }
        defer { _ = Glibc.close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw JournalPOSIXFailure(operation: "fstat", path: path, code: errno)
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        // A file that shrank under us keeps what was there.
        let filled = try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(JournalPOSIXFailure) in try readFully(descriptor, at: 0, into: buffer, path: path) }
        }.get()
        if filled < bytes.count { bytes.removeSubrange(filled...) }
        return bytes
    }

    /// Reads into `buffer` from file offset `offset` until it is full or the file ends, retrying
    /// interrupted and short reads; returns the bytes read.
    static func readFully(
        _ descriptor: Int32, at offset: Int, into buffer: UnsafeMutableRawBufferPointer, path: String
    ) throws(JournalPOSIXFailure) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var filled = 0
        while filled < buffer.count {
            let result = pread(descriptor, base + filled, buffer.count - filled, off_t(offset + filled))
            if result > 0 {
                assert(result <= buffer.count - filled, "pread reads no more than it was given room for")
                filled += result
            } else if result == 0 {
                break
            } else if errno != EINTR {
                throw JournalPOSIXFailure(operation: "pread", path: path, code: errno)
            }
        }
        return filled
    }

    /// Removes a file and says whether it was there; a file that is already gone is not an error.
    @discardableResult
    static func unlink(_ path: String) throws(JournalPOSIXFailure) -> Bool {
        if Glibc.unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw JournalPOSIXFailure(operation: "unlink", path: path, code: errno)
    }

    /// Atomically replaces `destination` with `source`.
    static func rename(_ source: String, to destination: String) throws(JournalPOSIXFailure) {
        if Glibc.rename(source, destination) != 0 {
            throw JournalPOSIXFailure(operation: "rename", path: destination, code: errno)
        }
    }

    /// Gives `source` a second name, `destination` (which must not exist).
    static func link(_ source: String, to destination: String) throws(JournalPOSIXFailure) {
        if Glibc.link(source, destination) != 0 {
            throw JournalPOSIXFailure(operation: "link", path: destination, code: errno)
        }
    }

    /// Closes a descriptor; `EINTR` on close must not be retried on Linux (the descriptor is already gone).
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    /// Removes group and other access from `path` (`0755` becomes `0700`, `0644` becomes `0600`), keeping the
    /// owner's bits; never follows a symbolic link (`O_NOFOLLOW`), so a planted link cannot redirect the change.
    /// True when the mode changed.
    @discardableResult
    static func removeGroupAndOtherAccess(_ path: String, directory: Bool) throws(JournalPOSIXFailure) -> Bool {
        let descriptor = try open(path, flags: O_RDONLY | O_NOFOLLOW | (directory ? O_DIRECTORY : O_NONBLOCK))
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw JournalPOSIXFailure(operation: "fstat", path: path, code: errno) }
        let mode = info.st_mode & 0o7777
        guard mode & 0o077 != 0 else { return false }
        while fchmod(descriptor, mode & ~0o077) != 0 {
            if errno != EINTR { throw JournalPOSIXFailure(operation: "fchmod", path: path, code: errno) }
        }
        return true
    }

    /// Lists the names in a directory, without "." and "..".
    static func listDirectory(_ path: String) throws(JournalPOSIXFailure) -> [String] {
        guard let stream = opendir(path) else {
            throw JournalPOSIXFailure(operation: "opendir", path: path, code: errno)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates `path` and any missing parents (like `mkdir -p`), syncing the parent of each directory it creates
    /// so a new data directory cannot vanish in a crash after its first acknowledged write. Directories it creates
    /// are private (`0700`): they exist only to hold the data.
    static func makeDirectories(_ path: String) throws(JournalPOSIXFailure) {
        var parent = path.hasPrefix("/") ? "/" : "."
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, privateDirectoryMode) == 0 {
                try syncDirectory(parent)
            } else if errno != EEXIST {
                throw JournalPOSIXFailure(operation: "mkdir", path: prefix, code: errno)
            }
            parent = prefix
        }
    }
}
