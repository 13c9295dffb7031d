/// One entry of the directory at the end of an indexed snapshot: where a section lies in the payload and the
/// running CRC-32C of the payload up to its end, so every section is checked on its own, in parallel, and the
/// chain of them ends at the checksum in the snapshot header.
struct SnapshotSection: Sendable {
    /// Encoded size of an entry.
    static let size = 40

    var tag: UInt32
    /// Bytes per element: 1, 4 or 8.
    var width: Int
    /// For bitmaps, elements per bitmap; for call blocks, the number of calls; otherwise 0.
    var chunk: Int
    var offset: Int
    var length: Int
    var checksumAtEnd: UInt32
    /// Zero; a reader refuses anything else.
    var reserved: UInt32 = 0

    /// Whether the `chunk` field may be non-zero for this section's tag.
    var isChunked: Bool { tag == SnapshotTag.calls.rawValue || tag == SnapshotTag.postingBitmaps.rawValue }

    func encode(into out: inout [UInt8]) {
        SnapshotBytes.put(&out, tag)
        SnapshotBytes.put(&out, UInt32(width))
        SnapshotBytes.put(&out, UInt64(chunk))
        SnapshotBytes.put(&out, UInt64(offset))
        SnapshotBytes.put(&out, UInt64(length))
        SnapshotBytes.put(&out, checksumAtEnd)
        SnapshotBytes.put(&out, reserved)
    }

    static func decode(_ raw: UnsafeRawBufferPointer, at base: Int) -> SnapshotSection {
        assert(base >= 0 && base <= raw.count - size, "the entry lies within the directory's bytes")
        return SnapshotSection(
            tag: SnapshotBytes.load(raw, base, UInt32.self),
            width: Int(SnapshotBytes.load(raw, base + 4, UInt32.self)),
            chunk: Int(truncatingIfNeeded: SnapshotBytes.load(raw, base + 8, UInt64.self)),
            offset: Int(truncatingIfNeeded: SnapshotBytes.load(raw, base + 16, UInt64.self)),
            length: Int(truncatingIfNeeded: SnapshotBytes.load(raw, base + 24, UInt64.self)),
            checksumAtEnd: SnapshotBytes.load(raw, base + 32, UInt32.self),
            reserved: SnapshotBytes.load(raw, base + 36, UInt32.self))
    }
}
