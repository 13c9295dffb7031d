import Foundation
import Testing
@testable import CallCore

/// Damage on disk as replay and salvage meet it: damage with intact groups after it refuses to start and changes
/// nothing; `JournalSalvage` keeps every intact record around it.
@Suite struct JournalDamageTests {
    /// A journal of `count` single-record appends (one group each) in a fresh directory.
    private func journalOfSingleAppends(_ directory: JournalTestDirectory, count: Int) throws -> [[UInt8]] {
        let records = (0..<count).map { journalRecord($0, padding: 30) }
        let (dataDirectory, journal, _) = try openJournal(directory)
        for record in records { try journal.appendAndWait([record]) }
        journal.close()
        dataDirectory.close()
        return records
    }

    /// Every file of the directory and its bytes.
    private func contents(_ directory: JournalTestDirectory) -> [String: [UInt8]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return Dictionary(uniqueKeysWithValues: names.filter { $0 != "LOCK" }.map { ($0, directory.read($0)) })
    }

    /// The refusal replay gives, or nil when it opened.
    private func refusal(_ directory: JournalTestDirectory) -> String? {
        do {
            _ = try recoverJournal(directory)
            return nil
        } catch let error as JournalError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [0, 3, 26, 28, 33, 40])
    func damageInTheFirstGroupWithIntactGroupsAfterRefusesAndChangesNothing(offset: Int) throws {
        let directory = JournalTestDirectory("damage")
        defer { directory.remove() }
        _ = try journalOfSingleAppends(directory, count: 6)
        let name = directory.firstSegment
        var log = directory.read(name)
        for index in offset..<(offset + 8) { log[index] = 0 }
        directory.write(name, log)
        let before = contents(directory)
        let message = try #require(refusal(directory), "damage at \(offset) with intact groups after it was accepted")
        #expect(message.contains(directory.file(name)))
        #expect(message.contains("offset 0"))
        #expect(message.contains("5 intact record(s) follow"))
        #expect(message.contains("salvage"))
        #expect(contents(directory) == before, "a refused start changed files")
    }

    @Test func damageInAMiddleGroupsHeaderOrPayloadRefuses() throws {
        let directory = JournalTestDirectory("damage")
        defer { directory.remove() }
        let records = try journalOfSingleAppends(directory, count: 5)
        let name = directory.firstSegment
        let original = directory.read(name)
        let groupSize = JournalGroupFrame.headerSize + 8 + records[0].count
        for offset in [2 * groupSize + 5, 2 * groupSize + 20, 2 * groupSize + 40] {
            var log = original
            log[offset] ^= 0x04
            directory.write(name, log)
            let message = try #require(refusal(directory), "damage at \(offset) was accepted")
            #expect(message.contains("offset \(2 * groupSize)") && message.contains("2 intact record(s) follow"))
        }
    }

    @Test func salvageReadingKeepsRecordsOnBothSidesAndCountsTheLoss() throws {
        let directory = JournalTestDirectory("damage")
        defer { directory.remove() }
        let records = try journalOfSingleAppends(directory, count: 6)
        let name = directory.firstSegment
        var log = directory.read(name)
        let groupSize = JournalGroupFrame.headerSize + 8 + records[0].count
        log[3 * groupSize + JournalGroupFrame.headerSize + 12] ^= 0x01
        directory.write(name, log)
        let dataDirectory = try DataDirectory(path: directory.path)
        defer { dataDirectory.close() }
        let reading = try JournalSalvage.read(directory: dataDirectory, from: 0, maximumRecordLength: 1 << 20)
        #expect(reading.records == records.enumerated().filter { $0.offset != 3 }.map(\.element))
        #expect(reading.lost == 1)
        #expect(reading.findings.contains { $0.contains(name) && $0.contains("1 lost") })
        #expect(reading.nextSequence == 6)
    }

    /// A directory written before groups were framed is read, and new records go to a segment of the current format.
    @Test func segmentOfTheFirstFormatIsReadAndNotAppendedTo() throws {
        let directory = JournalTestDirectory("legacy")
        defer { directory.remove() }
        let old = (0..<4).map { journalRecord($0) }
        var bytes: [UInt8] = []
        for record in old { LegacyJournalFrame.append(record, to: &bytes) }
        directory.write("FORMAT", Array("1\n".utf8))
        let legacyName = JournalSegmentName.legacyName(start: 0)
        directory.write(legacyName, bytes)
        do {
            let (dataDirectory, journal, recovered) = try openJournal(directory)
            #expect(recovered.records == old)
            try journal.appendAndWait([journalRecord(4)])
            journal.close()
            dataDirectory.close()
        }
        #expect(directory.read(legacyName) == bytes)
        #expect(directory.segmentNames().count == 2)
        #expect(JournalSegmentName.parse(directory.segment(startingAt: 4))?.salt != nil)
        #expect(try recoverJournal(directory).records == old + [journalRecord(4)])
        #expect(String(decoding: directory.read("FORMAT"), as: UTF8.self) == "2\n")
    }

    /// Compaction keeps the snapshot it replaces and the segments since it until the next compaction succeeds.
    @Test func previousSnapshotAndItsJournalAreKeptUntilTheNextCompaction() throws {
        let directory = JournalTestDirectory("retention")
        defer { directory.remove() }
        let (dataDirectory, journal, _) = try openJournal(directory)
        try journal.appendAndWait([journalRecord(0), journalRecord(1)])
        try journal.compact(snapshot: Array("first".utf8), upTo: 2)
        try journal.appendAndWait([journalRecord(2)])
        try journal.compact(snapshot: Array("second".utf8), upTo: 3)
        #expect(Array(directory.read("snapshot.previous").suffix(5)) == Array("first".utf8))
        #expect(directory.segmentNames().map { JournalSegmentName.parse($0)?.start } == [2, 3])
        try journal.appendAndWait([journalRecord(3)])
        try journal.compact(snapshot: Array("third".utf8), upTo: 4)
        #expect(Array(directory.read("snapshot.previous").suffix(6)) == Array("second".utf8))
        #expect(directory.segmentNames().map { JournalSegmentName.parse($0)?.start } == [3, 4])
        journal.close()
        dataDirectory.close()
        let recovered = try recoverJournal(directory)
        #expect(recovered.snapshot == Array("third".utf8) && recovered.records.isEmpty)
        // A damaged retained segment is not read at startup: only the previous snapshot needs it.
        let retained = directory.segment(startingAt: 3)
        directory.write(retained, [UInt8](repeating: 0xEE, count: 64))
        #expect(try recoverJournal(directory).snapshot == Array("third".utf8))
    }
}
