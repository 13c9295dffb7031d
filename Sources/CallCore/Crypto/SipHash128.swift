/// SipHash-2-4 with a 128-bit tag (Aumasson and Bernstein, reference `vectors_sip128`): a keyed pseudorandom
/// function for short messages. Tokens the server signs on every list answer use it: a tag costs a few hundred
/// instructions, where HMAC-SHA256 costs three or more compressions of about 4,500 each.
public struct SipHash128: Sendable {
    /// A 128-bit key as the two little-endian words the rounds start from.
    public struct Key: Sendable {
        fileprivate let k0: UInt64
        fileprivate let k1: UInt64

        /// A key of its own for one kind of token, derived (HMAC-SHA256 of `label`) from `secret`, so a token of one
        /// kind can never pass for another's.
        public init(derivedFrom secret: [UInt8], label: String) {
            self.init(HMACSHA256.code(Array(label.utf8), key: secret))
        }

        /// The key spelled by the first 16 bytes of `bytes` (missing bytes count as zero).
        public init(_ bytes: [UInt8]) {
            func word(_ start: Int) -> UInt64 {
                var value: UInt64 = 0
                for offset in 0..<8 where start + offset < bytes.count {
                    value |= UInt64(bytes[start + offset]) << UInt64(8 * offset)
                }
                return value
            }
            k0 = word(0)
            k1 = word(8)
        }
    }

    private var v0: UInt64
    private var v1: UInt64
    private var v2: UInt64
    private var v3: UInt64
    /// Bytes not yet a whole word, the first in the lowest bits.
    private var pending: UInt64 = 0
    private var pendingCount: UInt64 = 0
    private var length: UInt64 = 0

    /// A hasher keyed by `key`, with nothing appended yet.
    public init(key: Key) {
        v0 = key.k0 ^ 0x736f_6d65_7073_6575
        v1 = key.k1 ^ 0x646f_7261_6e64_6f6d ^ 0xee
        v2 = key.k0 ^ 0x6c79_6765_6e65_7261
        v3 = key.k1 ^ 0x7465_6462_7974_6573
    }

    /// Appends one byte.
    @inline(__always)
    public mutating func append(_ byte: UInt8) {
        pending |= UInt64(byte) << (8 &* pendingCount)
        pendingCount &+= 1
        length &+= 1
        if pendingCount == 8 {
            absorb(pending)
            pending = 0
            pendingCount = 0
        }
    }

    /// Appends `bytes` in order.
    public mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        let appended: Void? = bytes.withContiguousStorageIfAvailable { append(UnsafeRawBufferPointer($0)) }
        if appended == nil {
            for byte in bytes { append(byte) }
        }
    }

    /// Appends `bytes` in order, whole words at a time where they line up.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        while index < bytes.count && pendingCount != 0 {
            append(bytes[index])
            index += 1
        }
        while bytes.count - index >= 8 {
            absorb(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            length &+= 8
            index += 8
        }
        while index < bytes.count {
            append(bytes[index])
            index += 1
        }
    }

    /// Appends `part` with its length first (four bytes, big-endian), so no two sequences of parts spell the same
    /// message.
    public mutating func appendPart<Part: Collection<UInt8>>(_ part: Part) {
        appendBigEndian(UInt32(truncatingIfNeeded: part.count))
        append(part)
    }

    /// Appends `value` as four big-endian bytes.
    public mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// The 16-byte tag of everything appended.
    public consuming func finalize() -> [UInt8] {
        absorb(pending | (length << 56))
        v2 ^= 0xee
        for _ in 0..<4 { round() }
        let first = v0 ^ v1 ^ v2 ^ v3
        v1 ^= 0xdd
        for _ in 0..<4 { round() }
        let second = v0 ^ v1 ^ v2 ^ v3
        var tag: [UInt8] = []
        tag.reserveCapacity(16)
        for word in [first, second] {
            for shift in stride(from: UInt64(0), to: 64, by: 8) { tag.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return tag
    }

    /// The tag of `message` under `key`.
    public static func tag<Bytes: Sequence<UInt8>>(_ message: Bytes, key: Key) -> [UInt8] {
        var hasher = SipHash128(key: key)
        hasher.append(message)
        return hasher.finalize()
    }

    @inline(__always)
    private mutating func absorb(_ word: UInt64) {
        v3 ^= word
        round()
        round()
        v0 ^= word
    }

    @inline(__always)
    private mutating func round() {
        v0 &+= v1
        v1 = v1.rotatedLeft(13) ^ v0
        v0 = v0.rotatedLeft(32)
        v2 &+= v3
        v3 = v3.rotatedLeft(16) ^ v2
        v0 &+= v3
        v3 = v3.rotatedLeft(21) ^ v0
        v2 &+= v1
        v1 = v1.rotatedLeft(17) ^ v2
        v2 = v2.rotatedLeft(32)
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 &- count))
    }
}
