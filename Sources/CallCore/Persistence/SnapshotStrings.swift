/// A list of strings as two sections: their UTF-8 bytes back to back, and where each one ends.
enum SnapshotStrings {
    /// Writes `strings`.
    static func write(_ strings: [String], to writer: inout SnapshotSectionWriter) throws(JournalError) {
        var bytes: [UInt8] = []
        var ends: [UInt64] = []
        ends.reserveCapacity(strings.count)
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            ends.append(UInt64(bytes.count))
        }
        try writer.put(.valueBytes, bytes)
        try writer.put(.valueEnds, ends)
    }

    /// The strings `write` wrote. The bytes were checked against their checksum, so they are the UTF-8 the writer
    /// took from Strings; decoding (which never fails, repairing what is not UTF-8) skips a second validation pass.
    static func read(_ cursor: inout SnapshotCursor) throws(StoreSnapshotError) -> [String] {
        let bytes = try cursor.bytes(.valueBytes)
        let ends = try cursor.words64(.valueEnds)
        var strings: [String] = []
        strings.reserveCapacity(ends.count)
        var start = 0
        let valid = bytes.withUnsafeBufferPointer { bytes in
            for end in ends {
                guard end >= UInt64(start), end <= UInt64(bytes.count) else { return false }
                strings.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<Int(end)]), as: UTF8.self))
                start = Int(end)
            }
            return start == bytes.count
        }
        guard valid else { throw cursor.corrupt("string ends out of range") }
        return strings
    }
}
