#if canImport(Glibc)
import Glibc
#endif

/// A snapshot whose header was checked but whose payload is not read yet, so a loader can read the pieces it
/// needs straight into their final arrays, on several threads, instead of holding the whole payload in memory.
public struct JournalSnapshotLocation: Sendable {
    /// The open snapshot file.
    let file: JournalSnapshotFileReader
    /// The snapshot reflects exactly the records numbered below this.
    public let sequence: UInt64
    /// The payload's size in bytes.
    public let payloadLength: Int
    /// The CRC-32C of the whole payload, from the header.
    public let payloadChecksum: UInt32

    /// The snapshot file's path, for messages.
    public var path: String { file.path }

    /// Fills `buffer` with the payload bytes starting at `offset` (which must lie inside the payload).
    public func read(payloadOffset offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(JournalError) {
        guard offset >= 0, buffer.count <= payloadLength - offset else {
            throw JournalError.corrupt("\(path): a read of \(buffer.count) bytes at \(offset) lies outside the payload")
        }
        try file.read(at: JournalSnapshotFile.headerSize + offset, into: buffer)
    }

    /// `count` payload bytes from `offset`.
    public func bytes(payloadOffset offset: Int, count: Int) throws(JournalError) -> [UInt8] {
        guard offset >= 0, count >= 0, count <= payloadLength - offset else {
            throw JournalError.corrupt("\(path): a read of \(count) bytes at \(offset) lies outside the payload")
        }
        return try file.bytes(at: JournalSnapshotFile.headerSize + offset, count: count)
    }

    /// The whole payload, after checking it against the header's checksum.
    public func readPayload() throws(JournalError) -> [UInt8] {
        let bytes = try bytes(payloadOffset: 0, count: payloadLength)
        guard CRC32C.checksum(bytes) == payloadChecksum else {
            throw JournalError.corrupt("\(path): payload checksum mismatch; refusing to start")
        }
        return bytes
    }
}
