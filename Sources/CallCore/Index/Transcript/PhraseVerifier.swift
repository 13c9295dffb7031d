/// Checks one transcript for a phrase by scanning its words, for the few candidate rows the indexes cannot
/// settle (phrases of four or more words, phrases with prefixes, phrases with a rare word): a bit per phrase
/// position tracks which prefixes of the phrase end at the current word.
struct PhraseVerifier: Sendable {
    /// Every term's bytes back to back; term i is `bytes[starts[i]..<starts[i + 1]]`.
    private let bytes: [UInt8]
    private let starts: [Int]
    private let isPrefix: [Bool]
    private let phrase: [TranscriptQuery.Term]

    /// A verifier for `phrase` (folded terms, as parsed).
    init(_ phrase: [TranscriptQuery.Term]) {
        var bytes: [UInt8] = []
        var starts = [0]
        for term in phrase {
            bytes += term.word.utf8
            starts.append(bytes.count)
        }
        self.bytes = bytes
        self.starts = starts
        isPrefix = phrase.map(\.isPrefix)
        self.phrase = phrase
    }

    /// Whether `transcript` contains the phrase as consecutive words.
    func matches(_ transcript: String, folder: inout WordFolder) -> Bool {
        let count = phrase.count
        guard count > 0 else { return true }
        guard count <= 64 else {
            // Longer than the bit state holds: compare word lists (such queries are rare).
            let words = TextNormalizer.foldedWords(in: transcript)
            return TranscriptQuery.occurs(count, in: words.count) { start, offset in phrase[offset].matches(words[start + offset]) }
        }
        let last = UInt64(1) << UInt64(count - 1)
        // Terms are read by number through unchecked offsets into `bytes`.
        assert(starts.count == count + 1 && isPrefix.count == count && starts.last == bytes.count, "one start and flag per term")
        var state: UInt64 = 0
        var found = false
        bytes.withUnsafeBufferPointer { bytes in
            starts.withUnsafeBufferPointer { starts in
                isPrefix.withUnsafeBufferPointer { isPrefix in
                    TextNormalizer.forEachFoldedWordBytes(in: transcript, folder: &folder) { word in
                        // Only terms that could extend the current state matter; the first term always can.
                        var candidates = ((state << 1) | 1) & (count == 64 ? UInt64.max : (last << 1) - 1)
                        var matching: UInt64 = 0
                        while candidates != 0 {
                            let term = candidates.trailingZeroBitCount
                            candidates &= candidates &- 1
                            let start = starts[term]
                            let length = starts[term + 1] - start
                            guard isPrefix[term] ? word.count >= length : word.count == length else { continue }
                            var equal = true
                            for index in 0..<length where bytes[start + index] != word[index] {
                                equal = false
                                break
                            }
                            if equal { matching |= 1 << UInt64(term) }
                        }
                        state = matching
                        if state & last != 0 {
                            found = true
                            return false
                        }
                        return true
                    }
                }
            }
        }
        return found
    }
}
