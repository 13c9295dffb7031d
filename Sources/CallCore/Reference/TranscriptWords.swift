/// Every transcript of a store as a sequence of folded words, with each distinct word stored once and referred to by number.
struct TranscriptWords: Sendable {
    /// Distinct folded words; a word's number is its position here.
    private(set) var words: [String] = []
    private var numbers: [String: UInt32] = [:]

    /// Tokenizes `transcript` and returns its word numbers, adding new words to the vocabulary.
    mutating func add(_ transcript: String, folder: inout WordFolder) -> [UInt32] {
        var sequence: [UInt32] = []
        TextNormalizer.forEachFoldedWord(in: transcript, folder: &folder) { word in
            sequence.append(number(for: word))
        }
        return sequence
    }

    private mutating func number(for word: String) -> UInt32 {
        if let number = numbers[word] { return number }
        let number = UInt32(truncatingIfNeeded: words.count)
        words.append(word)
        numbers[word] = number
        return number
    }

    /// For each phrase of `query`, for each of its terms, the word numbers that satisfy the term.
    func resolve(_ query: TranscriptQuery) -> [[Set<UInt32>]] {
        query.phrases.map { phrase in
            phrase.map { term in
                if !term.isPrefix {
                    return numbers[term.word].map { [$0] } ?? []
                }
                var accepted = Set<UInt32>()
                for (number, word) in words.enumerated() where term.matches(word) {
                    accepted.insert(UInt32(truncatingIfNeeded: number))
                }
                return accepted
            }
        }
    }

    /// Whether a transcript's word numbers contain every resolved phrase, each as consecutive words in order.
    static func matches(_ sequence: [UInt32], _ resolved: [[Set<UInt32>]]) -> Bool {
        resolved.allSatisfy { phrase in
            TranscriptQuery.occurs(phrase.count, in: sequence.count) { start, offset in
                phrase[offset].contains(sequence[start + offset])
            }
        }
    }
}
