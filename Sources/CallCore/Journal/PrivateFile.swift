import Glibc

/// Files only the server's user may read (keys, like the data directory's), written and tightened through the
/// journal's POSIX layer: the same retries on interrupted calls, syncs and `O_NOFOLLOW` checks.
public enum PrivateFile {
    /// A failure, with the operation, the path and the system's reason.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// A sentence naming what failed where, and why.
        public var description: String
    }

    /// Replaces `path` with `bytes` atomically: a new `0600` file beside it, written, synced (a rename can reach the
    /// disk before the data), then renamed over it.
    public static func replace(_ path: String, with bytes: [UInt8]) throws(Failure) {
        let temporary = path + ".tmp-\(getpid())"
        do throws(JournalPOSIXFailure) {
            _ = try? JournalPOSIX.unlink(temporary)
            let descriptor = try JournalPOSIX.open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL)
            do throws(JournalPOSIXFailure) {
                try JournalPOSIX.writeAll(descriptor, bytes, at: 0, path: temporary)
                try JournalPOSIX.fullSync(descriptor, path: temporary)
            } catch {
                JournalPOSIX.close(descriptor)
                throw error
            }
            JournalPOSIX.close(descriptor)
            try JournalPOSIX.rename(temporary, to: path)
        } catch {
            _ = try? JournalPOSIX.unlink(temporary)
            throw Failure(description: "cannot \(error.operation) \(error.path): \(error.reason)")
        }
    }

    /// Removes group and other access from the regular file at `path`, through the file itself (a planted link is
    /// not followed); true when the mode changed, false when it was private already.
    @discardableResult
    public static func removeGroupAndOtherAccess(_ path: String) throws(Failure) -> Bool {
        do throws(JournalPOSIXFailure) {
            return try JournalPOSIX.removeGroupAndOtherAccess(path, directory: false)
        } catch {
            throw Failure(description: "cannot \(error.operation) \(error.path): \(error.reason)")
        }
    }
}
