import Testing
@testable import CallCore

@Suite struct JournalGroupFrameTests {
    private let salt = JournalSalt(0x0123_4567_89AB_CDEF)

    /// Groups of the given records, numbered from `start`.
    private func groups(_ batches: [[[UInt8]]], start: UInt64 = 0, salt: JournalSalt? = nil) -> [UInt8] {
        var buffer: [UInt8] = []
        var next = start
        for batch in batches {
            JournalGroupFrame.appendGroup(batch, firstSequence: next, salt: salt ?? self.salt, to: &buffer)
            next += UInt64(batch.count)
        }
        return buffer
    }

    private func scan(_ bytes: [UInt8], start: UInt64 = 0) -> JournalGroupScan {
        bytes.withUnsafeBytes { JournalGroupScan.scan($0, start: start, salt: salt, maximumLength: 1 << 20) }
    }

    /// The writer's pieces, large payloads referenced where they lie, put together are byte for byte the frame
    /// that copies everything, whatever the mix of sizes around the copy limit.
    @Test func aGroupWrittenInPiecesIsTheCopiedFrame() {
        let limit = JournalGroupBytes.copyLimit
        let mixes = [
            [journalRecord(1)],
            [journalRecord(1, padding: limit)],
            [journalRecord(1, padding: limit - 8), journalRecord(2, padding: 3 * limit), journalRecord(3)],
            [journalRecord(1), journalRecord(2, padding: 2 * limit), journalRecord(3, padding: 2 * limit)],
            (0..<50).map { journalRecord($0, padding: $0 % 7 == 0 ? limit + $0 : $0) },
        ]
        var bytes = JournalGroupBytes()
        for records in mixes {
            bytes.frame(records, firstSequence: 42, salt: salt)
            var written: [UInt8] = []
            bytes.forEachPiece { written.append(contentsOf: $0); return true }
            #expect(written == groups([records], start: 42))
            #expect(bytes.byteCount == written.count)
            #expect(bytes.recordCount == records.count)
            #expect(scan(written, start: 42).records == records)
            bytes.release()
        }
    }

    @Test func scanReturnsEveryRecordOfEveryGroupInOrder() {
        let batches = (0..<20).map { group in (0..<(group % 4 + 1)).map { journalRecord(group * 10 + $0, padding: group) } }
        let bytes = groups(batches, start: 7)
        let result = scan(bytes, start: 7)
        #expect(result.records == batches.flatMap { $0 })
        #expect(result.stop == nil)
        #expect(result.validLength == bytes.count)
    }

    @Test func truncationAtEveryBytePositionKeepsOnlyWholeGroups() {
        let batches = [[journalRecord(1)], [journalRecord(2, padding: 5), journalRecord(3)], [journalRecord(4, padding: 11)]]
        let bytes = groups(batches)
        let boundaries = [0, groups(Array(batches[..<1])).count, groups(Array(batches[..<2])).count, bytes.count]
        for length in 0...bytes.count {
            let result = scan(Array(bytes[..<length]))
            let whole = boundaries.filter { $0 <= length }.count - 1
            #expect(result.records == Array(batches[..<whole].joined()), "length \(length)")
            #expect(result.validLength == boundaries[whole])
            #expect((result.stop == nil) == boundaries.contains(length))
            #expect(result.stop?.followingRecords ?? 0 == 0, "a torn tail is never damage")
        }
    }

    /// Pages of the last group can reach the disk in any order: intact records after a bad one in that group are
    /// not damage.
    @Test func damageInsideTheLastGroupIsATornTailWhateverFollowsInIt() {
        let bytes = groups([[journalRecord(1)], (2..<6).map { journalRecord($0, padding: 20) }])
        let lastGroup = groups([[journalRecord(1)]]).count
        for offset in lastGroup..<bytes.count {
            var damaged = bytes
            damaged[offset] ^= 0x10
            let result = scan(damaged)
            #expect(result.records == [journalRecord(1)], "offset \(offset)")
            #expect(result.stop?.offset == lastGroup)
            #expect(result.stop?.followingRecords == 0, "offset \(offset)")
        }
    }

    @Test func damageBeforeTheLastGroupCountsTheRecordsThatFollow() {
        let batches = [[journalRecord(1)], [journalRecord(2), journalRecord(3)], [journalRecord(4)], [journalRecord(5)]]
        let bytes = groups(batches)
        let second = groups(Array(batches[..<1])).count
        let third = groups(Array(batches[..<2])).count
        for offset in second..<third {
            var damaged = bytes
            damaged[offset] = damaged[offset] == 0 ? 0xFF : 0
            let result = scan(damaged)
            #expect(result.records == [journalRecord(1)], "offset \(offset)")
            #expect(result.stop?.offset == second)
            #expect(result.stop?.followingRecords == 2, "offset \(offset)")
            #expect(result.stop?.followingOffset == third)
        }
    }

    /// A record whose bytes are a well-formed group of another salt (what a client could put in a transcript) is
    /// never taken for a frame, even when a scan looks past damage for one.
    @Test func framesInsideAPayloadDoNotPassForFramesOfTheSegment() {
        let forged = groups([[journalRecord(100)], [journalRecord(101)]], start: 1, salt: JournalSalt(42))
        var bytes = groups([[forged]])
        bytes[2] ^= 0xFF  // the only real group's header
        let result = scan(bytes)
        #expect(result.records.isEmpty)
        #expect(result.stop?.followingRecords == 0)
        let salvage = bytes.withUnsafeBytes {
            JournalGroupSalvage.walk($0, start: 0, salt: salt, maximumLength: 1 << 20)
        }
        #expect(salvage.records.isEmpty)
        #expect(salvage.droppedTail == bytes.count)
    }

    @Test func salvageKeepsIntactRecordsOnBothSidesOfDamage() {
        let batches = [[journalRecord(1)], [journalRecord(2), journalRecord(3)], [journalRecord(4)], [journalRecord(5)]]
        let bytes = groups(batches)
        let second = groups(Array(batches[..<1])).count
        // A damaged header: its records are found by their own checksums.
        var header = bytes
        header[second + 1] ^= 0x01
        let fromHeader = header.withUnsafeBytes { JournalGroupSalvage.walk($0, start: 0, salt: salt, maximumLength: 1 << 20) }
        #expect(fromHeader.records.map { Array(header[$0.payload]) } == batches.flatMap { $0 })
        #expect(fromHeader.records.map(\.sequence) == [0, 1, 2, 3, 4])
        #expect(fromHeader.lost == 0)
        // A damaged payload: that record is lost, the group header says so.
        var payload = bytes
        payload[second + JournalGroupFrame.headerSize + 9] ^= 0x01
        let fromPayload = payload.withUnsafeBytes { JournalGroupSalvage.walk($0, start: 0, salt: salt, maximumLength: 1 << 20) }
        #expect(fromPayload.records.map { Array(payload[$0.payload]) } == [journalRecord(1), journalRecord(3), journalRecord(4), journalRecord(5)])
        #expect(fromPayload.lost == 1)
    }

    @Test func validationRefusesEmptyAndOversizedRecords() {
        #expect(JournalGroupFrame.validate([], maximumLength: 10) != nil)
        #expect(JournalGroupFrame.validate([UInt8](repeating: 1, count: 11), maximumLength: 10) != nil)
        #expect(JournalGroupFrame.validate([UInt8](repeating: 1, count: 10), maximumLength: 10) == nil)
    }

    @Test func segmentNamesCarryStartAndSalt() {
        let name = JournalSegmentName.name(start: 42, salt: 0xAB)
        #expect(name == "journal-00000000000000000042-00000000000000ab.log")
        #expect(JournalSegmentName.parse(name)?.start == 42 && JournalSegmentName.parse(name)?.salt == 0xAB)
        #expect(JournalSegmentName.parse("journal-00000000000000000042.log")?.salt == nil)
        #expect(JournalSegmentName.parse("journal-00000000000000000042.log")?.start == 42)
        #expect(JournalSegmentName.parse("journal-42.log") == nil)
        #expect(JournalSegmentName.parse("journal-00000000000000000042-AB.log") == nil)
        #expect(JournalSegmentName.parse("snapshot") == nil)
        let last = JournalSegmentName.name(start: UInt64.max, salt: UInt64.max)
        #expect(JournalSegmentName.parse(last)?.start == UInt64.max && JournalSegmentName.parse(last)?.salt == UInt64.max)
    }
}
