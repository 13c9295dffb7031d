/// A segment's random salt and the checksum seeds derived from it. Group headers and records are checked with
/// CRC-32C seeded by the salt, so bytes a client wrote into a record (a transcript, say) cannot pass for a frame
/// when a scan looks past damage: forging one means guessing the seed, which never leaves the data directory.
struct JournalSalt: Sendable, Equatable {
    /// The salt as the segment's name spells it.
    let value: UInt64
    /// Seed of a group header's checksum.
    let headerSeed: UInt32
    /// Seed of a record's checksum; different from the header's, so neither kind can stand in for the other.
    let recordSeed: UInt32

    init(_ value: UInt64) {
        self.value = value
        let bytes = withUnsafeBytes(of: value.littleEndian) { Array($0) }
        headerSeed = CRC32C.checksum(bytes + Array("journal group".utf8))
        recordSeed = CRC32C.checksum(bytes + Array("journal record".utf8))
    }

    /// A salt from the system's random source.
    static func random() -> JournalSalt {
        JournalSalt(UInt64.random(in: 0...UInt64.max))
    }
}
