#if canImport(Glibc)
import Glibc
#endif

/// A read-only descriptor of the snapshot file, closed when the last reference goes; `pread` needs no shared
/// file position, so any thread may read through it.
final class JournalSnapshotFileReader: Sendable {
    let path: String
    let size: Int
    private let descriptor: Int32

    /// Opens `path`, or returns nil when it does not exist.
    init?(path: String) throws(JournalPOSIXFailure) {
        let descriptor: Int32
        do {
            descriptor = try JournalPOSIX.open(path, flags: O_RDONLY)
        } catch {
            if error.code == ENOENT { return nil }
            throw error
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            JournalPOSIX.close(descriptor)
            throw JournalPOSIXFailure(operation: "fstat", path: path, code: code)
        }
        self.path = path
        self.size = Int(info.st_size)
        self.descriptor = descriptor
    }

    deinit {
        JournalPOSIX.close(descriptor)
    }

    /// `count` bytes from file offset `offset`.
    func bytes(at offset: Int, count: Int) throws(JournalError) -> [UInt8] {
        var failure: JournalError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(JournalError) {
                try read(at: offset, into: UnsafeMutableRawBufferPointer(buffer))
                initialized = count
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Fills `buffer` from file offset `offset`; a file shorter than that is corrupt.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(JournalError) {
        let filled: Int
        do {
            filled = try JournalPOSIX.readFully(descriptor, at: offset, into: buffer, path: path)
        } catch {
            throw JournalError(error)
        }
        guard filled == buffer.count else {
            throw JournalError.corrupt("\(path) ends at \(offset + filled), before the \(buffer.count) bytes at \(offset)")
        }
    }
}
