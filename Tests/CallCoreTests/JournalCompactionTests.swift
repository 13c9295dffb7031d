import Foundation
import Locking
import Synchronization
import Testing
@testable import CallCore

@Suite struct JournalCompactionTests {
    /// A snapshot payload for tests: the covered records, framed like the log.
    private func encode(_ records: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in records { LegacyJournalFrame.append(record, to: &bytes) }
        return bytes
    }

    private func decode(_ snapshot: [UInt8]?) -> [[UInt8]] {
        guard let snapshot else { return [] }
        return snapshot.withUnsafeBytes { LegacyJournalFrame.scan($0, maximumLength: 1 << 20) }.records
    }

    @Test func snapshotThenLaterRecordsAreRecovered() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let before = (0..<10).map { journalRecord($0) }
        let after = (10..<15).map { journalRecord($0) }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory)
            try journal.appendAndWait(before)
            try journal.compact(snapshot: encode(before), upTo: 10)
            #expect(journal.snapshotSequence == 10)
            #expect(journal.byteSize == 0)
            // The segment before the snapshot stays (unread) until the next compaction, for the previous snapshot.
            #expect(directory.segmentNames().map { JournalSegmentName.parse($0)?.start } == [0, 10])
            try journal.appendAndWait(after)
            journal.close()
            dataDirectory.close()
        }
        let recovered = try recoverJournal(directory)
        #expect(decode(recovered.snapshot) == before)
        #expect(recovered.snapshotSequence == 10)
        #expect(recovered.records == after)
        #expect(recovered.nextSequence == 15)
    }

    /// When appends raced ahead of the snapshot, the segment with the uncovered records stays, and replay skips
    /// the records the snapshot already holds.
    @Test func laggingSnapshotKeepsTheSegmentItDoesNotCover() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let records = (0..<13).map { journalRecord($0) }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory)
            try journal.appendAndWait(Array(records[..<10]))
            try journal.compact(snapshot: encode(Array(records[..<5])), upTo: 5)
            #expect(journal.segmentCount == 2)
            try journal.appendAndWait(Array(records[10...]))
            journal.close()
            dataDirectory.close()
        }
        let recovered = try recoverJournal(directory)
        #expect(decode(recovered.snapshot) == Array(records[..<5]))
        #expect(recovered.records == Array(records[5...]))

        let (dataDirectory, journal, _) = try openJournal(directory)
        try journal.compact(snapshot: encode(records), upTo: 13)
        #expect(journal.segmentCount == 1)
        // Every segment since the replaced snapshot (5) stays for it, unread, until the next compaction.
        #expect(directory.segmentNames().map { JournalSegmentName.parse($0)?.start } == [0, 10, 13])
        #expect(FileManager.default.fileExists(atPath: directory.file("snapshot.previous")))
        journal.close()
        dataDirectory.close()
        let final = try recoverJournal(directory)
        #expect(decode(final.snapshot) == records)
        #expect(final.records.isEmpty)
    }

    /// A crash after the snapshot was renamed but before old segments were deleted leaves them behind; replay
    /// must not apply their records twice, and removes them.
    @Test func segmentsLeftByAnInterruptedCompactionAreSkippedAndRemoved() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let records = (0..<8).map { journalRecord($0) }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory)
            try journal.appendAndWait(Array(records[..<6]))
            let oldLog = directory.read(directory.firstSegment)
            try journal.compact(snapshot: encode(Array(records[..<6])), upTo: 6)
            try journal.appendAndWait(Array(records[6...]))
            journal.close()
            dataDirectory.close()
            directory.write(directory.firstSegment, oldLog)
        }
        let recovered = try recoverJournal(directory)
        #expect(decode(recovered.snapshot) + recovered.records == records)
        // Without a previous snapshot every segment is kept until the next compaction.
        #expect(directory.segmentNames().map { JournalSegmentName.parse($0)?.start } == [0, 6])
    }

    @Test func compactionWhileAppendsContinueLosesNothing() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        // The domain model: every durable record in order, applied by the hook before acknowledgements.
        let model = Locked<(records: [[UInt8]], sequence: UInt64, contiguous: Bool)>(([], 0, true))
        let options = Journal.Options(beforeCallbacks: { commit in
            model.withLock { state in
                if commit.firstSequence != state.sequence { state.contiguous = false }
                state.records += commit.records
                state.sequence = commit.endSequence
            }
        })
        let (dataDirectory, journal, _) = try openJournal(directory, options: options)
        let acknowledged = JournalTestLog<[UInt8]>()
        let writersDone = Atomic<Int>(0)
        let writers = 8
        let perWriter = 150
        let compactions = Atomic<Int>(0)
        journalRunConcurrently(writers + 1) { index in
            if index == writers {
                // The compactor: snapshot whatever the model holds, keep going until every writer is done.
                while writersDone.load(ordering: .acquiring) < writers || compactions.load(ordering: .relaxed) < 3 {
                    let (records, sequence) = model.withLock { ($0.records, $0.sequence) }
                    do {
                        try journal.compact(snapshot: encode(records), upTo: sequence)
                        compactions.add(1, ordering: .relaxed)
                    } catch {
                        Issue.record("compaction failed: \(error)")
                        return
                    }
                }
                return
            }
            for number in 0..<perWriter {
                let record = journalRecord(index * 10_000 + number, padding: 20)
                do {
                    try journal.appendAndWait([record])
                    acknowledged.append(record)
                } catch {
                    Issue.record("append failed: \(error)")
                }
            }
            writersDone.add(1, ordering: .releasing)
        }
        let expected = model.withLock { $0 }
        #expect(expected.contiguous)
        #expect(compactions.load(ordering: .relaxed) >= 3)
        #expect(journal.segmentCount <= 2)
        journal.close()
        dataDirectory.close()

        let recovered = try recoverJournal(directory)
        let all = decode(recovered.snapshot) + recovered.records
        #expect(all.count == writers * perWriter)
        #expect(all == expected.records)
        #expect(Set(all) == Set(acknowledged.all))
    }

    @Test func failedSnapshotWriteLeavesTheJournalIntact() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let records = (0..<4).map { journalRecord($0) }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory)
            try journal.appendAndWait(records)
            journal.faults.inject(.snapshotWrite, errno: ENOSPC)
            #expect(throws: JournalError.self) { try journal.compact(snapshot: encode(records), upTo: 4) }
            #expect(journal.isAvailable)
            #expect(journal.snapshotSequence == 0)
            try journal.appendAndWait([journalRecord(4)])
            journal.close()
            dataDirectory.close()
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("snapshot.tmp")))
        let recovered = try recoverJournal(directory)
        #expect(recovered.snapshot == nil)
        #expect(recovered.records == records + [journalRecord(4)])
    }

    @Test func failedRotationLeavesTheJournalHealthy() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let (dataDirectory, journal, _) = try openJournal(directory)
        defer { dataDirectory.close() }
        defer { journal.close() }
        try journal.appendAndWait([journalRecord(0)])
        journal.faults.inject(.rotate, errno: EMFILE)
        #expect(throws: JournalError.self) { try journal.compact(snapshot: [], upTo: 1) }
        #expect(journal.isAvailable)
        try journal.compact(snapshot: [], upTo: 1)
        #expect(journal.snapshotSequence == 1)
    }

    @Test func snapshotBeyondTheDurableRecordsIsRefused() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let (dataDirectory, journal, _) = try openJournal(directory)
        defer { dataDirectory.close() }
        defer { journal.close() }
        try journal.appendAndWait([journalRecord(0)])
        #expect(throws: JournalError.self) { try journal.compact(snapshot: [], upTo: 2) }
        try journal.compact(snapshot: [], upTo: 1)
        #expect(throws: JournalError.self) { try journal.compact(snapshot: [], upTo: 0) }
    }

    @Test func streamingSnapshotWritesLargePayloads() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let chunk = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory)
            try journal.compact(upTo: 0) { writer throws(JournalError) in
                for _ in 0..<30 { try writer.write(chunk) }
            }
            journal.close()
            dataDirectory.close()
        }
        let recovered = try recoverJournal(directory)
        #expect(recovered.snapshot?.count == 3_000_000)
        #expect(recovered.snapshot.map { Array($0[0..<100_000]) } == chunk)
        #expect(recovered.snapshot.map { Array($0[2_900_000...]) } == chunk)
    }
}
