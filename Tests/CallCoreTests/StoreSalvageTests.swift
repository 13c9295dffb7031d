import Foundation
import Testing
@testable import CallCore

/// `salvage` on real call data: it keeps every intact record on both sides of damage, falls back to the previous
/// snapshot when the current one's calls are damaged, and leaves a directory that starts.
@Suite struct StoreSalvageTests {
    private typealias Generator = TestSupport.SeededGenerator

    /// A directory holding `calls`: the first `snapshotted` written one per append and compacted into a snapshot
    /// (and compacted once more, so that snapshot has a previous one), the rest one per append after it.
    private func directoryHolding(_ calls: [Call], snapshotted: Int) throws -> JournalTestDirectory {
        let directory = JournalTestDirectory("salvage")
        let (dataDirectory, journal, _) = try openJournal(directory)
        var store = IndexedCallStore(partitions: [:], options: IndexedCallStore.Options())
        for (index, call) in calls.enumerated() {
            try journal.appendAndWait([MutationRecord.encode([.upsert(call)])])
            store = store.applying([.upsert(call)])
            if index + 1 == snapshotted / 2 || index + 1 == snapshotted {
                let written = store
                try journal.compact(upTo: UInt64(index + 1)) { writer throws(JournalError) in
                    try StoreSnapshot.write(written, to: writer)
                }
            }
        }
        journal.close()
        dataDirectory.close()
        return directory
    }

    /// The calls a normal start finds in `directory` (snapshot plus journal).
    private func startedCalls(_ directory: JournalTestDirectory) throws -> [Call] {
        let (dataDirectory, journal, recovered) = try openJournal(directory, options: Journal.Options(readsSnapshotPayload: false))
        defer {
            journal.close()
            dataDirectory.close()
        }
        var store = try StoreSnapshot.loadWithChanges(recovered.snapshotLocation, legacyUpdatedTimestamp: 0).store
        for record in recovered.records {
            if case .mutations(let batch) = try MutationRecord.decodeEntry(record, legacyUpdatedTimestamp: 0) {
                store = store.applying(batch)
            }
        }
        return store.allCalls
    }

    private func sorted(_ calls: [Call]) -> [Call] {
        calls.sorted { ($0.organizationID, $0.callID) < ($1.organizationID, $1.callID) }
    }

    @Test func journalDamageIsRefusedThenSalvageKeepsEveryIntactCall() throws {
        var g = Generator(seed: 99)
        var ids = 0
        let calls = RandomCalls.randomStore(&g, size: 30, ids: &ids)
        let directory = try directoryHolding(calls, snapshotted: 10)
        defer { directory.remove() }
        // Damage the payload of the 5th record after the snapshot (call 14): later groups stay intact.
        let name = directory.segment(startingAt: 10)
        var log = directory.read(name)
        var offset = 0
        for _ in 0..<4 {
            let body = log.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)) }
            offset += JournalGroupFrame.headerSize + Int(body)
        }
        log[offset + JournalGroupFrame.headerSize + 20] ^= 0x20
        directory.write(name, log)
        #expect(throws: JournalError.self) { _ = try recoverJournal(directory) }

        let report = try StoreSalvage.run(path: directory.path, now: 1)
        #expect(report.lostRecords == 1)
        #expect(report.keptRecords == 19)
        #expect(report.calls == 29)
        #expect(report.lines.contains { $0.contains(name) })
        let expected = calls.enumerated().filter { $0.offset != 14 }.map(\.element)
        #expect(sorted(try startedCalls(directory)) == sorted(expected))
        // The replaced files are kept, byte for byte.
        #expect(FileManager.default.contents(atPath: report.keptFilesDirectory + "/" + name) == Data(log))
    }

    @Test func damagedSnapshotCallsAreRecoveredFromThePreviousSnapshotAndTheJournal() throws {
        var g = Generator(seed: 7)
        var ids = 0
        let calls = RandomCalls.randomStore(&g, size: 40, ids: &ids)
        let directory = try directoryHolding(calls, snapshotted: 30)
        defer { directory.remove() }
        let sections = try directory.snapshotSections()
        // The calls are held writes on top of an empty base: damage them.
        let block = try #require(sections.first { $0.tag == SnapshotTag.delta.rawValue && $0.length > 100 })
        var snapshot = directory.read("snapshot")
        snapshot[JournalSnapshotFile.headerSize + block.offset + block.length / 2] ^= 0x01
        directory.write("snapshot", snapshot)
        #expect(throws: (any Error).self) { _ = try startedCalls(directory) }

        let report = try StoreSalvage.run(path: directory.path, now: 1)
        #expect(report.lostRecords == 0)
        #expect(report.calls == 40)
        #expect(report.lines.contains { $0.contains("snapshot.previous") })
        #expect(sorted(try startedCalls(directory)) == sorted(calls))
    }
}
