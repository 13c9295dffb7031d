/// Segment file names: `journal-<first sequence, 20 decimal digits>-<salt, 16 hex digits>.log`, so names sort in
/// sequence order and each file says which record number it starts at and how its checksums are salted. The salt
/// lives in the name rather than in the file so that no damage to the file's bytes can take away the key to
/// reading the rest of it. A name without a salt is a segment of the first format (`LegacyJournalFrame`).
enum JournalSegmentName {
    static let prefix = "journal-"
    static let suffix = ".log"

    /// The file name of a segment whose first record has number `start`, salted with `salt`.
    static func name(start: UInt64, salt: UInt64) -> String {
        legacyName(start: start).dropLast(suffix.count) + "-" + hex(salt) + suffix
    }

    /// The name a segment of the first format had.
    static func legacyName(start: UInt64) -> String {
        let digits = String(start)
        return prefix + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The first sequence number and salt (`nil` for the first format) of a segment file name, or `nil` if the name
    /// is not a segment's.
    static func parse(_ name: String) -> (start: UInt64, salt: UInt64?)? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let body = name.dropFirst(prefix.count).dropLast(suffix.count)
        let digits = body.prefix(20)
        guard digits.count == 20, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let start = UInt64(digits) else {
            return nil
        }
        let rest = body.dropFirst(20)
        if rest.isEmpty { return (start, nil) }
        guard rest.count == 17, rest.first == "-", let salt = UInt64(rest.dropFirst(), radix: 16),
            rest.dropFirst().allSatisfy({ $0.isASCII && $0.isHexDigit && !$0.isUppercase })
        else { return nil }
        return (start, salt)
    }

    /// Sixteen lowercase hex digits.
    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
