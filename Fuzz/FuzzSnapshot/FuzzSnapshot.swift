import FuzzSupport
@testable import CallCore

#if canImport(Glibc)
import Glibc
#endif

/// The snapshot loader on any payload: loading must answer a store or an error, never trap or read out of
/// bounds. The checksums are set right before loading (`SnapshotChecksums`), so the fuzzer reaches the checks
/// behind them (the directory, section shapes, orders, call blocks, held writes, the changes feed) instead of
/// stopping at the first checksum; a snapshot that is damaged with matching checksums must be refused too.
///
/// Input: the snapshot payload (what follows the snapshot file's header).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var payload = Array(FuzzDriver.bytes(data, size))
    let checksum = SnapshotChecksums.repair(&payload)
    guard let location = SnapshotFile.location(of: payload, checksum: checksum) else { return 0 }
    _ = Result { () throws(StoreSnapshotError) in try StoreSnapshot.loadWithChanges(location, legacyUpdatedTimestamp: 1) }
    return 0
}

/// The payload in a snapshot file, as the journal hands it to the loader.
private enum SnapshotFile {
    private static let path = "/tmp/callserver-fuzz-snapshot-\(getpid())"

    /// Writes the file (the header's bytes are never read by the loader, so zeros do) and opens it; the name is
    /// removed at once, the open descriptor keeps the contents.
    static func location(of payload: [UInt8], checksum: UInt32) -> JournalSnapshotLocation? {
        let file = [UInt8](repeating: 0, count: JournalSnapshotFile.headerSize) + payload
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { fatalError("cannot create \(path): errno \(errno)") }
        let written = file.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == file.count else { fatalError("cannot write \(path): errno \(errno)") }
        defer { unlink(path) }
        guard let reader = try? JournalSnapshotFileReader(path: path) else { fatalError("cannot open \(path)") }
        return JournalSnapshotLocation(file: reader, sequence: 0, payloadLength: payload.count, payloadChecksum: checksum)
    }
}

/// Rewrites the checksums of an indexed snapshot payload (each section's running CRC-32C in the directory and the
/// one in the trailer) to match its bytes, wherever the trailer and the directory entries point inside the payload.
private enum SnapshotChecksums {
    /// Repairs `payload` and returns the checksum its header would carry.
    static func repair(_ payload: inout [UInt8]) -> UInt32 {
        let trailerSize = SnapshotSectionWriter.trailerSize
        let preambleSize = SnapshotSectionWriter.preambleSize
        guard payload.count >= preambleSize + trailerSize, Array(payload[0..<4]) == SnapshotSectionWriter.magic else {
            return CRC32C.checksum(payload)
        }
        let trailer = payload.count - trailerSize
        let directory = Int(truncatingIfNeeded: load(payload, trailer, UInt64.self))
        let count = load(payload, trailer + 8, UInt64.self)
        guard directory >= preambleSize, directory <= trailer,
            count == UInt64((trailer - directory) / SnapshotSection.size), (trailer - directory) % SnapshotSection.size == 0
        else { return CRC32C.checksum(payload) }
        var seed = CRC32C.checksum(Array(payload[0..<preambleSize]))
        for index in 0..<Int(count) {
            let entry = directory + index * SnapshotSection.size
            let offset = Int(truncatingIfNeeded: load(payload, entry + 16, UInt64.self))
            let length = Int(truncatingIfNeeded: load(payload, entry + 24, UInt64.self))
            guard offset >= 0, length >= 0, offset <= directory, length <= directory - offset else { break }
            seed = CRC32C.checksum(Array(payload[offset..<(offset + length)]), seed: seed)
            store(&payload, entry + 32, seed)
        }
        store(&payload, trailer + 16, seed)
        return CRC32C.checksum(Array(payload[directory...]), seed: seed)
    }

    private static func load<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, _: T.Type) -> T {
        bytes.withUnsafeBytes { SnapshotBytes.load($0, offset, T.self) }
    }

    private static func store(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + 4), with: $0) }
    }
}

@main
enum FuzzSnapshot {
    static func main() {
        FuzzDriver.run(fuzz)
    }
}
