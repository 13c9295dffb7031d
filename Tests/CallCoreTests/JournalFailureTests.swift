import Foundation
import Testing
@testable import CallCore

@Suite struct JournalFailureTests {
    @Test func failedSyncIsNotAcknowledgedAndLaterAppendsFailUntilRecovery() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory, options: Journal.Options(retryInterval: nil))
            try journal.appendAndWait([journalRecord(0)])
            journal.faults.inject(.segmentSync, errno: EIO)
            do {
                try journal.appendAndWait([journalRecord(1)])
                Issue.record("a batch whose fdatasync failed was acknowledged")
            } catch {
                guard case .io(let operation, _, let code, _) = error else { throw error }
                #expect(operation == "fdatasync" && code == EIO)
            }
            #expect(!journal.isAvailable)
            #expect(throws: JournalError.unavailable) { try journal.appendAndWait([journalRecord(2)]) }
            #expect(journal.durableSequence == 1)
            // The unacknowledged bytes were cut off right away.
            #expect(directory.read(directory.firstSegment).count == JournalGroupFrame.headerSize + 8 + journalRecord(0).count)

            #expect(journal.recoverIfPossible())
            #expect(journal.isAvailable)
            try journal.appendAndWait([journalRecord(3)])
            #expect(journal.statistics.failedCommits == 1)
            #expect(journal.statistics.recoveries == 1)
            journal.close()
            dataDirectory.close()
        }
        let recovered = try recoverJournal(directory)
        #expect(recovered.records == [journalRecord(0), journalRecord(3)])
        #expect(recovered.droppedTailBytes == 0)
    }

    /// With small records the group is one copied buffer; with large ones the half that lands ends inside a record
    /// written from its own storage.
    @Test(arguments: [100, 3 * JournalGroupBytes.copyLimit])
    func partialWriteOnFullDiskIsCutBackAndNotAcknowledged(padding: Int) throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        do {
            let (dataDirectory, journal, _) = try openJournal(directory, options: Journal.Options(retryInterval: nil))
            try journal.appendAndWait([journalRecord(0)])
            journal.faults.inject(.segmentWrite, errno: ENOSPC)
            #expect(throws: JournalError.self) {
                try journal.appendAndWait([journalRecord(1, padding: padding), journalRecord(2, padding: padding)])
            }
            #expect(journal.byteSize == JournalGroupFrame.headerSize + 8 + journalRecord(0).count)
            #expect(directory.read(directory.segmentNames().last ?? "").count == journal.byteSize)
            #expect(journal.recoverIfPossible())
            try journal.appendAndWait([journalRecord(3)])
            journal.close()
            dataDirectory.close()
        }
        let recovered = try recoverJournal(directory)
        #expect(recovered.records == [journalRecord(0), journalRecord(3)])
        #expect(recovered.droppedTailBytes == 0)
    }

    @Test func appendsQueuedBehindAFailedBatchAreNotAcknowledged() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let (dataDirectory, journal, _) = try openJournal(directory, options: Journal.Options(retryInterval: nil))
        defer { dataDirectory.close() }
        defer { journal.close() }
        journal.faults.inject(.segmentSync, errno: EIO)
        let outcomes = JournalTestLog<Bool>()
        let done = DispatchSemaphore(value: 0)
        for index in 0..<50 {
            journal.append([journalRecord(index)]) { result in
                if case .success = result { outcomes.append(true) } else { outcomes.append(false) }
                done.signal()
            }
        }
        for _ in 0..<50 { done.wait() }
        // Whatever batches the writer formed, the first failed, so nothing may be acknowledged before recovery.
        #expect(outcomes.all.allSatisfy { !$0 })
        #expect(journal.durableSequence == 0)
        #expect(journal.recoverIfPossible())
        try journal.appendAndWait([journalRecord(100)])
        #expect(journal.durableSequence == 1)
    }

    @Test func recoveryFailsWhileTheLogCannotBeCutBack() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let (dataDirectory, journal, _) = try openJournal(directory, options: Journal.Options(retryInterval: nil))
        defer { dataDirectory.close() }
        defer { journal.close() }
        journal.faults.inject(.segmentSync, errno: EIO)
        journal.faults.inject(.segmentTruncate, errno: EIO, times: 2)
        #expect(throws: JournalError.self) { try journal.appendAndWait([journalRecord(0)]) }
        #expect(!journal.recoverIfPossible())
        #expect(throws: JournalError.unavailable) { try journal.appendAndWait([journalRecord(1)]) }
        #expect(journal.recoverIfPossible())
        try journal.appendAndWait([journalRecord(2)])
    }

    @Test func writerRetriesOnItsOwn() throws {
        let directory = JournalTestDirectory()
        defer { directory.remove() }
        let (dataDirectory, journal, _) = try openJournal(
            directory, options: Journal.Options(retryInterval: .milliseconds(10)))
        defer { dataDirectory.close() }
        defer { journal.close() }
        journal.faults.inject(.segmentSync, errno: EIO)
        #expect(throws: JournalError.self) { try journal.appendAndWait([journalRecord(0)]) }
        let deadline = ContinuousClock.now + .seconds(10)
        while !journal.isAvailable && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(journal.isAvailable)
        try journal.appendAndWait([journalRecord(1)])
    }

    @Test func errorsDescribeThemselves() {
        #expect(JournalError.unavailable.description.contains("unavailable"))
        let io = JournalError.io(operation: "fdatasync", path: "/d/journal.log", errno: EIO, reason: "Input/output error")
        #expect(io.description.contains("fdatasync") && io.description.contains("/d/journal.log"))
    }
}
