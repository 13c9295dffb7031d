#if canImport(Glibc)
import Glibc
#endif

/// The snapshot file: a 32-byte header, then the payload.
///
/// Header: magic `CSNP`, format version (u32), the journal sequence the snapshot covers (u64: it reflects exactly
/// the records numbered below it), payload length (u64), CRC-32C of the payload (u32), CRC-32C of the 28 header
/// bytes before it (u32). All little-endian. It is written to `snapshot.tmp`, synced, renamed to `snapshot`, and
/// the directory is synced, so `snapshot` is always a whole, synced file.
///
/// The snapshot it replaces stays as `snapshot.previous`, with the journal written since it, until the next
/// compaction succeeds: if the calls of the new snapshot turn out damaged, `salvage` still has every acknowledged
/// write.
enum JournalSnapshotFile {
    static let name = "snapshot"
    static let temporaryName = "snapshot.tmp"
    static let previousName = "snapshot.previous"
    static let previousTemporaryName = "snapshot.previous.tmp"
    static let headerSize = 32
    static let magic: [UInt8] = Array("CSNP".utf8)
    static let version: UInt32 = 1

    /// Writes a snapshot covering the records below `sequence`, with a payload produced by `produce`, atomically.
    static func write(
        in directory: DataDirectory, sequence: UInt64, faults: JournalFaults,
        produce: (JournalSnapshotWriter) throws(JournalError) -> Void
    ) throws(JournalError) {
        let temporary = directory.file(temporaryName)
        let descriptor: Int32
        do {
            descriptor = try JournalPOSIX.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: JournalPOSIX.privateFileMode)
        } catch {
            throw JournalError(error)
        }
        var renamed = false
        defer {
            // A half-written temporary file is harmless (replay deletes it), but don't leave it around.
            if !renamed { _ = try? JournalPOSIX.unlink(temporary) }
        }
        let writer = JournalSnapshotWriter(descriptor: descriptor, path: temporary, faults: faults)
        do {
            try produce(writer)
            try writer.finish(sequence: sequence)
        } catch {
            JournalPOSIX.close(descriptor)
            throw error
        }
        JournalPOSIX.close(descriptor)
        do {
            try keepCurrentAsPrevious(in: directory)
            try JournalPOSIX.rename(temporary, to: directory.file(name))
            renamed = true
            try directory.sync()
        } catch {
            throw JournalError(error)
        }
    }

    /// Makes the current snapshot, if any, the previous one: a second name for it, renamed over the old previous,
    /// so that at every instant `snapshot` exists and `snapshot.previous` is whole.
    private static func keepCurrentAsPrevious(in directory: DataDirectory) throws(JournalPOSIXFailure) {
        let current = directory.file(name)
        let linked = directory.file(previousTemporaryName)
        _ = try JournalPOSIX.unlink(linked)
        do {
            try JournalPOSIX.link(current, to: linked)
        } catch where error.code == ENOENT {
            return
        }
        try JournalPOSIX.rename(linked, to: directory.file(previousName))
    }

    /// Checks the snapshot's header and size, if there is a snapshot, without reading its payload. A damaged
    /// snapshot is not something a crash can produce (it was synced before it was renamed), so it is an error;
    /// `salvage` recovers from the previous snapshot and the journal kept since it.
    static func locate(in directory: DataDirectory, name: String = name) throws(JournalError) -> JournalSnapshotLocation? {
        let path = directory.file(name)
        let file: JournalSnapshotFileReader
        do {
            guard let opened = try JournalSnapshotFileReader(path: path) else { return nil }
            file = opened
        } catch {
            throw JournalError(error)
        }
        guard file.size >= headerSize else {
            throw JournalError.corrupt("\(path) is not a snapshot (too short)")
        }
        let bytes = try file.bytes(at: 0, count: headerSize)
        guard Array(bytes[0..<4]) == magic else {
            throw JournalError.corrupt("\(path) is not a snapshot (wrong magic)")
        }
        let header = bytes.withUnsafeBytes { raw in
            (
                version: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)),
                sequence: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                length: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                payloadChecksum: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt32.self)),
                headerChecksum: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 28, as: UInt32.self)),
                actualHeaderChecksum: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<28]))
            )
        }
        guard header.headerChecksum == header.actualHeaderChecksum else {
            throw JournalError.corrupt("\(path): header checksum mismatch")
        }
        guard header.version == version else {
            throw JournalError.corrupt("\(path): snapshot version \(header.version) is not \(version)")
        }
        guard header.length == UInt64(file.size - headerSize) else {
            throw JournalError.corrupt(
                "\(path): header says \(header.length) payload bytes, file has \(file.size - headerSize)")
        }
        return JournalSnapshotLocation(
            file: file, sequence: header.sequence, payloadLength: Int(header.length), payloadChecksum: header.payloadChecksum)
    }

    /// Encodes the header for a finished payload.
    static func header(sequence: UInt64, length: UInt64, checksum: UInt32) -> [UInt8] {
        var header = magic
        withUnsafeBytes(of: version.littleEndian) { header.append(contentsOf: $0) }
        withUnsafeBytes(of: sequence.littleEndian) { header.append(contentsOf: $0) }
        withUnsafeBytes(of: length.littleEndian) { header.append(contentsOf: $0) }
        withUnsafeBytes(of: checksum.littleEndian) { header.append(contentsOf: $0) }
        let headerChecksum = CRC32C.checksum(header)
        withUnsafeBytes(of: headerChecksum.littleEndian) { header.append(contentsOf: $0) }
        return header
    }
}
