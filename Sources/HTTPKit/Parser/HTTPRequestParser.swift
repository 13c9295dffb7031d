/// Incremental HTTP/1.1 request parser: bytes in, events out, no I/O (picohttpparser's shape).
///
/// Strict by design (RFC 9112 plus zero tolerance for request smuggling): anything that a
/// lenient peer could frame differently is an error, and after an error the parser stays failed.
public struct HTTPRequestParser: Sendable {
    private enum Phase: Sendable {
        case head
        /// Next call answers `.end` (no body, or the last Content-Length byte was delivered).
        case endPending
        case fixedBody(remaining: Int)
        case chunkSizeLine
        case chunkData(remaining: Int)
        case chunkDataTerminator
        case trailers
    }

    /// The limits in force.
    public let limits: HTTPLimits
    /// Body limit for chunked bodies of the current message; reset to `limits.maxBodyBytes` at each
    /// new head, set it after `.head` to change it for that message. Exceeding it → `.bodyTooLarge`.
    public var maxBodyBytes: Int

    private var phase = Phase.head
    private var head = HeadScanner()
    private var chunkLine = ChunkLineScanner()
    private var trailers = FieldSection(firstLineWhitespace: .obsFold)
    private var chunkedBodyBytes = 0
    private var failure: HTTPParseError?

    /// A parser for a new connection.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        self.maxBodyBytes = limits.maxBodyBytes
    }

    /// Bytes the scanners examined so far (tests check that byte-by-byte feeding stays linear).
    var bytesScanned: Int {
        head.bytesScanned + head.section.bytesScanned + chunkLine.bytesScanned + trailers.bytesScanned
    }

    /// Parses from the start of `input` (the caller's unconsumed bytes). Returns how many bytes of
    /// `input` were consumed and the event. The caller drops `consumed` bytes from its buffer and
    /// calls again with whatever remains plus new data; on `.needMoreData` it waits for more bytes.
    /// A head or chunk-size line stays unconsumed until complete; the parser remembers how far it
    /// looked. Once an error is thrown the parser stays failed.
    public mutating func parse(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> (consumed: Int, event: HTTPParserEvent) {
        if let failure { throw failure }
        do throws(HTTPParseError) {
            return try step(input)
        } catch {
            failure = error
            throw error
        }
    }

    /// Runs the state machine until it has an event or needs bytes; `offset` counts what was consumed.
    private mutating func step(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> (consumed: Int, event: HTTPParserEvent) {
        var offset = 0
        while true {
            assert(offset <= input.count, "the parser consumes only bytes it was given")
            let rest = UnsafeRawBufferPointer(rebasing: input[offset...])
            switch phase {
            case .head:
                guard let headLength = try head.scan(rest, limits: limits), let requestLine = head.requestLine else {
                    return (offset, .needMoreData)
                }
                let requestHead = try HeadInterpreter.makeHead(rest, requestLine: requestLine, fields: head.section.fields)
                head.reset()
                startBody(requestHead.framing)
                return (offset + headLength, .head(requestHead))

            case .endPending:
                phase = .head
                return (offset, .end)

            case .fixedBody(let remaining):
                guard !rest.isEmpty else { return (offset, .needMoreData) }
                let taken = min(remaining, rest.count)
                phase = taken == remaining ? .endPending : .fixedBody(remaining: remaining - taken)
                return (offset + taken, .body(offset..<(offset + taken)))

            case .chunkSizeLine:
                guard let line = try chunkLine.scan(rest, limits: limits) else { return (offset, .needMoreData) }
                let size = try ChunkLineScanner.parseSize(UnsafeRawBufferPointer(rebasing: rest[..<line.content]))
                chunkLine.reset()
                offset += line.total
                if size == 0 {
                    trailers.reset(at: 0)  // RFC 9112 §7.1: the last chunk is followed by the trailer section
                    phase = .trailers
                } else {
                    // Checked before any data arrives; written so that it cannot overflow.
                    guard chunkedBodyBytes <= maxBodyBytes, size <= maxBodyBytes - chunkedBodyBytes else {
                        throw .bodyTooLarge
                    }
                    chunkedBodyBytes += size
                    phase = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                guard !rest.isEmpty else { return (offset, .needMoreData) }
                let taken = min(remaining, rest.count)
                phase = taken == remaining ? .chunkDataTerminator : .chunkData(remaining: remaining - taken)
                return (offset + taken, .body(offset..<(offset + taken)))

            case .chunkDataTerminator:
                // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF, exactly.
                guard let first = rest.first else { return (offset, .needMoreData) }
                guard first == ASCII.cr else { throw .missingChunkDataTerminator }
                guard rest.count >= 2 else { return (offset, .needMoreData) }
                guard rest[1] == ASCII.lf else { throw .missingChunkDataTerminator }
                offset += 2
                phase = .chunkSizeLine

            case .trailers:
                if trailers.position > rest.count { trailers.reset(at: 0) }  // the caller's buffer shrank
                guard let sectionLength = try trailers.scan(rest, limits: limits) else { return (offset, .needMoreData) }
                // Trailer fields are validated like header fields, then discarded (RFC 9112 §7.1.2 allows it).
                try Trailers.check(rest, fields: trailers.fields)
                trailers.reset(at: 0)
                phase = .head
                return (offset + sectionLength, .end)
            }
        }
    }

    /// Chooses the body phase for a head just parsed and resets the per-message body state.
    private mutating func startBody(_ framing: HTTPBodyFraming) {
        maxBodyBytes = limits.maxBodyBytes
        chunkedBodyBytes = 0
        switch framing {
        case .none, .contentLength(0):
            phase = .endPending
        case .contentLength(let length):
            phase = .fixedBody(remaining: length)
        case .chunked:
            chunkLine.reset()
            phase = .chunkSizeLine
        }
    }
}
