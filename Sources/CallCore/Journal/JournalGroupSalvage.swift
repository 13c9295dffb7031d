/// A reading of a segment of the current format that goes on past damage, for `salvage`: it keeps every intact
/// record in every group, recovers the records of a group whose header is damaged by looking for frames whose
/// salted checksum holds, and counts what the group headers say is missing.
struct JournalGroupSalvage {
    /// An intact record: its payload's place in the bytes, and its number as best known (exact in a group whose
    /// header is intact, in order otherwise).
    struct Found {
        var sequence: UInt64
        var payload: Range<Int>
    }

    /// Every record kept, in file order.
    var records: [Found] = []
    /// Records the group headers account for that were not found intact.
    var lost = 0
    /// Bytes at the end that hold no complete group: a torn last write, or damage to the last group, which cannot be
    /// told apart; their records are not kept, as a start would not keep them.
    var droppedTail = 0
    /// One line per damaged stretch.
    var damage: [String] = []

    /// Walks `bytes` from `offset` (a segment whose first record is number `start` when `offset` is 0).
    static func walk(
        _ bytes: UnsafeRawBufferPointer, from offset: Int = 0, start: UInt64? = nil, salt: JournalSalt,
        maximumLength: Int
    ) -> JournalGroupSalvage {
        var salvage = JournalGroupSalvage()
        var offset = offset
        var next = start
        while offset < bytes.count {
            if let header = JournalGroupFrame.header(in: bytes, at: offset, salt: salt),
                next.map({ header.firstSequence >= $0 }) ?? true,
                offset + JournalGroupFrame.headerSize + header.bodyLength <= bytes.count
            {
                let end = offset + JournalGroupFrame.headerSize + header.bodyLength
                if let next, header.firstSequence > next {
                    salvage.lost += Int(clamping: header.firstSequence - next)
                    salvage.damage.append("records \(next)..<\(header.firstSequence) are missing before offset \(offset)")
                }
                let found = JournalGroupFrame.intactRecords(
                    in: bytes, at: offset, header: header, salt: salt, maximumLength: maximumLength)
                    ?? looseRecords(bytes, offset + JournalGroupFrame.headerSize..<end, salt, maximumLength)
                if found.count < header.count {
                    salvage.lost += header.count - found.count
                    salvage.damage.append(
                        "the \(header.count)-record group at offset \(offset): \(found.count) intact, "
                            + "\(header.count - found.count) lost")
                }
                for (index, range) in found.enumerated() {
                    salvage.records.append(Found(sequence: header.firstSequence + UInt64(index), payload: range))
                }
                next = header.firstSequence + UInt64(header.count)
                offset = end
                continue
            }
            // No intact group starts here: recover loose records up to the next complete group, if there is one.
            var search = offset + 1
            var following: (offset: Int, header: JournalGroupFrame.Header)?
            while let candidate = JournalGroupFrame.nextHeader(in: bytes, from: search, salt: salt) {
                let complete = candidate.offset + JournalGroupFrame.headerSize + candidate.header.bodyLength <= bytes.count
                if complete && (next.map { candidate.header.firstSequence >= $0 } ?? true) {
                    following = candidate
                    break
                }
                search = candidate.offset + 1
            }
            guard let following else {
                salvage.droppedTail = bytes.count - offset
                salvage.damage.append(
                    "the last \(bytes.count - offset) byte(s) from offset \(offset) hold no complete group "
                        + "(a torn or damaged last write)")
                break
            }
            let loose = looseRecords(bytes, offset..<following.offset, salt, maximumLength)
            let first = next ?? following.header.firstSequence
            let expected = Int(clamping: following.header.firstSequence &- first)
            salvage.damage.append(
                "bytes \(offset)..<\(following.offset) hold no intact group header: \(loose.count) intact record(s) "
                    + "recovered of the \(expected) expected there")
            salvage.lost += max(0, expected - loose.count)
            // Which ones are missing is unknown: the recovered ones keep their order, just before the next group.
            let base = following.header.firstSequence &- UInt64(loose.count)
            for (index, range) in loose.enumerated() {
                salvage.records.append(Found(sequence: base &+ UInt64(index), payload: range))
            }
            next = following.header.firstSequence
            offset = following.offset
        }
        return salvage
    }

    /// Intact record frames anywhere in `range`, found by trying every offset where the previous frame did not end.
    private static func looseRecords(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ salt: JournalSalt, _ maximumLength: Int
    ) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var position = range.lowerBound
        while position < range.upperBound {
            if let payload = JournalGroupFrame.record(
                in: bytes, at: position, end: range.upperBound, salt: salt, maximumLength: maximumLength)
            {
                found.append(payload)
                position = payload.upperBound
            } else {
                position += 1
            }
        }
        return found
    }
}
