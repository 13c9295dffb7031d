import HTTPKit

/// One request as a caller of the parser saw it.
public struct FedMessage: Equatable, CustomStringConvertible {
    /// The head.
    public var head: HTTPRequestHead
    /// The bytes of every `.body` event, in order.
    public var body: [UInt8] = []
    /// Whether `.end` came.
    public var complete = false

    /// Method, target, body size and completeness, for failure messages.
    public var description: String {
        "\(head.method) \(head.target) \(head.framing) body \(body.count) bytes\(complete ? " end" : "")"
    }
}

/// Everything a caller observed while feeding bytes to a parser: the part that must not depend on read sizes.
public struct FeedOutcome: Equatable {
    /// Messages in order.
    public var messages: [FedMessage] = []
    /// The error thrown, if any (feeding stops there).
    public var error: HTTPParseError?
    /// Bytes left unconsumed at the end when there was no error (after an error they depend on what had arrived).
    public var unconsumed = 0
}

/// Plays a connection's part: appends each read to a buffer, calls `parse` until it asks for more data, drops
/// what was consumed, and checks the parser's contract on every event (it traps on a broken promise).
public struct ParserFeeder {
    /// The limits of the parser.
    public var limits: HTTPLimits
    /// When set, assigned to `maxBodyBytes` after every `.head`, as the server does after routing.
    public var maxBodyBytes: Int?

    /// A feeder with these limits.
    public init(limits: HTTPLimits = HTTPLimits(), maxBodyBytes: Int? = nil) {
        self.limits = limits
        self.maxBodyBytes = maxBodyBytes
    }

    /// `request` fed whole, in reads of `sizes` and byte by byte: stops the run unless all three frame it the same;
    /// returns the whole feed's outcome.
    public func agreedOutcome(of request: [UInt8], sizes: [Int]) -> FeedOutcome {
        let whole = run([request[...]])
        for readSizes in Set([sizes, [1]]) {
            let split = run(FuzzInput.pieces(of: request, sizes: readSizes))
            fuzzRequire(split == whole, "reads of \(readSizes) give \(split), whole gives \(whole)")
        }
        return whole
    }

    /// Feeds the reads in order and returns what happened.
    public func run(_ reads: [ArraySlice<UInt8>]) -> FeedOutcome {
        var parser = HTTPRequestParser(limits: limits)
        var buffer: [UInt8] = []
        var start = 0  // consumed bytes stay in `buffer` until it is compacted, so dropping them costs nothing
        var outcome = FeedOutcome()
        for read in reads {
            if start > 4096, start * 2 > buffer.count {
                buffer.removeFirst(start)
                start = 0
            }
            buffer.append(contentsOf: read)
            // Each call consumes a byte or emits `.end`, `.head` or `.needMoreData`, so this bound is generous.
            var calls = 0
            let maxCalls = 3 * (buffer.count - start) + 8
            while true {
                calls += 1
                fuzzRequire(calls <= maxCalls, "no progress after \(calls) calls")
                let available = buffer.count - start
                // The parser sees an allocation of exactly the unconsumed bytes, so AddressSanitizer reports any
                // read past them (an array's spare capacity would hide it).
                let window = UnsafeMutableRawBufferPointer.allocate(byteCount: available, alignment: 1)
                defer { window.deallocate() }
                window.copyBytes(from: buffer[start...])
                let result = Result { () throws(HTTPParseError) in try parser.parse(UnsafeRawBufferPointer(window)) }
                let consumed: Int
                let event: HTTPParserEvent
                switch result {
                case .failure(let error):
                    outcome.error = error
                    // A failed parser stays failed.
                    let again = Result { () throws(HTTPParseError) in try parser.parse(UnsafeRawBufferPointer(start: nil, count: 0)) }
                    fuzzRequire(again.failure == error, "parser answered \(again) after failing with \(error)")
                    return outcome
                case .success(let value):
                    (consumed, event) = value
                }
                fuzzRequire(consumed >= 0 && consumed <= available, "consumed \(consumed) of \(available)")
                record(event, consumed: consumed, bytes: buffer[start..<(start + consumed)], parser: &parser, into: &outcome)
                start += consumed
                if event == .needMoreData { break }
            }
        }
        outcome.unconsumed = buffer.count - start
        return outcome
    }

    private func record(
        _ event: HTTPParserEvent, consumed: Int, bytes: ArraySlice<UInt8>, parser: inout HTTPRequestParser, into outcome: inout FeedOutcome
    ) {
        let open = outcome.messages.last.map { !$0.complete } ?? false
        switch event {
        case .needMoreData:
            break
        case .head(let head):
            fuzzRequire(!open, "head while a message is open")
            fuzzRequire(consumed > 0, "a head that consumed nothing")
            outcome.messages.append(FedMessage(head: head))
            if let maxBodyBytes { parser.maxBodyBytes = maxBodyBytes }
        case .body(let range):
            fuzzRequire(open, "body outside a message")
            fuzzRequire(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= consumed, "body range \(range) with consumed \(consumed)")
            let base = bytes.startIndex
            outcome.messages[outcome.messages.count - 1].body += bytes[(base + range.lowerBound)..<(base + range.upperBound)]
        case .end:
            fuzzRequire(open, "end outside a message")
            outcome.messages[outcome.messages.count - 1].complete = true
        }
    }
}

extension Result {
    /// The error, or nil on success.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
