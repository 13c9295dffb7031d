import Testing
@testable import CallCore

/// The first format's framing, which replay still reads in segments named without a salt.
@Suite struct LegacyJournalFrameTests {
    private func frames(_ payloads: [[UInt8]]) -> [UInt8] {
        var buffer: [UInt8] = []
        for payload in payloads { LegacyJournalFrame.append(payload, to: &buffer) }
        return buffer
    }

    private func scan(_ bytes: [UInt8]) -> LegacyJournalFrame.Scan {
        bytes.withUnsafeBytes { LegacyJournalFrame.scan($0, maximumLength: 1 << 20) }
    }

    @Test func frameIsLengthThenChecksumThenPayload() {
        let bytes = frames([Array("123456789".utf8)])
        #expect(bytes[0..<8] == [9, 0, 0, 0, 0x83, 0x92, 0x06, 0xE3])
        #expect(Array(bytes[8...]) == Array("123456789".utf8))
    }

    @Test func scanReturnsEveryRecordInOrder() {
        let payloads = (0..<50).map { journalRecord($0, padding: $0) }
        let result = scan(frames(payloads))
        #expect(result.records == payloads)
        #expect(result.problem == nil)
        #expect(result.validLength == frames(payloads).count)
    }

    @Test func truncationAtEveryBytePositionKeepsOnlyWholeRecords() {
        let payloads = [journalRecord(1), journalRecord(2, padding: 5), journalRecord(3, padding: 11)]
        let bytes = frames(payloads)
        let boundaries = [0, frames(Array(payloads[..<1])).count, frames(Array(payloads[..<2])).count, bytes.count]
        for length in 0...bytes.count {
            let result = scan(Array(bytes[..<length]))
            let whole = boundaries.filter { $0 <= length }.count - 1
            #expect(result.records == Array(payloads[..<whole]), "length \(length)")
            #expect(result.validLength == boundaries[whole])
            #expect((result.problem == nil) == boundaries.contains(length))
        }
    }

    @Test func zeroFilledTailIsNotARecord() {
        let result = scan(frames([journalRecord(1)]) + [UInt8](repeating: 0, count: 64))
        #expect(result.records == [journalRecord(1)])
        #expect(result.problem?.contains("zero length") == true)
    }

    @Test func lengthOverTheLimitStopsTheScan() {
        let bytes: [UInt8] = [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0] + [UInt8](repeating: 1, count: 16)
        let result = bytes.withUnsafeBytes { LegacyJournalFrame.scan($0, maximumLength: 1024) }
        #expect(result.records.isEmpty)
        #expect(result.problem?.contains("over the record limit") == true)
    }

    @Test func validLookingRecordsAfterDamageAreDroppedAndReported() {
        var bytes = frames([journalRecord(1), journalRecord(2), journalRecord(3), journalRecord(4)])
        let secondPayload = frames([journalRecord(1)]).count + 8
        bytes[secondPayload] ^= 0x01
        let result = scan(bytes)
        #expect(result.records == [journalRecord(1)])
        #expect(result.problem?.contains("checksum mismatch") == true)
        #expect(result.problem?.contains("2 valid-looking record(s) follow") == true)
    }
}
