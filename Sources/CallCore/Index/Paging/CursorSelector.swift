/// Picks the base rows a cursor's page starts with: the matches from a list position on (the position of the
/// cursor's key, found by binary search in the order) and how many matches lie before it, counted by popcounts
/// over the matches' bits, never by skipping the pages before it. Per query it takes the same way as a numbered
/// page (`PageSelector`), so a cursor's page costs what the same numbered page costs.
enum CursorSelector {
    /// The first `take` matches at list positions `start` and later, in list order, and how many matches come
    /// before `start`.
    static func rows(
        _ matches: MatchSet, in partition: BasePartition, sortBy field: SortField, order: SortOrder, from start: Int, take: Int
    ) -> (rank: Int, rows: [Int]) {
        let rowCount = partition.rowCount
        let descending = order == .descending
        let fieldOrder = partition.order(field)
        assert(start >= 0 && start <= rowCount, "the cursor's list position lies within the list")
        // A run of rows in the start_timestamp order (its positions are the rows), or every row matching, needs
        // only arithmetic: then the page costs exactly what the numbered page at that rank costs.
        if case .range(let rows) = matches, fieldOrder == nil || rows.count == rowCount {
            let rank: Int
            if rows.count == rowCount {
                rank = start
            } else if descending {
                // List positions below `start` are the rows from rowCount - start up.
                rank = min(rows.count, max(0, rows.upperBound - (rowCount - start)))
            } else {
                rank = min(rows.count, max(0, start - rows.lowerBound))
            }
            return (rank, PageSelector.rows(matches, in: partition, sortBy: field, order: order, offset: rank, take: take))
        }
        if case .list(let rows) = matches, fieldOrder == nil {
            // Ascending rows in the start_timestamp order: one binary search for the rows below the start's.
            let firstAfter = descending ? rowCount - start : start
            let below = partitionPoint(rows.indices) { Int(rows[$0]) < firstAfter }
            let rank = descending ? rows.count - below : below
            return (rank, PageSelector.rows(matches, in: partition, sortBy: field, order: order, offset: rank, take: take))
        }
        let valuedCount = fieldOrder?.valuedCount ?? rowCount
        let before = FieldOrder.segments(listPositions: 0..<start, rowCount: rowCount, valuedCount: valuedCount, descending: descending)
        let after = FieldOrder.segments(
            listPositions: start..<rowCount, rowCount: rowCount, valuedCount: valuedCount, descending: descending)
        switch matches {
        case .bitmap(let bitmap, let words, _) where fieldOrder == nil:
            return select(bitmap.words, words: words, rowCount: rowCount, before: before, after: after, descending: descending, take: take)
        case .ranked(let bitmap, let words, _):
            let (rank, positions) = select(
                bitmap.words, words: words, rowCount: rowCount, before: before, after: after, descending: descending, take: take)
            return (rank, positions.map { Int(fieldOrder?.rows[$0] ?? UInt32(truncatingIfNeeded: $0)) })
        default:
            break
        }
        guard let fieldOrder else { return (0, []) }
        // As `PageSelector` decides for the numbered page that starts at about the same rank.
        let count = matches.count
        let spacing = rowCount / max(count, 1)
        let rank = start / max(spacing, 1)
        let walkCost = (rank + take).multipliedReportingOverflow(by: 2 * spacing + 2)
        let placeCost = 3 * count + rowCount / 16
        if !walkCost.overflow, walkCost.partialValue <= placeCost, let membership = PageSelector.membership(matches, rowCount: rowCount) {
            return walk(membership, fieldOrder, before: before, after: after, descending: descending, take: take)
        }
        let placed = PageSelector.placed(matches, fieldOrder, rowCount: rowCount)
        let (placedRank, positions) = select(
            placed, words: 0..<placed.count, rowCount: rowCount, before: before, after: after, descending: descending, take: take)
        return (placedRank, positions.map { Int(fieldOrder.rows[$0]) })
    }

    /// Counts the bits of `bits` in `before` and collects the first `take` in `after` (ranges of bit positions in
    /// list order); only the words of `words` hold bits.
    private static func select(
        _ bits: [UInt64], words: Range<Int>, rowCount: Int, before: [Range<Int>], after: [Range<Int>], descending: Bool, take: Int
    ) -> (rank: Int, rows: [Int]) {
        let held = (words.lowerBound << 6)..<max(words.lowerBound << 6, min(words.upperBound << 6, rowCount))
        assert(held.upperBound <= bits.count << 6, "the bits held lie within the words")
        var selection = BitSelection(skip: 0, take: take)
        let rank = bits.withUnsafeBufferPointer { bits in
            for range in after { selection.walk(bits, range: range.clamped(to: held), descending: descending) }
            return before.reduce(0) { $0 + countBits(bits, in: $1.clamped(to: held)) }
        }
        return (rank, selection.positions)
    }

    /// The set bits of `words` at positions in `range`: the whole words between its ends through carry-save adders.
    static func countBits(_ words: UnsafeBufferPointer<UInt64>, in range: Range<Int>) -> Int {
        guard !range.isEmpty else { return 0 }
        assert(range.lowerBound >= 0 && range.upperBound <= words.count << 6, "the range lies within the words' bits")
        let first = range.lowerBound >> 6
        let last = (range.upperBound - 1) >> 6
        let firstBits = (words[first] & RowBitmap.mask(word: first, within: range)).nonzeroBitCount
        guard last > first else { return firstBits }
        var counter = PopulationCounter()
        counter.add(UnsafeBufferPointer(rebasing: words[(first + 1)..<last]))
        return firstBits + counter.total + (words[last] & RowBitmap.mask(word: last, within: range)).nonzeroBitCount
    }

    /// Walks the order's positions: counts the members before the start, then collects from it.
    private static func walk(
        _ membership: RowBitmap, _ order: FieldOrder, before: [Range<Int>], after: [Range<Int>], descending: Bool, take: Int
    ) -> (rank: Int, rows: [Int]) {
        var rank = 0
        var page: [Int] = []
        page.reserveCapacity(take)
        // Rows read from the order index the membership bits: both cover the partition's rows.
        assert(membership.words.count == RowBitmap.wordCount(order.rows.count), "the membership and the order cover the same rows")
        assert(before.allSatisfy { $0.isEmpty || $0.lowerBound >= 0 && $0.upperBound <= order.rows.count }, "the ranges lie within the order")
        membership.words.withUnsafeBufferPointer { bits in
            order.rows.withUnsafeBufferPointer { positions in
                // Counting members without branching on each one.
                for range in before {
                    for position in range {
                        let row = Int(positions[position])
                        rank += Int(truncatingIfNeeded: (bits[row >> 6] >> UInt64(row & 63)) & 1)
                    }
                }
                for range in after where PageSelector.collect(
                    range, bits: bits, positions: positions, descending: descending, into: &page, take: take) {
                    return
                }
            }
        }
        return (rank, page)
    }
}
