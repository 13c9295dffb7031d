@testable import HTTPKit

/// One request as a caller saw it: the head, the body bytes of every `.body` event, and whether `.end` came.
struct ParsedMessage: Equatable {
    var head: HTTPRequestHead
    var body: [UInt8] = []
    var complete = false
}

/// Everything a caller observed while feeding some bytes to a parser.
struct ParseOutcome: Equatable {
    var messages: [ParsedMessage] = []
    /// The error thrown, if any (feeding stops there).
    var error: HTTPParseError?
    /// Bytes left in the caller's buffer at the end (only compared when there was no error:
    /// after an error the buffer's content depends on how much had arrived).
    var unconsumed = 0
    /// Broken promises of the parser's contract (bad ranges, events out of order, no progress).
    var violations: [String] = []
}

/// Plays the caller of `HTTPRequestParser`: appends each feed to a buffer, calls `parse` until it
/// asks for more data, and drops consumed bytes, exactly as a connection would.
struct ParserDriver {
    var limits = HTTPLimits()
    /// When set, assigned to `parser.maxBodyBytes` after every `.head`, as the server does after routing.
    var maxBodyBytes: Int?

    /// Feeds the chunks in order and records what happened.
    func run<Chunks: Sequence>(_ chunks: Chunks) -> ParseOutcome where Chunks.Element: Collection, Chunks.Element.Element == UInt8 {
        var parser = HTTPRequestParser(limits: limits)
        var buffer: [UInt8] = []
        var outcome = ParseOutcome()
        for chunk in chunks {
            buffer.append(contentsOf: chunk)
            // Each round either consumes a byte or emits `.end`/`.needMoreData`, so this bound is generous.
            var rounds = 0
            let maxRounds = 3 * buffer.count + 8
            while true {
                rounds += 1
                if rounds > maxRounds {
                    outcome.violations.append("no progress after \(rounds) calls")
                    outcome.unconsumed = buffer.count
                    return outcome
                }
                let result = buffer.withUnsafeBytes { raw in
                    Result { () throws(HTTPParseError) in try parser.parse(raw) }
                }
                let consumed: Int
                let event: HTTPParserEvent
                switch result {
                case .failure(let error):
                    outcome.error = error
                    outcome.unconsumed = 0
                    return outcome
                case .success(let value):
                    (consumed, event) = value
                }
                guard consumed >= 0, consumed <= buffer.count else {
                    outcome.violations.append("consumed \(consumed) of \(buffer.count)")
                    return outcome
                }
                record(event, consumed: consumed, buffer: buffer, parser: &parser, into: &outcome)
                buffer.removeFirst(consumed)
                if event == .needMoreData { break }
            }
        }
        outcome.unconsumed = buffer.count
        return outcome
    }

    private func record(
        _ event: HTTPParserEvent, consumed: Int, buffer: [UInt8], parser: inout HTTPRequestParser, into outcome: inout ParseOutcome
    ) {
        let open = outcome.messages.last.map { !$0.complete } ?? false
        switch event {
        case .needMoreData:
            break
        case .head(let head):
            if open { outcome.violations.append("head while a message is open") }
            outcome.messages.append(ParsedMessage(head: head))
            if let maxBodyBytes { parser.maxBodyBytes = maxBodyBytes }
        case .body(let range):
            guard open else {
                outcome.violations.append("body outside a message")
                return
            }
            guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= consumed else {
                outcome.violations.append("body range \(range) with consumed \(consumed)")
                return
            }
            outcome.messages[outcome.messages.count - 1].body.append(contentsOf: buffer[range])
        case .end:
            guard open else {
                outcome.violations.append("end outside a message")
                return
            }
            outcome.messages[outcome.messages.count - 1].complete = true
        }
    }

    /// The whole input in one read.
    func runWhole(_ bytes: [UInt8]) -> ParseOutcome {
        run([bytes])
    }

    /// The input in two reads, split before index `split`.
    func runSplit(_ bytes: [UInt8], at split: Int) -> ParseOutcome {
        run([bytes[..<split], bytes[split...]])
    }

    /// One read per byte.
    func runBytewise(_ bytes: [UInt8]) -> ParseOutcome {
        run(bytes.map { [$0] })
    }
}

extension ParseOutcome {
    /// The outcome with the part that legitimately depends on read sizes removed.
    var comparable: ParseOutcome {
        var copy = self
        if copy.error != nil { copy.unconsumed = 0 }
        return copy
    }
}
