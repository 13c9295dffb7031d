#if canImport(Glibc)
import Glibc
#endif

/// Streams a snapshot's payload to disk in large writes, so a snapshot of a big store never has to exist
/// as one array in memory; it keeps the length and checksum for the header as it goes.
public final class JournalSnapshotWriter {
    private let descriptor: Int32
    private let path: String
    private let faults: JournalFaults
    private var buffer: [UInt8] = []
    private var fileOffset = JournalSnapshotFile.headerSize
    private var length: UInt64 = 0
    private var checksum: UInt32 = 0

    /// Payload bytes written so far (the payload offset of the next byte).
    public var payloadLength: Int { Int(length) }
    /// The CRC-32C of the payload written so far: a reader can check any piece given the values around it.
    public var runningChecksum: UInt32 { checksum }
    private static let flushThreshold = 1 << 20

    init(descriptor: Int32, path: String, faults: JournalFaults) {
        self.descriptor = descriptor
        self.path = path
        self.faults = faults
        buffer.reserveCapacity(Self.flushThreshold)
    }

    /// Appends bytes to the snapshot payload.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(JournalError) {
        checksum = CRC32C.checksum(bytes, seed: checksum)
        length += UInt64(bytes.count)
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Appends bytes to the snapshot payload.
    public func write(_ bytes: [UInt8]) throws(JournalError) {
        checksum = CRC32C.checksum(bytes, seed: checksum)
        length += UInt64(bytes.count)
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Writes what is buffered.
    private func flush() throws(JournalError) {
        do {
            try faults.check(.snapshotWrite, operation: "pwrite", path: path)
            try JournalPOSIX.writeAll(descriptor, buffer, at: fileOffset, path: path)
        } catch {
            throw JournalError(error)
        }
        fileOffset += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes the rest of the payload and the header, then syncs the file.
    func finish(sequence: UInt64) throws(JournalError) {
        try flush()
        let header = JournalSnapshotFile.header(sequence: sequence, length: length, checksum: checksum)
        do {
            try JournalPOSIX.writeAll(descriptor, header, at: 0, path: path)
            try JournalPOSIX.fullSync(descriptor, path: path)
        } catch {
            throw JournalError(error)
        }
    }
}
