/// Segment file names: `journal-<first sequence, 20 decimal digits>.log`, so names sort in sequence order
/// and each file says which record number it starts at (records themselves carry no sequence).
enum JournalSegmentName {
    static let prefix = "journal-"
    static let suffix = ".log"

    /// The file name of the segment whose first record has number `start`.
    static func name(start: UInt64) -> String {
        let digits = String(start)
        return prefix + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The first sequence number of a segment file name, or `nil` if the name is not a segment's.
    static func start(of name: String) -> UInt64? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
        guard digits.count == 20, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt64(digits)
    }
}

/// One segment file as the journal tracks it.
struct JournalSegmentInfo: Sendable, Equatable {
    /// Number of the segment's first record.
    var start: UInt64
    /// Full path of the file.
    var path: String
    /// Bytes of intact, durable records in it.
    var byteSize: Int
}
