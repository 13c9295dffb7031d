/// Picks the rows at list positions `offset..<offset+take` of a match set in a sort order, choosing per query
/// between walking the precomputed order (cheap when matches are dense or the page is early) and placing the
/// matches at their ranks in a bitmap over order positions, where popcounts skip to any depth (cheap when
/// matches are few). Either way no page costs a sort of the matches.
enum PageSelector {
    /// The rows of the page, in list order.
    static func rows(
        _ matches: MatchSet, in partition: BasePartition, sortBy field: SortField, order: SortOrder, offset: Int, take: Int
    ) -> [Int] {
        let count = matches.count
        guard take > 0, offset < count else { return [] }
        let take = min(take, count - offset)
        let descending = order == .descending
        guard let fieldOrder = partition.order(field) else {
            return rowOrder(matches, partition: partition, descending: descending, offset: offset, take: take)
        }
        let rowCount = partition.rowCount
        assert(fieldOrder.rows.count == rowCount, "the order holds every row of the partition")
        if case .ranked(let bitmap, _, _) = matches {
            // Already in the order's positions: select by popcount.
            assert(bitmap.words.count == RowBitmap.wordCount(rowCount), "a ranked set's bits cover the order's positions")
            var selection = BitSelection(skip: offset, take: take)
            bitmap.words.withUnsafeBufferPointer { bits in
                for segment in FieldOrder.segments(rowCount: rowCount, valuedCount: fieldOrder.valuedCount, descending: descending) {
                    selection.walk(bits, range: segment, descending: descending)
                }
            }
            return selection.positions.map { Int(fieldOrder.rows[$0]) }
        }
        if case .range(let rows) = matches, rows.count == rowCount {
            // Everything matches: the page is a slice of the order.
            return (offset..<(offset + take)).map { index in
                Int(fieldOrder.rows[FieldOrder.ascendingPosition(
                    index, rowCount: rowCount, valuedCount: fieldOrder.valuedCount, descending: descending)])
            }
        }
        // Expected positions walked to reach the page if matches are spread evenly, against placing every match
        // at its rank (a little dearer per match than a walked position) and a popcount pass (measured).
        let walkCost = (offset + take).multipliedReportingOverflow(by: 2 * (rowCount / max(count, 1)) + 2)
        let placeCost = 3 * count + rowCount / 16
        if !walkCost.overflow, walkCost.partialValue <= placeCost {
            return walk(matches, fieldOrder, rowCount: rowCount, descending: descending, offset: offset, take: take)
        }
        return place(matches, fieldOrder, rowCount: rowCount, descending: descending, offset: offset, take: take)
    }

    /// The page of "every row but `dead`" (ascending rows): the order's slice, shifted past the dead rows' list
    /// positions, so a few replaced or deleted calls do not turn an unfiltered page into a walk.
    static func allRows(
        except dead: [UInt32], in partition: BasePartition, sortBy field: SortField, order: SortOrder, offset: Int, take: Int
    ) -> [Int] {
        let rowCount = partition.rowCount
        let descending = order == .descending
        let fieldOrder = partition.order(field)
        let valuedCount = fieldOrder?.valuedCount ?? rowCount
        let deadPositions = dead.map { row -> Int in
            let position = fieldOrder.map { Int($0.ranks[Int(row)]) } ?? Int(row)
            return FieldOrder.listPosition(position, rowCount: rowCount, valuedCount: valuedCount, descending: descending)
        }.sorted()
        // The list position of the offset-th live row: each dead position at or before it pushes it one further.
        var position = offset
        var nextDead = 0
        while nextDead < deadPositions.count, deadPositions[nextDead] <= position {
            position += 1
            nextDead += 1
        }
        var page: [Int] = []
        page.reserveCapacity(take)
        while page.count < take, position < rowCount {
            if nextDead < deadPositions.count, deadPositions[nextDead] == position {
                nextDead += 1
            } else {
                let ascending = FieldOrder.ascendingPosition(position, rowCount: rowCount, valuedCount: valuedCount, descending: descending)
                page.append(fieldOrder.map { Int($0.rows[ascending]) } ?? ascending)
            }
            position += 1
        }
        return page
    }

    /// start_timestamp: the row order is the sort order, so the match set is already in it.
    private static func rowOrder(_ matches: MatchSet, partition: BasePartition, descending: Bool, offset: Int, take: Int) -> [Int] {
        switch matches {
        case .range(let rows):
            return descending
                ? (0..<take).map { rows.upperBound - 1 - offset - $0 }
                : (0..<take).map { rows.lowerBound + offset + $0 }
        case .list(let rows):
            return descending
                ? (0..<take).map { Int(rows[rows.count - 1 - offset - $0]) }
                : (0..<take).map { Int(rows[offset + $0]) }
        case .bitmap(let bitmap, let words, _), .ranked(let bitmap, let words, _):
            var selection = BitSelection(skip: offset, take: take)
            let bits = (words.lowerBound << 6)..<min(words.upperBound << 6, partition.rowCount)
            bitmap.words.withUnsafeBufferPointer { selection.walk($0, range: bits, descending: descending) }
            return selection.positions
        }
    }

    /// Walks the order's positions in list order, keeping members, until the page is complete.
    private static func walk(
        _ matches: MatchSet, _ order: FieldOrder, rowCount: Int, descending: Bool, offset: Int, take: Int
    ) -> [Int] {
        guard let membership = Self.membership(matches, rowCount: rowCount) else { return [] }
        // Rows read from the order index the membership bits: both cover the partition's rows.
        assert(membership.words.count == RowBitmap.wordCount(rowCount) && order.rows.count == rowCount,
            "the membership and the order cover the partition's rows")
        var skip = offset
        var page: [Int] = []
        page.reserveCapacity(take)
        membership.words.withUnsafeBufferPointer { bits in
            order.rows.withUnsafeBufferPointer { positions in
                for segment in FieldOrder.segments(rowCount: rowCount, valuedCount: order.valuedCount, descending: descending) {
                    let step = descending ? -1 : 1
                    var position = descending ? segment.upperBound - 1 : segment.lowerBound
                    // Skipping: count members without branching on each one.
                    while skip > 0, segment.contains(position) {
                        let row = Int(positions[position])
                        skip -= Int(truncatingIfNeeded: (bits[row >> 6] >> UInt64(row & 63)) & 1)
                        position += step
                    }
                    let rest = descending ? segment.lowerBound..<(position + 1) : position..<segment.upperBound
                    if collect(rest, bits: bits, positions: positions, descending: descending, into: &page, take: take) { return }
                }
            }
        }
        return page
    }

    /// Appends the members at the order positions of `range`, walked in list order, to `page` until it holds
    /// `take`; true once it does.
    static func collect(
        _ range: Range<Int>, bits: UnsafeBufferPointer<UInt64>, positions: UnsafeBufferPointer<UInt32>, descending: Bool,
        into page: inout [Int], take: Int
    ) -> Bool {
        assert(range.isEmpty || range.lowerBound >= 0 && range.upperBound <= positions.count, "the range lies within the order")
        let step = descending ? -1 : 1
        var position = descending ? range.upperBound - 1 : range.lowerBound
        while range.contains(position) {
            let row = Int(positions[position])
            if bits[row >> 6] & (1 << UInt64(row & 63)) != 0 {
                page.append(row)
                if page.count == take { return true }
            }
            position += step
        }
        return false
    }

    /// The matches as a bitmap over rows (nil for a set already over order positions).
    static func membership(_ matches: MatchSet, rowCount: Int) -> RowBitmap? {
        switch matches {
        case .bitmap(let bitmap, _, _): return bitmap
        case .range(let rows):
            var membership = RowBitmap(rowCount: rowCount)
            membership.insert(range: rows)
            return membership
        case .list(let rows): return RowBitmap(rows: rows, rowCount: rowCount)
        case .ranked: return nil
        }
    }

    /// Sets each match's bit at its order position, then selects by popcount.
    private static func place(
        _ matches: MatchSet, _ order: FieldOrder, rowCount: Int, descending: Bool, offset: Int, take: Int
    ) -> [Int] {
        let ranked = placed(matches, order, rowCount: rowCount)
        var selection = BitSelection(skip: offset, take: take)
        ranked.withUnsafeBufferPointer { bits in
            for segment in FieldOrder.segments(rowCount: rowCount, valuedCount: order.valuedCount, descending: descending) {
                selection.walk(bits, range: segment, descending: descending)
            }
        }
        return selection.positions.map { Int(order.rows[$0]) }
    }

    /// The matches as bits over `order`'s positions: each match's bit set at its rank.
    static func placed(_ matches: MatchSet, _ order: FieldOrder, rowCount: Int) -> [UInt64] {
        var ranked = [UInt64](repeating: 0, count: RowBitmap.wordCount(rowCount))
        // Each match's rank is a position of the order, below rowCount.
        assert(order.ranks.count == rowCount, "the order ranks every row of the partition")
        ranked.withUnsafeMutableBufferPointer { ranked in
            order.ranks.withUnsafeBufferPointer { ranks in
                func set(_ row: Int) {
                    let rank = Int(ranks[row])
                    ranked[rank >> 6] |= 1 << UInt64(rank & 63)
                }
                switch matches {
                case .range(let rows):
                    for row in rows { set(row) }
                case .list(let rows):
                    for row in rows { set(Int(row)) }
                case .ranked:
                    break
                case .bitmap(let bitmap, let words, _):
                    assert(words.isEmpty || words.lowerBound >= 0 && words.upperBound <= bitmap.words.count, "the set's words lie in its bitmap")
                    bitmap.words.withUnsafeBufferPointer { bits in
                        for index in words {
                            var word = bits[index]
                            while word != 0 {
                                set(index << 6 | word.trailingZeroBitCount)
                                word &= word &- 1
                            }
                        }
                    }
                }
            }
        }
        return ranked
    }
}
