/// Replay's reading of a segment of the current format: every intact group from the start, up to the first one that
/// is not; and, when it stopped early, whether intact groups follow (damage) or not (a torn last write).
struct JournalGroupScan {
    /// Where and why reading stopped before the end of the bytes.
    struct Stop {
        /// Offset of the first group that is not intact.
        var offset: Int
        var message: String
        /// Intact records in the complete groups found after the stop; zero means nothing after it can be told
        /// from the remains of a torn last write.
        var followingRecords: Int
        /// Where the first of those groups starts.
        var followingOffset: Int?
    }

    /// The payloads of every intact group before the stop, in order.
    var records: [[UInt8]] = []
    /// Bytes from the start covered by those groups.
    var validLength = 0
    /// `nil` when every byte belongs to an intact group.
    var stop: Stop?

    /// Reads `bytes`, a segment whose first record is number `start`.
    static func scan(
        _ bytes: UnsafeRawBufferPointer, start: UInt64, salt: JournalSalt, maximumLength: Int
    ) -> JournalGroupScan {
        var scan = JournalGroupScan()
        var offset = 0
        var next = start
        while offset < bytes.count {
            guard let header = JournalGroupFrame.header(in: bytes, at: offset, salt: salt) else {
                scan.stopped(at: offset, "no intact group header at offset \(offset)", bytes, salt, maximumLength)
                return scan
            }
            guard header.firstSequence == next else {
                scan.stopped(
                    at: offset, "the group at offset \(offset) starts at record \(header.firstSequence), not \(next)",
                    bytes, salt, maximumLength)
                return scan
            }
            let end = offset + JournalGroupFrame.headerSize + header.bodyLength
            guard end <= bytes.count else {
                let present = bytes.count - offset - JournalGroupFrame.headerSize
                scan.stopped(
                    at: offset, "torn group at offset \(offset): \(present) of its \(header.bodyLength) bytes present",
                    bytes, salt, maximumLength)
                return scan
            }
            guard
                let ranges = JournalGroupFrame.intactRecords(
                    in: bytes, at: offset, header: header, salt: salt, maximumLength: maximumLength)
            else {
                scan.stopped(
                    at: offset, "a record of the \(header.count)-record group at offset \(offset) is damaged", bytes,
                    salt, maximumLength)
                return scan
            }
            for range in ranges { scan.records.append(Array(UnsafeRawBufferPointer(rebasing: bytes[range]))) }
            next += UInt64(header.count)
            offset = end
            scan.validLength = end
        }
        return scan
    }

    /// Records the stop and counts what intact groups follow it.
    private mutating func stopped(
        at offset: Int, _ message: String, _ bytes: UnsafeRawBufferPointer, _ salt: JournalSalt, _ maximumLength: Int
    ) {
        var stop = Stop(offset: offset, message: message, followingRecords: 0, followingOffset: nil)
        if let (found, _) = JournalGroupFrame.nextHeader(in: bytes, from: offset + 1, salt: salt) {
            let rest = JournalGroupSalvage.walk(bytes, from: found, salt: salt, maximumLength: maximumLength)
            if !rest.records.isEmpty {
                stop.followingRecords = rest.records.count
                stop.followingOffset = found
            }
        }
        self.stop = stop
    }
}
