/// Incremental scanner and parser for a chunk-size line,
/// `chunk-size [ chunk-ext ] CRLF` (RFC 9112 §7.1, §7.1.1).
struct ChunkLineScanner: Sendable {
    /// Next byte to examine, relative to the start of the line.
    private var position = 0
    /// Bytes examined over the scanner's life (for the linearity test).
    private(set) var bytesScanned = 0

    /// Forgets the current line.
    mutating func reset() {
        position = 0
    }

    /// Examines the bytes not yet seen; once the CRLF has arrived returns the line's length
    /// without and with its CRLF.
    mutating func scan(_ bytes: UnsafeRawBufferPointer, limits: HTTPLimits) throws(HTTPParseError) -> (content: Int, total: Int)? {
        if position > bytes.count { position = 0 }  // the caller's buffer shrank: rescan rather than misread
        let count = bytes.count
        var index = position
        assert(position <= count, "the scan resumes within the bytes")
        defer {
            bytesScanned &+= index - position
            position = index
        }
        while index < count {
            let byte = bytes[index]
            if byte == ASCII.cr {
                guard index + 1 < count else { return nil }
                guard bytes[index + 1] == ASCII.lf else { throw .bareCR }
                return (index, index + 2)
            }
            if byte == ASCII.lf { throw .bareLF }
            if index >= limits.maxChunkLineBytes { throw .chunkLineTooLong }
            index += 1
        }
        return nil
    }

    /// Parses a complete chunk-size line (CRLF excluded): the size, after checking any extensions.
    static func parseSize(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int {
        var index = 0
        var size = 0
        while index < line.count, let digit = ASCII.hexValue(line[index]) {
            let (shifted, overflowA) = size.multipliedReportingOverflow(by: 16)
            let (sum, overflowB) = shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { throw .chunkSizeOverflow }
            size = sum
            index += 1
        }
        guard index > 0 else { throw .invalidChunkSize }
        guard index < line.count else { return size }
        // Only BWS or ";" may follow the digits ("0x5", "5 5", "-1" are not sizes).
        guard ASCII.isWhitespace(line[index]) || line[index] == ASCII.semicolon else { throw .invalidChunkSize }
        try checkExtensions(UnsafeRawBufferPointer(rebasing: line[index...]))
        return size
    }

    /// chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ),
    /// chunk-ext-val = token / quoted-string. Extensions are checked, then ignored.
    static func checkExtensions(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) {
        var index = 0
        func skipWhitespace() {
            while index < bytes.count, ASCII.isWhitespace(bytes[index]) { index += 1 }
        }
        func skipToken() -> Bool {
            let start = index
            while index < bytes.count, ByteClass.contains(bytes[index], ByteClass.token) { index += 1 }
            return index > start
        }
        while index < bytes.count {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == ASCII.semicolon else { throw .invalidChunkExtension }
            index += 1
            skipWhitespace()
            guard skipToken() else { throw .invalidChunkExtension }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == ASCII.equals else { continue }
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == ASCII.quote {
                index = try endOfQuotedString(bytes, from: index)
            } else {
                guard skipToken() else { throw .invalidChunkExtension }
            }
        }
    }

    /// RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE; returns the index after the closing quote.
    private static func endOfQuotedString(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> Int {
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.quote { return index + 1 }
            if byte == ASCII.backslash {
                // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                guard index + 1 < bytes.count, ByteClass.contains(bytes[index + 1], ByteClass.fieldValue) else {
                    throw .invalidChunkExtension
                }
                index += 2
            } else {
                guard ByteClass.contains(byte, ByteClass.quotedText) else { throw .invalidChunkExtension }
                index += 1
            }
        }
        throw .invalidChunkExtension
    }
}
