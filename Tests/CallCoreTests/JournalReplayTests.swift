import Foundation
import Testing
@testable import CallCore

@Suite struct JournalReplayTests {
    @Test func freshDirectoryRecoversNothing() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let recovered = try recoverJournal(directory)
        #expect(recovered.snapshot == nil)
        #expect(recovered.records.isEmpty)
        #expect(recovered.nextSequence == 0)
        #expect(recovered.droppedTailBytes == 0)
    }

    @Test func appendedRecordsReplayInOrderAcrossRestarts() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        var expected: [[UInt8]] = []
        for session in 0..<3 {
            let (dataDirectory, journal, recovered) = try openJournal(directory)
            #expect(recovered.records == expected)
            #expect(recovered.nextSequence == UInt64(expected.count))
            for index in 0..<20 {
                let batch = [journalRecord(session * 100 + index), journalRecord(session * 100 + index, padding: 300)]
                try journal.appendAndWait(batch)
                expected += batch
            }
            #expect(journal.durableSequence == UInt64(expected.count))
            journal.close()
            dataDirectory.close()
        }
        #expect(try recoverJournal(directory).records == expected)
    }

    @Test func byteSizeCountsFramedBytes() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let (dataDirectory, journal, _) = try openJournal(directory)
        try journal.appendAndWait([[1, 2, 3], [4]])
        #expect(journal.byteSize == JournalGroupFrame.headerSize + (8 + 3) + (8 + 1))
        journal.close()
        dataDirectory.close()
        #expect(directory.read(directory.firstSegment).count == JournalGroupFrame.headerSize + 20)
    }

    /// Cuts the log inside its last group at every byte position, as a crash mid-write would.
    @Test func tornLastGroupIsDroppedAtEveryBytePosition() throws {
        let source = JournalTestDirectory("source")
        defer { source.remove() }
        let earlier = (0..<5).map { journalRecord($0, padding: 7) }
        let last = journalRecord(99, padding: 40)
        do {
            let (dataDirectory, journal, _) = try openJournal(source)
            try journal.appendAndWait(earlier)
            try journal.appendAndWait([last])
            journal.close()
            dataDirectory.close()
        }
        let name = source.firstSegment
        let log = source.read(name)
        let lastStart = log.count - (JournalGroupFrame.headerSize + 8 + last.count)
        for length in lastStart..<log.count {
            let directory = JournalTestDirectory("torn")
            defer { directory.remove() }
            directory.write("FORMAT", Array("2\n".utf8))
            directory.write(name, Array(log[..<length]))

            let (dataDirectory, journal, recovered) = try openJournal(directory)
            #expect(recovered.records == earlier, "cut at \(length)")
            #expect(recovered.droppedTailBytes == length - lastStart)
            #expect(recovered.diagnostics.isEmpty == (length == lastStart))
            // The file is cut back to the last whole record, so appending continues cleanly.
            #expect(directory.read(directory.firstSegment).count == lastStart)
            try journal.appendAndWait([journalRecord(1000)])
            journal.close()
            dataDirectory.close()

            let again = try recoverJournal(directory)
            #expect(again.records == earlier + [journalRecord(1000)], "cut at \(length)")
            #expect(again.droppedTailBytes == 0)
        }
    }

    /// Damage in the last group cannot be told from a torn write: the whole group is dropped and logged.
    @Test func lastGroupWithBadChecksumIsDropped() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let records = (0..<4).map { journalRecord($0, padding: 10) }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory)
            try journal.appendAndWait(Array(records[..<3]))
            try journal.appendAndWait([records[3], records[3]])
            journal.close()
            dataDirectory.close()
        }
        var log = directory.read(directory.firstSegment)
        log[log.count - 3] ^= 0x40
        directory.write(directory.firstSegment, log)

        let recovered = try recoverJournal(directory)
        #expect(recovered.records == Array(records[..<3]))
        #expect(recovered.droppedTailBytes == JournalGroupFrame.headerSize + 2 * (8 + records[3].count))
        #expect(recovered.diagnostics.contains { $0.contains("is damaged") && $0.contains("cannot be told apart") })
    }

    @Test func zeroFilledTailIsDropped() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory)
            try journal.appendAndWait([journalRecord(1)])
            journal.close()
            dataDirectory.close()
        }
        directory.write(directory.firstSegment, directory.read(directory.firstSegment) + [UInt8](repeating: 0, count: 4096))
        let recovered = try recoverJournal(directory)
        #expect(recovered.records == [journalRecord(1)])
        #expect(recovered.droppedTailBytes == 4096)
    }

    @Test func damageInAnOlderSegmentRefusesToStart() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        try makeTwoSegments(directory)
        let oldest = try #require(directory.segmentNames().first)
        var log = directory.read(oldest)
        log[log.count - 1] ^= 0x01
        directory.write(oldest, log)
        #expect(throws: JournalError.self) { _ = try recoverJournal(directory) }
    }

    @Test func missingSegmentRefusesToStart() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        try makeTwoSegments(directory)
        let oldest = try #require(directory.segmentNames().first)
        try FileManager.default.removeItem(atPath: directory.file(oldest))
        do {
            _ = try recoverJournal(directory)
            Issue.record("a journal with a missing segment opened")
        } catch let error as JournalError {
            guard case .corrupt(let why) = error else { throw error }
            #expect(why.contains("missing"))
        }
    }

    @Test func leftoverTemporarySnapshotIsRemoved() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory)
            try journal.appendAndWait([journalRecord(1)])
            journal.close()
            dataDirectory.close()
        }
        directory.write("snapshot.tmp", [1, 2, 3])
        let recovered = try recoverJournal(directory)
        #expect(recovered.records == [journalRecord(1)])
        #expect(recovered.snapshot == nil)
        #expect(!FileManager.default.fileExists(atPath: directory.file("snapshot.tmp")))
    }

    @Test func damagedSnapshotRefusesToStart() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory)
            try journal.appendAndWait([journalRecord(1)])
            try journal.compact(snapshot: Array("state".utf8), upTo: 1)
            journal.close()
            dataDirectory.close()
        }
        var snapshot = directory.read("snapshot")
        snapshot[snapshot.count - 1] ^= 0x01
        directory.write("snapshot", snapshot)
        #expect(throws: JournalError.self) { _ = try recoverJournal(directory) }
    }

    /// Two segments: records 0..<3 in the first, 3..<5 in the second (a compaction that kept its sequence at 0).
    private func makeTwoSegments(_ directory: JournalTestDirectory) throws {
        let (dataDirectory, journal, _) = try openJournal(directory)
        try journal.appendAndWait((0..<3).map { journalRecord($0) })
        try journal.compact(snapshot: [], upTo: 0)
        try journal.appendAndWait((3..<5).map { journalRecord($0) })
        journal.close()
        dataDirectory.close()
        #expect(directory.segmentNames().count == 2)
    }
}
