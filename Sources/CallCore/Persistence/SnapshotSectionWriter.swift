/// Writes an indexed snapshot payload: a preamble, then sections of flat little-endian integer arrays streamed
/// through the journal's snapshot writer, then the directory of sections and a trailer that locates it.
///
/// Layout: `CIDX`, version u32; the sections back to back; the directory (`SnapshotSection.size` bytes per
/// section); the trailer: directory offset u64, section count u64, running CRC-32C before the directory u32, `XDIC`.
struct SnapshotSectionWriter {
    static let magic: [UInt8] = Array("CIDX".utf8)
    static let trailerMagic: [UInt8] = Array("XDIC".utf8)
    /// Version 3 ends with the changes feed; version 2 holds `updated_timestamp` in each call and its order; version
    /// 1 (read still, like 2) has neither.
    static let version: UInt32 = 3
    /// The oldest version the loader reads.
    static let oldestReadableVersion: UInt32 = 1
    static let preambleSize = 8
    static let trailerSize = 24

    private let output: JournalSnapshotWriter
    private var sections: [SnapshotSection] = []

    /// Starts the payload.
    init(output: JournalSnapshotWriter) throws(JournalError) {
        self.output = output
        var preamble = Self.magic
        SnapshotBytes.put(&preamble, Self.version)
        try output.write(preamble)
    }

    /// The number of sections written so far (the index of the next one).
    var sectionCount: Int { sections.count }

    /// Writes one section of integers.
    mutating func put<T: FixedWidthInteger>(_ tag: SnapshotTag, _ values: [T], chunk: Int = 0) throws(JournalError) {
        try putPieces(tag, [values], chunk: chunk)
    }

    /// Writes several arrays of the same element type back to back as one section (bitmaps of equal size).
    mutating func putPieces<T: FixedWidthInteger>(_ tag: SnapshotTag, _ pieces: [[T]], chunk: Int) throws(JournalError) {
        // The reader splits a section of several pieces by `chunk`.
        assert(pieces.count <= 1 || pieces.allSatisfy { $0.count == chunk }, "the pieces of a section are chunk elements each")
        let offset = output.payloadLength
        for piece in pieces {
            // Native order is written as is; the loader refuses big-endian hosts.
            let written = piece.withUnsafeBytes { raw in Result { () throws(JournalError) in try output.write(raw) } }
            try written.get()
        }
        sections.append(SnapshotSection(
            tag: tag.rawValue, width: MemoryLayout<T>.size, chunk: chunk, offset: offset,
            length: output.payloadLength - offset, checksumAtEnd: output.runningChecksum))
    }

    /// Writes the directory and the trailer.
    func finish() throws(JournalError) {
        let directoryOffset = output.payloadLength
        let checksum = output.runningChecksum
        var out: [UInt8] = []
        out.reserveCapacity(sections.count * SnapshotSection.size + Self.trailerSize)
        for section in sections { section.encode(into: &out) }
        SnapshotBytes.put(&out, UInt64(directoryOffset))
        SnapshotBytes.put(&out, UInt64(sections.count))
        SnapshotBytes.put(&out, checksum)
        out += Self.trailerMagic
        try output.write(out)
    }
}
