import Foundation
import Testing
@testable import CallCore

/// Snapshot payloads whose checksums all match but whose directory, sections or call blocks lie (inputs found
/// with the fuzz target `snapshot`): loading must refuse them with an error, never trap or exhaust memory.
@Suite struct SnapshotHostileBytesTests {
    /// One directory entry and its bytes.
    private struct Section {
        var tag: SnapshotTag
        var width: Int
        var chunk: Int
        var bytes: [UInt8] = []
    }

    /// An indexed payload holding `sections`, with every checksum right.
    private func indexedPayload(_ sections: [Section]) -> [UInt8] {
        var payload = SnapshotSectionWriter.magic
        SnapshotBytes.put(&payload, SnapshotSectionWriter.version)
        var checksum = CRC32C.checksum(payload)
        var directory: [UInt8] = []
        for section in sections {
            let offset = payload.count
            payload += section.bytes
            checksum = CRC32C.checksum(section.bytes, seed: checksum)
            SnapshotSection(
                tag: section.tag.rawValue, width: section.width, chunk: section.chunk, offset: offset,
                length: section.bytes.count, checksumAtEnd: checksum
            ).encode(into: &directory)
        }
        let directoryOffset = payload.count
        payload += directory
        SnapshotBytes.put(&payload, UInt64(directoryOffset))
        SnapshotBytes.put(&payload, UInt64(sections.count))
        SnapshotBytes.put(&payload, checksum)
        return payload + SnapshotSectionWriter.trailerMagic
    }

    /// Loads `payload` as a snapshot file's payload, as the server does at startup.
    private func load(_ payload: [UInt8]) throws -> IndexedCallStore {
        let directory = JournalTestDirectory("snapshot-hostile")
        directory.write("snapshot", [UInt8](repeating: 0, count: JournalSnapshotFile.headerSize) + payload)
        defer { directory.remove() }
        let file = try #require(try JournalSnapshotFileReader(path: directory.file("snapshot")))
        let location = JournalSnapshotLocation(
            file: file, sequence: 0, payloadLength: payload.count, payloadChecksum: CRC32C.checksum(payload))
        return try StoreSnapshot.load(location, legacyUpdatedTimestamp: 0)
    }

    @Test func refusesBitmapPiecesLargerThanAnyFile() {
        // The piece size (chunk × 8 bytes) overflowed before the section's length was looked at.
        for chunk in [1 << 61, Int.max, 3] {
            #expect(throws: StoreSnapshotError.self, "chunk \(chunk)") {
                try load(indexedPayload([Section(tag: .postingBitmaps, width: 8, chunk: chunk, bytes: [UInt8](repeating: 0, count: 16))]))
            }
        }
    }

    @Test func refusesACallsOnlyBlockCountItsBytesCannotHold() {
        // A calls-only payload (before snapshots held the index) whose block claims 2^32 - 1 calls in no bytes:
        // the calls' array was allocated from the count alone (32 GiB).
        var payload = Array("CBIN".utf8)
        SnapshotBytes.put(&payload, UInt32(2))
        SnapshotBytes.put(&payload, UInt32(1))
        SnapshotBytes.put(&payload, UInt32.max)
        SnapshotBytes.put(&payload, UInt64(0))
        #expect(throws: StoreSnapshotError.self) { try load(payload) }
    }

    @Test func wellFormedEmptyPayloadLoads() throws {
        // The same builder makes a payload the loader accepts, so the refusals above are about the lies alone.
        var table: [UInt8] = []
        SnapshotBytes.put(&table, UInt64(0))
        let store = try load(indexedPayload([Section(tag: .store, width: 8, chunk: 0, bytes: table)]))
        #expect(store.allCalls.isEmpty)
    }
}
