/// Request ids: the client's `X-Request-Id` when it is sane, otherwise a fresh random one.
struct RequestIDGenerator {
    private var state: UInt64

    init() {
        var rng = SystemRandomNumberGenerator()
        state = rng.next()
    }

    /// Hex digits in an id: 60 random bits, unique enough to find a log line, and short enough (at most 15 bytes)
    /// that the string is stored inline, so making one allocates nothing.
    static let digits = 15

    /// A 15-hex-digit id from a SplitMix64 sequence.
    mutating func next() -> String {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return String(unsafeUninitializedCapacity: Self.digits) { buffer in
            assert(buffer.count >= Self.digits, "room for every digit")
            for index in 0..<Self.digits {
                let nibble = UInt8(truncatingIfNeeded: z >> UInt64(4 * (Self.digits - 1 - index))) & 0xF
                buffer[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return Self.digits
        }
    }

    /// Whether a client-sent id may be echoed: 1–128 characters of a conservative set, so it is safe
    /// in a header and a log line.
    static func isSane(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= 128 else { return false }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                continue
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
                 UInt8(ascii: "/"), UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "@"):
                continue
            default:
                return false
            }
        }
        return true
    }
}
