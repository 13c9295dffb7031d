/// The record framing of a segment of the first format (named without a salt): `[length u32 LE][crc32c u32 LE of
/// the payload][payload]`, with no group framing and unsalted checksums. Such segments are still read (and kept
/// only until the next compaction); new records always go to a segment of the current format (`JournalGroupFrame`).
enum LegacyJournalFrame {
    /// Bytes of the length and checksum fields.
    static let headerSize = 8

    /// What `scan` found in a segment's bytes.
    struct Scan {
        /// The payloads of every intact record, in order, up to the first damaged one.
        var records: [[UInt8]] = []
        /// Bytes from the start that hold intact records; everything after is to be dropped.
        var validLength = 0
        /// Why scanning stopped before the end of the bytes, or `nil` when every byte belonged to an intact record.
        var problem: String?
    }

    /// Appends the framed `payload` to `buffer`.
    static func append(_ payload: [UInt8], to buffer: inout [UInt8]) {
        let length = UInt32(truncatingIfNeeded: payload.count)
        let checksum = CRC32C.checksum(payload)
        withUnsafeBytes(of: length.littleEndian) { buffer.append(contentsOf: $0) }
        withUnsafeBytes(of: checksum.littleEndian) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: payload)
    }

    /// Reads intact records from the start of `bytes` and stops at the first torn or damaged one. Anything after
    /// a damaged record is treated as the end of the log, even when it looks valid: a record is trusted only if
    /// every record before it is, and the diagnostic says when valid-looking data was dropped this way.
    static func scan(_ bytes: UnsafeRawBufferPointer, maximumLength: Int) -> Scan {
        var scan = Scan()
        let (validLength, problem) = walk(bytes, maximumLength: maximumLength) { scan.records.append(Array($0)) }
        scan.validLength = validLength
        if let problem {
            scan.problem = problem.message
            if problem.followingOffset < bytes.count {
                let rest = UnsafeRawBufferPointer(rebasing: bytes[problem.followingOffset...])
                var following = 0
                _ = walk(rest, maximumLength: maximumLength) { _ in following += 1 }
                if following > 0 {
                    scan.problem = problem.message + "; \(following) valid-looking record(s) follow it, but nothing"
                        + " after damage is trusted, so they are dropped too"
                }
            }
        }
        return scan
    }

    /// Every intact record, including those after damage where the damaged record's length field still points to
    /// the next frame (the first format cannot resynchronise otherwise), and how many stretches were skipped.
    static func salvage(_ bytes: UnsafeRawBufferPointer, maximumLength: Int) -> (records: [[UInt8]], skipped: [String]) {
        var records: [[UInt8]] = []
        var skipped: [String] = []
        var offset = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            let (validLength, stop) = walk(rest, maximumLength: maximumLength) { records.append(Array($0)) }
            guard let stop else { break }
            skipped.append("offset \(offset + validLength): \(stop.message)")
            guard stop.followingOffset > validLength else { break }
            offset += stop.followingOffset
        }
        return (records, skipped)
    }

    /// Where and why a walk stopped early; `followingOffset` is where the next record would start if the damaged
    /// record's length field is right (used only to describe what was dropped).
    private struct Stop {
        var message: String
        var followingOffset: Int
    }

    /// Calls `body` with each intact payload in order and returns the length they cover, plus why it stopped early.
    private static func walk(
        _ bytes: UnsafeRawBufferPointer, maximumLength: Int, _ body: (UnsafeRawBufferPointer) -> Void
    ) -> (validLength: Int, stop: Stop?) {
        var offset = 0
        while offset < bytes.count {
            let remaining = bytes.count - offset
            guard remaining >= headerSize else {
                let message = "torn record header at offset \(offset): \(remaining) of \(headerSize) bytes present"
                return (offset, Stop(message: message, followingOffset: bytes.count))
            }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let expected = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            if length == 0 {
                let message = "zero length at offset \(offset) (records are never empty: a zero-filled tail?)"
                return (offset, Stop(message: message, followingOffset: bytes.count))
            }
            if length > maximumLength {
                let message = "length \(length) at offset \(offset) is over the record limit of \(maximumLength)"
                return (offset, Stop(message: message, followingOffset: bytes.count))
            }
            guard remaining - headerSize >= length else {
                let message = "torn record at offset \(offset): \(remaining - headerSize) of \(length) payload bytes present"
                return (offset, Stop(message: message, followingOffset: bytes.count))
            }
            let end = offset + headerSize + length
            let payload = UnsafeRawBufferPointer(rebasing: bytes[(offset + headerSize)..<end])
            guard CRC32C.checksum(payload) == expected else {
                let message = "checksum mismatch in the \(length)-byte record at offset \(offset)"
                return (offset, Stop(message: message, followingOffset: end))
            }
            body(payload)
            offset = end
        }
        return (offset, nil)
    }
}
