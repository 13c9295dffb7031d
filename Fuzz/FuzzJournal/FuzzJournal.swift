import FuzzSupport
@testable import CallCore

/// Journal segments of any content, as replay and `salvage` read them: neither may trap or read out of bounds;
/// replay's intact prefix must be exactly the first records salvage keeps (salvage never keeps less than a start
/// would); every record either finds lies inside the input; and the records re-framed read back unchanged.
///
/// Input: a mode byte, a 16-bit damage offset, then the segment. When the mode's low bit is set, the segment's
/// group and record checksums are first set to match its bytes (so the fuzzer builds well-formed journals), and
/// then the byte at the damage offset, if inside, is flipped: damage to a journal that was intact.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(FuzzDriver.bytes(data, size))
    let mode = input.byte()
    let damageAt = Int(input.byte()) | Int(input.byte()) << 8
    var segment = Array(input.rest)
    let salt = JournalSalt(0x5EED_0F_5A17)
    let start: UInt64 = 1000
    if mode & 1 == 1 {
        SegmentChecksums.repair(&segment, salt: salt, start: start)
        if damageAt < segment.count { segment[damageAt] ^= 0x01 }
    }
    let maximumLength = 1 << 16
    segment.withUnsafeBytes { bytes in
        let scan = JournalGroupScan.scan(bytes, start: start, salt: salt, maximumLength: maximumLength)
        fuzzRequire(scan.validLength <= bytes.count, "valid length past the end")
        fuzzRequire((scan.stop == nil) == (scan.validLength == bytes.count), "a clean scan must cover every byte")
        let salvage = JournalGroupSalvage.walk(bytes, start: start, salt: salt, maximumLength: maximumLength)
        fuzzRequire(salvage.records.allSatisfy { $0.payload.upperBound <= bytes.count }, "a salvaged record past the end")
        let kept = salvage.records.prefix(scan.records.count).map { Array(UnsafeRawBufferPointer(rebasing: bytes[$0.payload])) }
        fuzzRequire(kept == scan.records, "salvage keeps less than replay does")
        if scan.stop == nil { fuzzRequire(salvage.records.count == scan.records.count && salvage.lost == 0, "salvage of an intact segment differs") }
        if !scan.records.isEmpty {
            var framed: [UInt8] = []
            JournalGroupFrame.appendGroup(scan.records, firstSequence: start, salt: salt, to: &framed)
            let again = framed.withUnsafeBytes { JournalGroupScan.scan($0, start: start, salt: salt, maximumLength: maximumLength) }
            fuzzRequire(again.records == scan.records && again.stop == nil, "re-framed records read back differently")
        }
        let legacy = LegacyJournalFrame.scan(bytes, maximumLength: maximumLength)
        fuzzRequire(legacy.validLength <= bytes.count, "legacy valid length past the end")
        let legacySalvage = LegacyJournalFrame.salvage(bytes, maximumLength: maximumLength)
        fuzzRequire(Array(legacySalvage.records.prefix(legacy.records.count)) == legacy.records, "legacy salvage keeps less")
    }
    return 0
}

/// Sets every group's header checksum and every record's checksum that fits, walking the segment as its length
/// fields describe it, and numbers the groups from `start`.
private enum SegmentChecksums {
    static func repair(_ segment: inout [UInt8], salt: JournalSalt, start: UInt64) {
        var offset = 0
        var next = start
        while segment.count - offset >= JournalGroupFrame.headerSize {
            let count = Int(load(segment, offset + 4, UInt32.self) % 8) + 1
            let available = segment.count - offset - JournalGroupFrame.headerSize
            let body = min(Int(load(segment, offset + 8, UInt64.self) % UInt64(available + 1)), available)
            JournalGroupFrame.writeHeader(
                JournalGroupFrame.Header(count: count, bodyLength: body, firstSequence: next), salt: salt,
                into: &segment, at: offset)
            var record = offset + JournalGroupFrame.headerSize
            let end = record + body
            while end - record >= JournalGroupFrame.recordHeaderSize + 1 {
                let length = min(Int(load(segment, record, UInt32.self)) % 256 + 1, end - record - JournalGroupFrame.recordHeaderSize)
                let payload = Array(segment[(record + 8)..<(record + 8 + length)])
                store(&segment, record, UInt32(length))
                store(&segment, record + 4, CRC32C.checksum(payload, seed: salt.recordSeed))
                record += 8 + length
            }
            next += UInt64(count)
            offset = end
        }
    }

    private static func load<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, _: T.Type) -> T {
        bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    private static func store(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + 4), with: $0) }
    }
}

@main
enum FuzzJournal {
    static func main() {
        FuzzDriver.run(fuzz)
    }
}
