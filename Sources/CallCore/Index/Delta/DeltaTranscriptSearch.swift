/// A transcript search prepared for testing delta entries: its phrases flattened into one list of terms with the
/// base word range each term accepts, so testing an entry touches no per-phrase arrays.
struct DeltaTranscriptSearch {
    /// Every phrase's terms, phrase after phrase.
    let terms: [TranscriptQuery.Term]
    /// The base word numbers each term accepts (empty: none, only an entry's extra words can match).
    let ranges: [Range<Int>]
    /// Where each phrase's terms end in `terms`.
    let phraseEnds: [Int]
    /// The base vocabulary's size: token numbers from here on are an entry's extra words.
    let wordCount: Int
    /// Whether some term matches no base word.
    let hasUnknownTerm: Bool
    /// The terms that are phrases of their own, and their ranges (tested by a binary search each).
    let singleTerms: [TranscriptQuery.Term]
    let singleRanges: [Range<Int>]
    /// Whether some phrase has more than one term (those need a pass over the tokens).
    let hasPhrase: Bool

    /// Prepares `phrases` against `index`, the base's transcript index.
    init(_ phrases: [[TranscriptQuery.Term]], index: TranscriptIndex) {
        terms = phrases.flatMap { $0 }
        ranges = terms.map { index.wordRange($0) }
        var end = 0
        phraseEnds = phrases.map { phrase in
            end += phrase.count
            return end
        }
        wordCount = index.words.count
        hasUnknownTerm = ranges.contains(where: \.isEmpty)
        // A one-term phrase is its term and the range already found for it: no second search of the vocabulary.
        var singleTerms: [TranscriptQuery.Term] = []
        var singleRanges: [Range<Int>] = []
        var start = 0
        for end in phraseEnds {
            if end - start == 1 {
                singleTerms.append(terms[start])
                singleRanges.append(ranges[start])
            }
            start = end
        }
        self.singleTerms = singleTerms
        self.singleRanges = singleRanges
        hasPhrase = singleTerms.count < phraseEnds.count
    }
}
