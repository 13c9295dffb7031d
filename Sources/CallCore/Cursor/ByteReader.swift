/// Reads a token's bytes front to back, integers big-endian; every read is nil past the end (a token comes from a
/// client, so reading gives up, never traps).
struct ByteReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index == bytes.count }

    mutating func byte() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    /// The next `T.bitWidth / 8` bytes as a big-endian integer.
    mutating func integer<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) -> T? {
        var value: T = 0
        for _ in 0..<(T.bitWidth / 8) {
            guard let next = byte() else { return nil }
            value = value << 8 | T(next)
        }
        return value
    }

    /// `count` bytes as UTF-8 (nil when too few remain or they are not UTF-8).
    mutating func string(_ count: Int) -> String? {
        guard count <= bytes.count - index else { return nil }
        defer { index += count }
        return String(validating: bytes[index..<(index + count)], as: UTF8.self)
    }
}

extension [UInt8] {
    /// Appends `value` big-endian, as `ByteReader.integer` reads it.
    mutating func appendBigEndian<T: FixedWidthInteger & UnsignedInteger>(_ value: T) {
        for shift in stride(from: T.bitWidth - 8, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}
