/// Reads the directory of an indexed snapshot and its sections straight from the file into their arrays, checking
/// each section against its running checksum (seeded with the previous section's), so sections load on several
/// threads and a damaged byte anywhere is refused.
struct SnapshotSectionReader: Sendable {
    let location: JournalSnapshotLocation
    /// The payload's version (`SnapshotSectionWriter.version`, or an older one the loader still reads).
    let version: UInt32
    let sections: [SnapshotSection]
    /// The running checksum before each section.
    private let seeds: [UInt32]

    /// Reads and checks the trailer and directory (which must tile the payload exactly).
    init(location: JournalSnapshotLocation) throws(StoreSnapshotError) {
        self.location = location
        let length = location.payloadLength
        let minimum = SnapshotSectionWriter.preambleSize + SnapshotSectionWriter.trailerSize
        guard length >= minimum else { throw Self.corrupt(location, "payload too short for an indexed snapshot") }
        let trailer = try Self.read(location, at: length - SnapshotSectionWriter.trailerSize, count: SnapshotSectionWriter.trailerSize)
        let (directoryOffset, count, checksumBefore, magic) = trailer.withUnsafeBytes { raw in
            (
                SnapshotBytes.load(raw, 0, UInt64.self), SnapshotBytes.load(raw, 8, UInt64.self),
                SnapshotBytes.load(raw, 16, UInt32.self), Array(raw[20..<24])
            )
        }
        let available = UInt64(length - SnapshotSectionWriter.trailerSize)
        guard magic == SnapshotSectionWriter.trailerMagic, directoryOffset >= UInt64(SnapshotSectionWriter.preambleSize),
            directoryOffset <= available, count <= (available - directoryOffset) / UInt64(SnapshotSection.size),
            directoryOffset + count * UInt64(SnapshotSection.size) == available
        else { throw Self.corrupt(location, "bad trailer") }
        let tail = try Self.read(location, at: Int(directoryOffset), count: length - Int(directoryOffset))
        guard tail.withUnsafeBytes({ CRC32C.checksum($0, seed: checksumBefore) }) == location.payloadChecksum else {
            throw Self.corrupt(location, "directory checksum mismatch")
        }
        let preamble = try Self.read(location, at: 0, count: SnapshotSectionWriter.preambleSize)
        let version = preamble.withUnsafeBytes { SnapshotBytes.load($0, 4, UInt32.self) }
        guard Array(preamble[0..<4]) == SnapshotSectionWriter.magic,
            (SnapshotSectionWriter.oldestReadableVersion...SnapshotSectionWriter.version).contains(version)
        else { throw Self.corrupt(location, "unknown indexed snapshot version") }
        self.version = version
        var sections: [SnapshotSection] = []
        var seeds: [UInt32] = []
        var seed = CRC32C.checksum(preamble)
        var next = SnapshotSectionWriter.preambleSize
        for index in 0..<Int(count) {
            let section = tail.withUnsafeBytes { SnapshotSection.decode($0, at: index * SnapshotSection.size) }
            guard [1, 4, 8].contains(section.width), section.offset == next, section.length >= 0,
                section.length <= Int(directoryOffset) - next, section.length % section.width == 0, section.chunk >= 0,
                section.reserved == 0, section.chunk == 0 || section.isChunked
            else { throw Self.corrupt(location, "section \(index) is out of place") }
            sections.append(section)
            seeds.append(seed)
            seed = section.checksumAtEnd
            next += section.length
        }
        guard next == Int(directoryOffset), seed == checksumBefore else {
            throw Self.corrupt(location, "sections do not cover the payload")
        }
        self.sections = sections
        self.seeds = seeds
    }

    /// Section `index` as an array of `T` (whose size must be the section's width), checksum verified.
    func array<T: FixedWidthInteger>(_ index: Int, as _: T.Type) throws(StoreSnapshotError) -> [T] {
        let section = sections[index]
        guard MemoryLayout<T>.size == section.width else { throw Self.corrupt(location, "section \(index) has the wrong width") }
        // The directory check left whole elements in each section, so the buffer below is exactly its bytes.
        assert(section.length >= 0 && section.length % section.width == 0, "a section holds whole elements")
        var failure: StoreSnapshotError?
        let values = [T](unsafeUninitializedCapacity: section.length / section.width) { buffer, initialized in
            do throws(StoreSnapshotError) {
                try withRaw(index, UnsafeMutableRawBufferPointer(buffer))
                initialized = buffer.count
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return values
    }

    /// Section `index` as consecutive pieces of its `chunk` 64-bit words each (bitmaps), checksum verified.
    func pieces(_ index: Int) throws(StoreSnapshotError) -> [[UInt64]] {
        let section = sections[index]
        guard section.length > 0 else { return [] }
        // `chunk` is read from the file: bounded by the section's length before it is multiplied.
        guard section.width == 8, section.chunk > 0, section.chunk <= section.length / 8, section.length % (section.chunk * 8) == 0 else {
            throw Self.corrupt(location, "section \(index) does not split into pieces")
        }
        let pieceBytes = section.chunk * 8
        assert(section.length % pieceBytes == 0, "a section of pieces holds whole pieces")
        var pieces: [[UInt64]] = []
        var seed = seeds[index]
        for piece in 0..<(section.length / pieceBytes) {
            var failure: StoreSnapshotError?
            let words = [UInt64](unsafeUninitializedCapacity: section.chunk) { buffer, initialized in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                assert(raw.count == pieceBytes, "the buffer is exactly one piece")
                do throws(JournalError) {
                    try location.read(payloadOffset: section.offset + piece * pieceBytes, into: raw)
                    initialized = buffer.count
                } catch {
                    // The buffer was never written: no checksum over it, the error is all there is.
                    failure = StoreSnapshotError("\(location.path): \(error)")
                    return
                }
                seed = CRC32C.checksum(UnsafeRawBufferPointer(raw), seed: seed)
            }
            if let failure { throw failure }
            pieces.append(words)
        }
        guard seed == section.checksumAtEnd else { throw Self.corrupt(location, "section \(index) checksum mismatch") }
        return pieces
    }

    /// Reads section `index` into `buffer` (exactly its length) and verifies it.
    func withRaw(_ index: Int, _ buffer: UnsafeMutableRawBufferPointer) throws(StoreSnapshotError) {
        let section = sections[index]
        guard buffer.count == section.length else { throw Self.corrupt(location, "section \(index) size mismatch") }
        do {
            try location.read(payloadOffset: section.offset, into: buffer)
        } catch {
            throw StoreSnapshotError("\(location.path): \(error)")
        }
        guard CRC32C.checksum(UnsafeRawBufferPointer(buffer), seed: seeds[index]) == section.checksumAtEnd else {
            throw Self.corrupt(location, "section \(index) checksum mismatch")
        }
    }

    private static func read(_ location: JournalSnapshotLocation, at offset: Int, count: Int) throws(StoreSnapshotError) -> [UInt8] {
        do {
            return try location.bytes(payloadOffset: offset, count: count)
        } catch {
            throw StoreSnapshotError("\(location.path): \(error)")
        }
    }

    static func corrupt(_ location: JournalSnapshotLocation, _ why: String) -> StoreSnapshotError {
        StoreSnapshotError("\(location.path): \(why); refusing to start")
    }
}
