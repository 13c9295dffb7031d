/// Picks set bits by their rank within a range of bit positions, skipping whole words by popcount: finding the
/// k-th member costs one word per 64 positions, never one step per member skipped.
struct BitSelection {
    /// How many leading members are still to be skipped before collecting.
    var skip: Int
    /// How many members to collect in all.
    let take: Int
    /// The collected bit positions, in the order walked.
    var positions: [Int] = []

    /// Starts a selection that skips `skip` members and then collects up to `take`.
    init(skip: Int, take: Int) {
        self.skip = skip
        self.take = take
        positions.reserveCapacity(min(take, 4096))
    }

    /// Whether `take` members have been collected.
    var isComplete: Bool { positions.count >= take }

    /// Walks the set bits of `words` within `range`, upward or downward, continuing this selection.
    mutating func walk(_ words: UnsafeBufferPointer<UInt64>, range: Range<Int>, descending: Bool) {
        guard !range.isEmpty, !isComplete else { return }
        assert(range.lowerBound >= 0 && range.upperBound <= words.count << 6, "the range lies within the words' bits")
        let first = range.lowerBound >> 6
        let last = (range.upperBound - 1) >> 6
        if descending {
            var index = last
            while index >= first {
                if visit(words[index] & RowBitmap.mask(word: index, within: range), word: index, descending: true) { return }
                index -= 1
            }
        } else {
            for index in first...last {
                if visit(words[index] & RowBitmap.mask(word: index, within: range), word: index, descending: false) { return }
            }
        }
    }

    /// Consumes one masked word; true once the selection is complete.
    private mutating func visit(_ masked: UInt64, word index: Int, descending: Bool) -> Bool {
        var bits = masked
        let population = bits.nonzeroBitCount
        if skip >= population {
            skip -= population
            return false
        }
        while bits != 0 {
            let bit = descending ? 63 - bits.leadingZeroBitCount : bits.trailingZeroBitCount
            bits &= ~(1 << UInt64(bit))
            if skip > 0 {
                skip -= 1
                continue
            }
            positions.append(index << 6 | bit)
            if positions.count >= take { return true }
        }
        return false
    }
}
