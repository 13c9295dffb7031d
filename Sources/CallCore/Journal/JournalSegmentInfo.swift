/// One segment file as the journal tracks it.
struct JournalSegmentInfo: Sendable, Equatable {
    /// Number of the segment's first record.
    var start: UInt64
    /// Full path of the file.
    var path: String
    /// Bytes of intact, durable records in it.
    var byteSize: Int
    /// The salt of its checksums; `nil` for a segment of the first format, which is read but never appended to.
    var salt: JournalSalt?

    /// A new segment of the current format in `directory`, starting at `start`, with a fresh random salt.
    static func fresh(start: UInt64, in directory: DataDirectory) -> JournalSegmentInfo {
        let salt = JournalSalt.random()
        return JournalSegmentInfo(
            start: start, path: directory.file(JournalSegmentName.name(start: start, salt: salt.value)), byteSize: 0,
            salt: salt)
    }
}
