/// A set of row numbers below a fixed bound, one bit per row: intersections and counts cost one word per 64 rows,
/// whatever the number of members.
struct RowBitmap: Sendable {
    /// Bit `r & 63` of word `r >> 6` is set when row `r` is a member.
    private(set) var words: [UInt64]

    /// An empty set for rows `0..<rowCount`.
    init(rowCount: Int) {
        words = [UInt64](repeating: 0, count: Self.wordCount(rowCount))
    }

    /// A set given by its words.
    init(words: [UInt64]) {
        self.words = words
    }

    /// The set of `rows` (each below `rowCount`).
    init<Rows: Sequence<UInt32>>(rows: Rows, rowCount: Int) {
        self.init(rowCount: rowCount)
        insert(rows: rows)
    }

    /// The words needed for `rowCount` bits.
    static func wordCount(_ rowCount: Int) -> Int { (rowCount + 63) >> 6 }

    /// The words that hold bits of `rows` (a range of row numbers).
    static func wordRange(_ rows: Range<Int>) -> Range<Int> {
        guard !rows.isEmpty else { return 0..<0 }
        return (rows.lowerBound >> 6)..<((rows.upperBound + 63) >> 6)
    }

    /// Whether `row` is a member.
    func contains(_ row: Int) -> Bool {
        words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// Adds `row`.
    mutating func insert(_ row: Int) {
        words[row >> 6] |= 1 << UInt64(row & 63)
    }

    /// Adds each of `rows` (each below the bound).
    mutating func insert<Rows: Sequence<UInt32>>(rows: Rows) {
        words.withUnsafeMutableBufferPointer { words in
            for row in rows {
                assert(Int(row) >> 6 < words.count, "each row lies below the bound")
                words[Int(row) >> 6] |= 1 << UInt64(row & 63)
            }
        }
    }

    /// Removes `row`.
    mutating func remove(_ row: Int) {
        words[row >> 6] &= ~(1 << UInt64(row & 63))
    }

    /// Removes each of `rows` (each below the bound); returns how many of them were members.
    mutating func remove<Rows: Sequence<UInt32>>(rows: Rows) -> Int {
        var removed = 0
        words.withUnsafeMutableBufferPointer { words in
            for row in rows {
                let index = Int(row) >> 6
                assert(index < words.count, "each row lies below the bound")
                let word = words[index]
                removed &+= Int(truncatingIfNeeded: (word >> UInt64(row & 63)) & 1)
                words[index] = word & ~(1 << UInt64(row & 63))
            }
        }
        return removed
    }

    /// Sets every bit of `rows` (and leaves the others as they are).
    mutating func insert(range rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        assert(rows.lowerBound >= 0 && rows.upperBound <= words.count << 6, "the range lies below the bound")
        words.withUnsafeMutableBufferPointer { words in
            let first = rows.lowerBound >> 6
            let last = (rows.upperBound - 1) >> 6
            words[first] |= Self.mask(word: first, within: rows)
            words[last] |= Self.mask(word: last, within: rows)
            // Every word strictly between the first and the last lies wholly inside the range.
            if last - first > 1 { UnsafeMutableBufferPointer(rebasing: words[(first + 1)..<last]).update(repeating: .max) }
        }
    }

    /// Adds every member of `other` within `wordRange`.
    mutating func formUnion(_ other: RowBitmap, in wordRange: Range<Int>) {
        assert(wordRange.isEmpty || wordRange.lowerBound >= 0 && wordRange.upperBound <= min(words.count, other.words.count),
            "both bitmaps hold the words of the range")
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in wordRange { mine[index] |= theirs[index] }
            }
        }
    }

    /// The members within `wordRange`, ascending.
    func rows(in wordRange: Range<Int>, capacity: Int = 0) -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(capacity)
        assert(wordRange.isEmpty || wordRange.lowerBound >= 0 && wordRange.upperBound <= words.count, "the range lies within the words")
        words.withUnsafeBufferPointer { words in
            for index in wordRange {
                var bits = words[index]
                while bits != 0 {
                    result.append(UInt32(truncatingIfNeeded: index << 6 | bits.trailingZeroBitCount))
                    bits &= bits &- 1
                }
            }
        }
        return result
    }

    /// Removes the members for which `keep` is false, within `wordRange`; returns how many remain there.
    mutating func filter(in wordRange: Range<Int>, _ keep: (Int) -> Bool) -> Int {
        var remaining = 0
        assert(wordRange.isEmpty || wordRange.lowerBound >= 0 && wordRange.upperBound <= words.count, "the range lies within the words")
        words.withUnsafeMutableBufferPointer { words in
            for index in wordRange {
                var bits = words[index]
                var kept = bits
                while bits != 0 {
                    let bit = bits.trailingZeroBitCount
                    if !keep(index << 6 | bit) { kept &= ~(1 << UInt64(bit)) }
                    bits &= bits &- 1
                }
                words[index] = kept
                remaining &+= kept.nonzeroBitCount
            }
        }
        return remaining
    }

    /// The bits of word `index` that fall inside `rows`.
    static func mask(word index: Int, within rows: Range<Int>) -> UInt64 {
        var mask = UInt64.max
        let base = index << 6
        if rows.lowerBound > base { mask &= UInt64.max << UInt64(rows.lowerBound - base) }
        if rows.upperBound < base + 64 { mask &= UInt64.max >> UInt64(64 - (rows.upperBound - base)) }
        return mask
    }
}
