/// A parsed `transcript_search`: terms that must all occur, each a word, a prefix (`refund*`) or a quoted phrase.
public struct TranscriptQuery: Sendable, Equatable {
    /// Most distinct terms (words, prefixes and phrases) a search may hold (API.md: it bounds the work of one request).
    public static let maxTerms = 32

    /// One word of a query, folded; a prefix term matches every word it begins.
    public struct Term: Sendable, Hashable, CustomStringConvertible {
        /// The folded word.
        public var word: String
        /// Whether the query wrote it with a trailing `*`.
        public var isPrefix: Bool

        /// Creates a term from an already folded word.
        public init(word: String, isPrefix: Bool = false) {
            self.word = word
            self.isPrefix = isPrefix
        }

        /// Whether a folded transcript word satisfies this term.
        public func matches(_ folded: String) -> Bool {
            // Compare scalars, not Characters: a prefix may end just before a combining mark of the longer word.
            isPrefix ? folded.unicodeScalars.starts(with: word.unicodeScalars) : folded == word
        }

        /// The term as a query would spell it.
        public var description: String { isPrefix ? word + "*" : word }
    }

    /// The query as given, trimmed of surrounding white space (echoed in `applied_filters`).
    public let text: String
    /// Every phrase must occur; a phrase's terms must match consecutive words in order. Plain terms are one-term phrases.
    /// Distinct, in first-seen order: a term given twice is planned and verified once.
    public let phrases: [[Term]]

    /// Parses a query; nil when it has no words (the same as no search).
    ///
    /// Words are found exactly as in transcripts (`TextNormalizer`). A word immediately followed by `*` is a prefix
    /// term. A `"` opens a phrase and the next `"` closes it; an unterminated phrase runs to the end of the query.
    public init?(_ raw: String) {
        // ASCII text (the usual query) is read from its bytes in place, with no array of scalars.
        let phrases = raw.utf8.allSatisfy { $0 < 0x80 }
            ? raw.withContiguousUTF8 { bytes in Self.phrases(of: bytes.lazy.map { Unicode.Scalar($0) }) }
            : Self.phrases(of: Array(raw.unicodeScalars))
        guard !phrases.isEmpty else { return nil }
        self.text = TextNormalizer.trimmingWhitespace(raw)
        self.phrases = phrases
    }

    /// The phrases of a query's scalars: each quoted run of words one phrase, every other word a phrase of its own.
    private static func phrases<Scalars: RandomAccessCollection<Unicode.Scalar>>(of scalars: Scalars) -> [[Term]]
    where Scalars.Index == Int {
        var phrases: [[Term]] = []
        var phrase: [Term] = []
        var inQuotes = false
        var position = scalars.startIndex
        while position < scalars.endIndex {
            let scalar = scalars[position]
            if scalar == "\"" {
                if inQuotes, !phrase.isEmpty {
                    phrases.append(phrase)
                    phrase = []
                }
                inQuotes.toggle()
                position += 1
                continue
            }
            guard TextNormalizer.isWordScalar(scalar) else {
                position += 1
                continue
            }
            var wordEnd = position + 1
            while wordEnd < scalars.endIndex, TextNormalizer.continuesWord(scalars[wordEnd]) { wordEnd += 1 }
            let isPrefix = wordEnd < scalars.endIndex && scalars[wordEnd] == "*"
            let folded = Self.folded(scalars[position..<wordEnd])
            if !folded.isEmpty {
                let term = Term(word: folded, isPrefix: isPrefix)
                if inQuotes { phrase.append(term) } else { phrases.append([term]) }
            }
            position = isPrefix ? wordEnd + 1 : wordEnd
        }
        if !phrase.isEmpty { phrases.append(phrase) }
        // A repeated term adds nothing to an AND of terms, but would cost a pass each (`"a* a* a*"`).
        return phrases.uniquedInOrder()
    }

    private static func folded(_ scalars: some Collection<Unicode.Scalar>) -> String {
        guard scalars.allSatisfy(\.isASCII) else {
            var word = String.UnicodeScalarView()
            word.append(contentsOf: scalars)
            return TextNormalizer.fold(String(word))
        }
        return String(unsafeUninitializedCapacity: scalars.count) { buffer in
            assert(buffer.count >= scalars.count, "room for every scalar, one byte each")
            for (offset, scalar) in scalars.enumerated() {
                buffer[offset] = TextNormalizer.lowercasedASCII(UInt8(truncatingIfNeeded: scalar.value))
            }
            return scalars.count
        }
    }

    /// Whether a transcript, given as its folded word sequence, satisfies every phrase (the reference semantics).
    public func matches(words: [String]) -> Bool {
        phrases.allSatisfy { phrase in
            Self.occurs(phrase.count, in: words.count) { start, offset in phrase[offset].matches(words[start + offset]) }
        }
    }

    /// Whether some start position makes `matchesAt(start, k)` true for every k below `length` (consecutive, in order).
    static func occurs(_ length: Int, in count: Int, _ matchesAt: (Int, Int) -> Bool) -> Bool {
        guard length > 0, length <= count else { return length == 0 }
        for start in 0...(count - length) where (0..<length).allSatisfy({ matchesAt(start, $0) }) {
            return true
        }
        return false
    }
}
