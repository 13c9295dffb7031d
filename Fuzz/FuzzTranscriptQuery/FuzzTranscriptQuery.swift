import FuzzSupport
@testable import CallCore

/// The transcript query parser and the text normalizer on any text: the three ways transcripts are split into
/// words (strings, folded bytes, the index build's visitor) must find the same words, the query parser must find
/// them too, the cached fold must equal the plain one, and a query must match its own text as a transcript.
///
/// Input: the text, as UTF-8 (invalid sequences become U+FFFD, as any String would hold them).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: FuzzDriver.bytes(data, size), as: UTF8.self)
    let words = TextNormalizer.foldedWords(in: text)
    checkWordPaths(text, words: words)

    let trimmed = TextNormalizer.trimmingWhitespace(text)
    fuzzRequire(TextNormalizer.trimmingWhitespace(trimmed) == trimmed, "trimming twice changes \(trimmed.debugDescription)")
    if let query = TranscriptQuery(text) {
        fuzzRequire(query.text == trimmed, "query text \(query.text.debugDescription), trimmed \(trimmed.debugDescription)")
        fuzzRequire(query.phrases.allSatisfy { !$0.isEmpty && $0.allSatisfy { !$0.word.isEmpty } }, "empty phrase or term in \(query.phrases)")
        // Every term was read from the text, in order, so the text as a transcript holds every phrase.
        fuzzRequire(query.matches(words: words), "\(query.phrases) does not match its own words \(words)")
    }

    // Without quotes and stars a query is its words, each once, in first-seen order.
    var plainScalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars { plainScalars.append(scalar == "\"" || scalar == "*" ? " " : scalar) }
    let plain = String(plainScalars)
    var seen = Set<String>()
    let distinct = TextNormalizer.foldedWords(in: plain).filter { seen.insert($0).inserted }
    let terms = TranscriptQuery(plain)?.phrases.flatMap { $0.map(\.word) } ?? []
    fuzzRequire(terms == distinct, "query terms \(terms), transcript words \(distinct)")
    return 0
}

/// The byte-level word paths against `foldedWords`, and the cached fold against the plain one.
private func checkWordPaths(_ text: String, words: [String]) {
    var folder = WordFolder()
    var fromBytes: [String] = []
    TextNormalizer.forEachFoldedWordBytes(in: text, folder: &folder) { bytes in
        fromBytes.append(String(decoding: bytes, as: UTF8.self))
        return true
    }
    fuzzRequire(fromBytes == words, "folded bytes give \(fromBytes), strings give \(words)")
    var visitor = CollectingVisitor()
    TextNormalizer.forEachWord(in: text, folder: &folder, visitor: &visitor)
    fuzzRequire(visitor.words == words, "index visitor gives \(visitor.words), strings give \(words)")
    for word in words {
        fuzzRequire(folder.fold(word) == TextNormalizer.fold(word), "cached fold of \(word.debugDescription)")
    }
}

/// Collects the index build's words as folded strings.
private struct CollectingVisitor: WordVisitor {
    var words: [String] = []

    mutating func ascii(_ word: UnsafeBufferPointer<UInt8>) {
        words.append(String(decoding: word.map { TextNormalizer.lowercasedASCII($0) }, as: UTF8.self))
    }

    mutating func folded(_ word: UnsafeBufferPointer<UInt8>) {
        words.append(String(decoding: word, as: UTF8.self))
    }
}

@main
enum FuzzTranscriptQuery {
    static func main() {
        FuzzDriver.run(fuzz)
    }
}
