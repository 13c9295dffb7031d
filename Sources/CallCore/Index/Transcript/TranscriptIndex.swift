/// The transcript search index of one partition: the sorted vocabulary of folded words (so a prefix is one
/// contiguous range of word numbers), the rows of each word, the rows of each pair of adjacent frequent words,
/// and the rows of each triple made of two overlapping frequent pairs: two- and three-word phrases are exact set
/// lookups, without touching rows. Whatever the sets leave open (longer phrases, prefixes inside phrases, a rare
/// word) has few candidates, verified against their transcripts (`PhraseVerifier`).
struct TranscriptIndex: Sendable {
    /// Distinct folded words in byte order; a word's number is its position.
    let words: [String]
    /// The rows of each word.
    let wordRows: PostingTable
    /// Pairs are indexed only when both words occur in at least this many rows; a phrase with a rarer word has
    /// at most this many candidates, few enough to verify one by one.
    let pairWordThreshold: Int
    /// Number of each indexed pair (`PairTable.key(first, second)`).
    let pairNumbers: PairTable
    /// The rows of each indexed pair, by pair number.
    let pairRows: PostingTable
    /// Triples are indexed only when both of their pairs occur in at least this many rows; a phrase with a rarer
    /// pair has at most this many candidates.
    let triplePairThreshold: Int
    /// Number of each indexed triple (`PairTable.key(first pair, second pair)`).
    let tripleNumbers: PairTable
    /// The rows of each indexed triple, by triple number.
    let tripleRows: PostingTable

    /// The word numbers a term accepts: one word, a prefix's contiguous range, or empty when no word matches.
    func wordRange(_ term: TranscriptQuery.Term) -> Range<Int> {
        guard term.isPrefix else {
            return wordNumber(term.word).map { $0..<($0 + 1) } ?? 0..<0
        }
        let key = Array(term.word.utf8)
        let lower = firstWord { ByteOrder.compare($0, key) >= 0 }
        // Words starting with the prefix follow it directly in byte order.
        let upper = firstWord { ByteOrder.compare($0, key) >= 0 && !ByteOrder.hasPrefix($0, key) }
        return lower..<max(lower, upper)
    }

    /// The number of exactly `word` in the vocabulary, if the base has it.
    func wordNumber(_ word: String) -> Int? {
        // The search reads the vocabulary in place (through its base pointer, which lends each word rather than
        // copying it) and the word's bytes once.
        word.withContiguousUTF8 { key in
            words.withUnsafeBufferPointer { buffer -> Int? in
                guard let vocabulary = buffer.baseAddress else { return nil }
                func order(_ position: Int) -> Int { vocabulary[position].withContiguousUTF8 { ByteOrder.order($0, key) } }
                let position = partitionPoint(buffer.indices) { order($0) < 0 }
                // Byte equality, as the order: String's == would also weigh canonical equivalence, slowly.
                return position < buffer.count && order(position) == 0 ? position : nil
            }
        }
    }

    /// The first position whose word satisfies `isAtOrAfter` (which must be false then true along the words).
    private func firstWord(_ isAtOrAfter: (String) -> Bool) -> Int {
        partitionPoint(words.indices) { !isAtOrAfter(words[$0]) }
    }

    /// What the pair index knows about the adjacent words (first, second).
    enum PairAnswer {
        /// The pair is not indexed (a word is too rare); candidates need verification.
        case notIndexed
        /// The exact rows where the pair occurs (empty when it never does).
        case rows(RowSource?)
    }

    /// The rows where `first` is directly followed by `second`, when the pair index covers them.
    func pairRows(_ first: Int, _ second: Int) -> PairAnswer {
        guard wordRows.count(first) >= pairWordThreshold, wordRows.count(second) >= pairWordThreshold else {
            return .notIndexed
        }
        guard let number = pairNumber(first, second) else { return .rows(nil) }
        return .rows(pairRows.source(number))
    }

    /// The rows where `first`, `second`, `third` occur consecutively, when the triple index covers them.
    func tripleRows(_ first: Int, _ second: Int, _ third: Int) -> PairAnswer {
        guard let head = pairNumber(first, second), let tail = pairNumber(second, third),
            pairRows.count(head) >= triplePairThreshold, pairRows.count(tail) >= triplePairThreshold
        else { return .notIndexed }
        let key = PairTable.key(UInt32(truncatingIfNeeded: head), UInt32(truncatingIfNeeded: tail))
        guard let number = tripleNumbers.value(key) else { return .rows(nil) }
        return .rows(tripleRows.source(Int(number)))
    }

    private func pairNumber(_ first: Int, _ second: Int) -> Int? {
        pairNumbers.value(PairTable.key(UInt32(truncatingIfNeeded: first), UInt32(truncatingIfNeeded: second))).map(Int.init)
    }

    /// Approximate heap bytes per structure, for reports.
    var byteCounts: [(String, Int)] {
        [
            ("vocabulary", words.count * 16 + words.reduce(0) { $0 + ($1.utf8.count > 15 ? $1.utf8.count + 32 : 0) }),
            ("word postings", wordRows.byteCount),
            ("pair postings", pairNumbers.byteCount + pairRows.byteCount),
            ("triple postings", tripleNumbers.byteCount + tripleRows.byteCount),
        ]
    }
}
