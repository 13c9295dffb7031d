/// Little-endian integers in byte buffers.
enum SnapshotBytes {
    static func put<T: FixedWidthInteger>(_ out: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    static func load<T: FixedWidthInteger>(_ raw: UnsafeRawBufferPointer, _ offset: Int, _: T.Type) -> T {
        assert(offset >= 0 && offset <= raw.count - MemoryLayout<T>.size, "the integer lies within the bytes")
        return T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
