/// Incremental scanner for a request head: optional empty lines, the request line, then the
/// field section. Checks each byte once as it arrives, so errors are found as early as they are
/// certain (a too-long target fails before its CRLF) and the result never depends on how the
/// bytes were split across reads.
struct HeadScanner: Sendable {
    private enum Stage: Sendable { case leadingLines, method, target, version, fields }

    private var stage = Stage.leadingLines
    /// Next byte of the request line stage to examine.
    private var position = 0
    private var lineStart = 0
    private var emptyLines = 0
    private var targetStart = 0
    private var versionStart = 0
    private var methodRange = 0..<0
    private var targetRange = 0..<0
    /// The request line, once its CRLF has arrived.
    private(set) var requestLine: RequestLine?
    /// The header fields.
    private(set) var section = FieldSection(firstLineWhitespace: .whitespaceAfterStartLine)
    /// Request-line bytes examined over the scanner's life (for the linearity test).
    private(set) var bytesScanned = 0

    /// Forgets the current head, keeping storage, to parse the next one.
    mutating func reset() {
        stage = .leadingLines
        position = 0
        lineStart = 0
        emptyLines = 0
        requestLine = nil
        section.reset(at: 0)
    }

    /// Examines the bytes not yet seen; returns the head's length once its empty line arrived, else nil.
    mutating func scan(_ bytes: UnsafeRawBufferPointer, limits: HTTPLimits) throws(HTTPParseError) -> Int? {
        if position > bytes.count || section.position > bytes.count {
            reset()  // the caller's buffer shrank: not the contract, but rescanning beats reading past the end
        }
        assert(position <= bytes.count && section.position <= bytes.count, "the scan resumes within the bytes")
        if stage != .fields {
            guard try scanRequestLine(bytes, limits: limits) else { return nil }
        }
        return try section.scan(bytes, limits: limits)
    }

    /// Returns true once the request line is complete and validated.
    private mutating func scanRequestLine(_ bytes: UnsafeRawBufferPointer, limits: HTTPLimits) throws(HTTPParseError) -> Bool {
        let count = bytes.count
        let classes = ByteClass.table
        var index = position
        defer {
            bytesScanned &+= index - position
            position = index
        }
        while index < count {
            let byte = bytes[index]
            if byte == ASCII.cr {
                guard index + 1 < count else { return false }
                guard bytes[index + 1] == ASCII.lf else { throw .bareCR }
                if stage == .leadingLines {
                    // RFC 9112 §2.2: ignore at least one empty line before the request line.
                    emptyLines += 1
                    if emptyLines > limits.maxLeadingEmptyLines { throw .tooManyLeadingEmptyLines }
                    index += 2
                    lineStart = index
                    continue
                }
                try finishRequestLine(bytes, end: index)
                index += 2
                section.reset(at: index)
                return true
            }
            if byte == ASCII.lf { throw .bareLF }
            try checkRequestLineByte(byte, at: index, limits: limits, classes: classes)
            index += 1
        }
        return false
    }

    /// RFC 9112 §3: request-line = method SP request-target SP HTTP-version, single spaces, no other whitespace.
    private mutating func checkRequestLineByte(
        _ byte: UInt8, at index: Int, limits: HTTPLimits, classes: ByteClass.Table
    ) throws(HTTPParseError) {
        switch stage {
        case .leadingLines, .method:
            if stage == .leadingLines {
                stage = .method
                lineStart = index
            }
            if byte == ASCII.space {
                guard index > lineStart else { throw .invalidRequestLine }
                methodRange = lineStart..<index
                targetStart = index + 1
                stage = .target
            } else if !classes.contains(byte, ByteClass.token) {
                throw .invalidMethod
            } else if index - lineStart >= limits.maxMethodBytes {
                throw .methodTooLong
            }
        case .target:
            if byte == ASCII.space {
                guard index > targetStart else { throw .invalidRequestLine }
                targetRange = targetStart..<index
                versionStart = index + 1
                stage = .version
            } else if !classes.contains(byte, ByteClass.target) {
                throw .invalidRequestTarget  // RFC 3986: no CTL, SP, non-ASCII, '#', '"<>\^`{|}'
            } else if index - targetStart >= limits.maxRequestTargetBytes {
                throw .requestTargetTooLong
            }
        case .version:
            if byte == ASCII.space { throw .invalidRequestLine }
            if index - versionStart >= 8 { throw .invalidVersion }  // longer than "HTTP/d.d"
        case .fields:
            break
        }
    }

    private mutating func finishRequestLine(_ bytes: UnsafeRawBufferPointer, end: Int) throws(HTTPParseError) {
        // A line without all three parts ("GET /" is HTTP/0.9, which we do not speak).
        guard stage == .version, end > versionStart else { throw .invalidRequestLine }
        // Reaching the version stage set all three parts on this line.
        assert(methodRange.upperBound < targetRange.lowerBound && targetRange.upperBound < versionStart && end <= bytes.count,
            "the request line's parts lie in order within the bytes")
        requestLine = try RequestLine.make(bytes, method: methodRange, target: targetRange, version: versionStart..<end)
        stage = .fields
    }
}
