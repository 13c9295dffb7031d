import Foundation
import Testing
import HTTPKit

/// What one message of a fixture must look like; unset fields are not checked.
struct ExpectedMessage: Sendable {
    var method: String
    var target: String
    var version: String
    var path: String?
    /// `.some(nil)`: the head must have no query.
    var query: String??
    var framing: HTTPBodyFraming?
    var keepAlive: Bool?
    var expectsContinue: Bool?
    /// When any `header` line is given, the full list in order.
    var headers: [FieldExpectation]?
    var headerCount: Int?
    var body: [UInt8] = []
    var complete = false
}

/// One expected header field.
struct FieldExpectation: Sendable, Equatable {
    var name: String
    var value: String
}

/// One case of a Markdown fixture file: a name, raw request bytes and the expected outcome.
struct FixtureCase: Sendable, CustomTestStringConvertible {
    var name: String
    var file: String
    var line: Int
    var request: [UInt8] = []
    var limits = HTTPLimits()
    var messages: [ExpectedMessage] = []
    /// The `HTTPParseError` case name the parser must throw.
    var error: String?
    /// The input ends mid-message: the parser must be waiting for more bytes.
    var incomplete = false

    var testDescription: String { "\(file): \(name)" }
}

/// Reads the fixture format described in Fixtures/parser-README.md.
enum FixtureFormat {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses one Markdown file into its cases.
    static func parse(_ text: String, file: String) throws -> [FixtureCase] {
        var cases: [FixtureCase] = []
        var current: FixtureCase?
        var block: String?  // "request" or "expect" while inside a fenced block
        var sawRequest = false
        var sawExpect = false

        func finish() throws {
            guard let done = current else { return }
            guard sawRequest, sawExpect else {
                throw Problem(description: "\(file):\(done.line) case '\(done.name)' needs a request and an expect block")
            }
            cases.append(done)
        }

        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let location = "\(file):\(number + 1)"
            if let kind = block {
                if line.trimmingCharacters(in: .whitespaces) == "```" {
                    block = nil
                    continue
                }
                if kind == "request" {
                    current?.request.append(contentsOf: try Escapes.decode(line, at: location))
                } else if kind == "expect" {
                    guard var fixture = current else { continue }
                    try applyExpectation(String(line), to: &fixture, at: location)
                    current = fixture
                }
                continue
            }
            if line.hasPrefix("## ") {
                try finish()
                current = FixtureCase(
                    name: line.dropFirst(3).trimmingCharacters(in: .whitespaces), file: file, line: number + 1)
                sawRequest = false
                sawExpect = false
            } else if line.hasPrefix("```") {
                let kind = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                guard current != nil else {
                    block = "other"
                    continue
                }
                switch kind {
                case "request":
                    guard !sawRequest else { throw Problem(description: "\(location): second request block") }
                    sawRequest = true
                case "expect":
                    guard !sawExpect else { throw Problem(description: "\(location): second expect block") }
                    sawExpect = true
                default:
                    break
                }
                block = kind
            }
        }
        try finish()
        return cases
    }

    private static func applyExpectation(_ line: String, to fixture: inout FixtureCase, at location: String) throws {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return }
        let (keyword, argument) = splitFirstWord(trimmed)
        func problem(_ message: String) -> Problem { Problem(description: "\(location): \(message): \(trimmed)") }
        func yesNo() throws -> Bool {
            switch argument {
            case "yes": return true
            case "no": return false
            default: throw problem("expected yes or no")
            }
        }
        func lastMessage() throws -> Int {
            guard !fixture.messages.isEmpty else { throw problem("no 'head' line before this one") }
            return fixture.messages.count - 1
        }

        switch keyword {
        case "head":
            let parts = argument.split(separator: " ").map(String.init)
            guard parts.count == 3 else { throw problem("head needs METHOD TARGET VERSION") }
            fixture.messages.append(ExpectedMessage(method: parts[0], target: parts[1], version: parts[2]))
        case "path":
            fixture.messages[try lastMessage()].path = argument
        case "query":
            fixture.messages[try lastMessage()].query = .some(argument)
        case "no-query":
            fixture.messages[try lastMessage()].query = .some(nil)
        case "framing":
            let index = try lastMessage()
            let parts = argument.split(separator: " ")
            switch (parts.first, parts.count) {
            case ("none", 1): fixture.messages[index].framing = HTTPBodyFraming.none
            case ("chunked", 1): fixture.messages[index].framing = .chunked
            case ("length", 2):
                guard let length = Int(parts[1]) else { throw problem("bad length") }
                fixture.messages[index].framing = .contentLength(length)
            default: throw problem("framing is none, chunked or length N")
            }
        case "keep-alive":
            fixture.messages[try lastMessage()].keepAlive = try yesNo()
        case "continue":
            fixture.messages[try lastMessage()].expectsContinue = try yesNo()
        case "header":
            let index = try lastMessage()
            guard let colon = argument.firstIndex(of: ":") else { throw problem("header needs 'Name: value'") }
            let name = String(argument[..<colon])
            let valueBytes = try Escapes.decode(argument[argument.index(after: colon)...].drop { $0 == " " }, at: location)
            let value = String(decoding: valueBytes, as: UTF8.self)
            fixture.messages[index].headers = (fixture.messages[index].headers ?? []) + [FieldExpectation(name: name, value: value)]
        case "headers":
            guard let count = Int(argument) else { throw problem("headers needs a count") }
            fixture.messages[try lastMessage()].headerCount = count
        case "body":
            fixture.messages[try lastMessage()].body += try Escapes.decode(Substring(argument), at: location)
        case "end":
            fixture.messages[try lastMessage()].complete = true
        case "error":
            guard HTTPParseError.allCases.contains(where: { "\($0)" == argument }) else {
                throw problem("unknown HTTPParseError case")
            }
            fixture.error = argument
        case "incomplete":
            fixture.incomplete = true
        case "limit":
            let (name, valueText) = splitFirstWord(argument)
            guard let value = Int(valueText) else { throw problem("limit needs NAME N") }
            switch name {
            case "maxRequestTargetBytes": fixture.limits.maxRequestTargetBytes = value
            case "maxHeaderSectionBytes": fixture.limits.maxHeaderSectionBytes = value
            case "maxHeaderFields": fixture.limits.maxHeaderFields = value
            case "maxChunkLineBytes": fixture.limits.maxChunkLineBytes = value
            case "maxMethodBytes": fixture.limits.maxMethodBytes = value
            case "maxLeadingEmptyLines": fixture.limits.maxLeadingEmptyLines = value
            case "maxBodyBytes": fixture.limits.maxBodyBytes = value
            default: throw problem("unknown limit")
            }
        default:
            throw problem("unknown keyword")
        }
    }

    private static func splitFirstWord(_ text: String) -> (String, String) {
        guard let space = text.firstIndex(of: " ") else { return (text, "") }
        return (String(text[..<space]), String(text[text.index(after: space)...]))
    }
}

/// Escapes that make CR, LF and other bytes visible in fixtures:
/// `\r`, `\n`, `\t`, `\0`, `\\`, `\xHH`; every other character stands for its UTF-8 bytes.
enum Escapes {
    static func decode(_ text: Substring, at location: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var characters = text.unicodeScalars.makeIterator()
        while let scalar = characters.next() {
            guard scalar == "\\" else {
                bytes.append(contentsOf: String(scalar).utf8)
                continue
            }
            switch characters.next() {
            case "r": bytes.append(0x0D)
            case "n": bytes.append(0x0A)
            case "t": bytes.append(0x09)
            case "0": bytes.append(0x00)
            case "\\": bytes.append(0x5C)
            case "x":
                guard let high = characters.next(), let low = characters.next(),
                      let value = UInt8(String(high) + String(low), radix: 16) else {
                    throw FixtureFormat.Problem(description: "\(location): \\x needs two hex digits")
                }
                bytes.append(value)
            default:
                throw FixtureFormat.Problem(description: "\(location): unknown escape in: \(text)")
            }
        }
        return bytes
    }
}

/// Every case of every `parser-*.md` file in the test bundle's Fixtures folder.
enum ParserFixtures {
    /// The cases, in file order (empty when loading failed; see `loadProblems`).
    static var cases: [FixtureCase] { loaded.cases }
    /// Why loading failed, if it did.
    static var loadProblems: [String] { loaded.problems }

    private static let loaded = load()

    private static func load() -> (cases: [FixtureCase], problems: [String]) {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            return ([], ["Fixtures folder missing from the test bundle"])
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasPrefix("parser-") && $0.hasSuffix(".md") && $0 != "parser-README.md" }
                .sorted()
        } catch {
            return ([], ["cannot list Fixtures: \(error)"])
        }
        var cases: [FixtureCase] = []
        var problems: [String] = []
        for name in names {
            do {
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                cases += try FixtureFormat.parse(text, file: name)
            } catch {
                problems.append("\(error)")
            }
        }
        if names.isEmpty { problems.append("no parser-*.md fixture files") }
        return (cases, problems)
    }
}
