/// Incremental scanner for a field section (the header fields, or the trailer fields of a chunked
/// body): field lines up to the empty line, with the size and count limits enforced as bytes arrive.
///
/// Offsets are relative to the start of the unit being parsed, which the caller keeps at the
/// front of its buffer until the unit is complete; `position` remembers how far the bytes were
/// examined, so feeding one byte at a time stays linear.
struct FieldSection: Sendable {
    /// Offset of the first field line.
    private(set) var sectionStart = 0
    /// Offset of the line being scanned.
    private var lineStart = 0
    /// Next byte to examine.
    private(set) var position = 0
    /// The field lines seen so far.
    private(set) var fields: [FieldSpan] = []
    /// The error for a first line starting with whitespace.
    private let firstLineWhitespace: HTTPParseError
    /// Bytes examined over the scanner's life (tests check that byte-by-byte feeding stays linear).
    private(set) var bytesScanned = 0

    init(firstLineWhitespace: HTTPParseError) {
        self.firstLineWhitespace = firstLineWhitespace
        fields.reserveCapacity(16)
    }

    /// Starts a new section at `offset`, keeping the fields array's storage.
    mutating func reset(at offset: Int) {
        sectionStart = offset
        lineStart = offset
        position = offset
        fields.removeAll(keepingCapacity: true)
    }

    /// Examines the bytes not yet seen; returns the offset just past the empty line that ends the
    /// section, or nil when more bytes are needed.
    mutating func scan(_ bytes: UnsafeRawBufferPointer, limits: HTTPLimits) throws(HTTPParseError) -> Int? {
        // Field-line bytes at or past this offset exceed the section budget.
        let budgetEnd = sectionStart &+ max(0, limits.maxHeaderSectionBytes)
        let count = bytes.count
        var index = position
        assert(sectionStart <= lineStart && lineStart <= position && position <= count, "the scan resumes within the bytes")
        defer {
            bytesScanned &+= index - position
            position = index
        }
        while index < count {
            // Run over ordinary bytes up to the next CR or LF, or to the budget's end.
            let stop = min(count, budgetEnd)
            while index < stop {
                let byte = bytes[index]
                if byte <= ASCII.cr && (byte == ASCII.cr || byte == ASCII.lf) { break }
                index += 1
            }
            guard index < count else { break }
            let byte = bytes[index]
            if byte == ASCII.cr {
                guard index + 1 < count else { return nil }  // wait for the byte after CR
                guard bytes[index + 1] == ASCII.lf else { throw .bareCR }
                if index == lineStart {
                    index += 2
                    return index  // RFC 9112 §2.1: the empty line ends the section
                }
                // The line and its CRLF must fit in the budget.
                if index + 2 > budgetEnd { throw .headerSectionTooLarge }
                if fields.count >= limits.maxHeaderFields { throw .tooManyHeaderFields }
                let leading = lineStart == sectionStart ? firstLineWhitespace : .obsFold
                fields.append(try FieldLine.parse(bytes, line: lineStart..<index, leadingWhitespace: leading))
                index += 2
                lineStart = index
            } else if byte == ASCII.lf {
                throw .bareLF  // RFC 9112 §2.2 allows a bare LF; we do not, a lenient peer could frame differently
            } else {
                throw .headerSectionTooLarge  // the fast path stopped at the budget's end on a field-line byte
            }
        }
        return nil
    }
}
