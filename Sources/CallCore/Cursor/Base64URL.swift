/// Base64url without padding (RFC 4648 §5): tokens that travel in JSON and URLs unescaped.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The text of `bytes`.
    static func encode(_ bytes: [UInt8]) -> String {
        // Written straight into the string's storage: a list answer encodes its cursor on every request.
        let length = (bytes.count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: length) { out in
            bytes.withUnsafeBufferPointer { input in
                alphabet.withUnsafeBufferPointer { alphabet in
                    var written = 0
                    var index = 0
                    while index < input.count {
                        let count = min(3, input.count - index)
                        var group = UInt32(input[index]) << 16
                        if count > 1 { group |= UInt32(input[index + 1]) << 8 }
                        if count > 2 { group |= UInt32(input[index + 2]) }
                        // n bytes give n + 1 characters.
                        for place in 0...count {
                            out[written] = alphabet[Int((group >> (18 - 6 * UInt32(place))) & 63)]
                            written += 1
                        }
                        index += 3
                    }
                    assert(written == length && out.count >= length, "n bytes give (4n + 2) / 3 characters")
                    return written
                }
            }
        }
    }

    /// The bytes `text` spells, or nil when it holds anything but the alphabet, has a length no encoding has, or
    /// leaves bits set past its last byte (so each byte string has exactly one spelling).
    static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 4 != 1 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count * 3 / 4)
        var group: UInt32 = 0
        var bits = 0
        for character in characters {
            guard let value = sextet(character) else { return nil }
            group = group << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: group >> UInt32(bits)))
                group &= (1 << UInt32(bits)) - 1
            }
        }
        return group == 0 ? bytes : nil
    }

    private static func sextet(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): return 62
        case UInt8(ascii: "_"): return 63
        default: return nil
        }
    }
}
