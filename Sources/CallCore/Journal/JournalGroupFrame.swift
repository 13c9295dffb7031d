/// The framing of a segment of the current format: one frame per group commit, so that replay knows the extent
/// of the last write, which a crash can leave partly on disk with its pages in any order.
///
/// A group is a 28-byte header — magic `CJG2` (u32), record count (u32), byte length of the records after the
/// header (u64), sequence number of the group's first record (u64), salted CRC-32C of those 24 bytes (u32) — then
/// its records, each `[length u32][salted CRC-32C of the payload u32][payload]`. All little-endian; the salt is the
/// segment's (`JournalSalt`). Pure functions over bytes, so framing, tail detection and damage are tested without
/// files.
enum JournalGroupFrame {
    /// Bytes of a group header.
    static let headerSize = 28
    /// Bytes of a record's length and checksum.
    static let recordHeaderSize = 8
    static let magic: UInt32 = 0x3247_4A43

    /// What a group header says.
    struct Header: Equatable {
        var count: Int
        var bodyLength: Int
        var firstSequence: UInt64
    }

    /// Checks that `payload` can be framed and replayed: empty records are refused, so that a run of zero bytes is
    /// never a record, and so is anything over the limit.
    static func validate(_ payload: [UInt8], maximumLength: Int) -> String? {
        if payload.isEmpty { return "a record must not be empty" }
        if payload.count > maximumLength {
            return "a record of \(payload.count) bytes is over the limit of \(maximumLength) bytes"
        }
        return nil
    }

    /// Appends one group holding `records` (at least one), numbered from `firstSequence`, to `buffer`; returns how
    /// many records it holds. `place` puts each payload after its record header: by default it is copied into
    /// `buffer`, but a writer may keep large payloads where they are and write them from there.
    @discardableResult
    static func appendGroup(
        _ records: some Sequence<[UInt8]>, firstSequence: UInt64, salt: JournalSalt, to buffer: inout [UInt8],
        placingPayloads place: (inout [UInt8], [UInt8]) -> Void = { $0.append(contentsOf: $1) }
    ) -> Int {
        let headerOffset = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: headerSize))
        var count = 0
        var bodyLength = 0
        for record in records {
            assert(!record.isEmpty && record.count <= UInt32.max, "records are validated: none is empty, each length fits its u32")
            let length = UInt32(truncatingIfNeeded: record.count)
            let checksum = CRC32C.checksum(record, seed: salt.recordSeed)
            withUnsafeBytes(of: length.littleEndian) { buffer.append(contentsOf: $0) }
            withUnsafeBytes(of: checksum.littleEndian) { buffer.append(contentsOf: $0) }
            place(&buffer, record)
            count += 1
            bodyLength += recordHeaderSize + record.count
        }
        assert(count > 0, "a group holds at least one record")
        let header = Header(count: count, bodyLength: bodyLength, firstSequence: firstSequence)
        writeHeader(header, salt: salt, into: &buffer, at: headerOffset)
        return count
    }

    /// Fills the header of the group whose header space starts at `offset` of `buffer`, in place.
    static func writeHeader(_ header: Header, salt: JournalSalt, into buffer: inout [UInt8], at offset: Int) {
        assert(offset >= 0 && offset <= buffer.count - headerSize, "the header's space lies within the buffer")
        buffer.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: magic.littleEndian, toByteOffset: offset, as: UInt32.self)
            raw.storeBytes(of: UInt32(truncatingIfNeeded: header.count).littleEndian, toByteOffset: offset + 4, as: UInt32.self)
            raw.storeBytes(of: UInt64(header.bodyLength).littleEndian, toByteOffset: offset + 8, as: UInt64.self)
            raw.storeBytes(of: header.firstSequence.littleEndian, toByteOffset: offset + 16, as: UInt64.self)
            let fields = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 24)])
            let checksum = CRC32C.checksum(fields, seed: salt.headerSeed)
            raw.storeBytes(of: checksum.littleEndian, toByteOffset: offset + 24, as: UInt32.self)
        }
    }

    /// The header at `offset`, if one is there whose salted checksum holds and whose fields are possible for the
    /// bytes that follow it (its records may still be missing or damaged).
    static func header(in bytes: UnsafeRawBufferPointer, at offset: Int, salt: JournalSalt) -> Header? {
        guard offset >= 0, bytes.count - offset >= headerSize,
            UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) == magic
        else { return nil }
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt32.self))
        let fields = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 24)])
        guard CRC32C.checksum(fields, seed: salt.headerSeed) == stored else { return nil }
        let count = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
        let bodyLength = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        let first = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
        // Every record takes its 8-byte frame plus at least one byte.
        guard count > 0, bodyLength <= UInt64(Int.max / 2), Int(bodyLength) >= count * (recordHeaderSize + 1) else {
            return nil
        }
        return Header(count: count, bodyLength: Int(bodyLength), firstSequence: first)
    }

    /// The payload range of the record frame at `offset`, if an intact one ends at or before `end`.
    static func record(
        in bytes: UnsafeRawBufferPointer, at offset: Int, end: Int, salt: JournalSalt, maximumLength: Int
    ) -> Range<Int>? {
        guard offset >= 0, end <= bytes.count, end - offset >= recordHeaderSize + 1 else { return nil }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        guard length > 0, length <= maximumLength, length <= end - offset - recordHeaderSize else { return nil }
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        let payload = (offset + recordHeaderSize)..<(offset + recordHeaderSize + length)
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[payload]), seed: salt.recordSeed) == stored else {
            return nil
        }
        return payload
    }

    /// The first offset at or after `offset` where a valid group header lies, if any.
    static func nextHeader(
        in bytes: UnsafeRawBufferPointer, from offset: Int, salt: JournalSalt
    ) -> (offset: Int, header: Header)? {
        var candidate = max(0, offset)
        while candidate + headerSize <= bytes.count {
            if let header = header(in: bytes, at: candidate, salt: salt) { return (candidate, header) }
            candidate += 1
        }
        return nil
    }

    /// The payloads of the intact group at `offset` whose header is `header`, or `nil` if any of its records is
    /// missing or damaged, or they do not fill the group exactly.
    static func intactRecords(
        in bytes: UnsafeRawBufferPointer, at offset: Int, header: Header, salt: JournalSalt, maximumLength: Int
    ) -> [Range<Int>]? {
        // `header` came from `header(in:at:salt:)` at this offset, which checked it against the bytes.
        assert(offset >= 0 && header.count > 0 && header.bodyLength >= 0, "a header read at a valid offset")
        let end = offset + headerSize + header.bodyLength
        guard end <= bytes.count else { return nil }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(header.count)
        var position = offset + headerSize
        for _ in 0..<header.count {
            guard let payload = record(in: bytes, at: position, end: end, salt: salt, maximumLength: maximumLength) else {
                return nil
            }
            ranges.append(payload)
            position = payload.upperBound
        }
        return position == end ? ranges : nil
    }
}
