/// The base rows a filter selects, in whichever form was cheapest to compute; the count is exact.
enum MatchSet {
    /// Every row of a contiguous range (no filter, or only a start_timestamp range).
    case range(Range<Int>)
    /// The members of a bitmap; only the words of `words` may hold members.
    case bitmap(RowBitmap, words: Range<Int>, count: Int)
    /// Ascending rows.
    case list([UInt32])
    /// Matches as bits over the positions of the query's sort order (not rows); only words of `words` hold bits.
    case ranked(RowBitmap, words: Range<Int>, count: Int)

    /// The empty set.
    static var empty: MatchSet { .list([]) }

    /// The number of rows.
    var count: Int {
        switch self {
        case .range(let rows): return rows.count
        case .bitmap(_, _, let count): return count
        case .list(let rows): return rows.count
        case .ranked(_, _, let count): return count
        }
    }

    /// The set without the given rows (ascending, each a row of the partition); `order` maps rows to positions
    /// for a `.ranked` set.
    func removing(_ dead: [UInt32], rowCount: Int, order: FieldOrder?) -> MatchSet {
        guard !dead.isEmpty, count > 0 else { return self }
        switch self {
        case .range(let rows):
            var bitmap = RowBitmap(rowCount: rowCount)
            bitmap.insert(range: rows)
            var removed = 0
            for row in dead where rows.contains(Int(row)) {
                bitmap.remove(Int(row))
                removed += 1
            }
            return removed == 0 ? self : .bitmap(bitmap, words: RowBitmap.wordRange(rows), count: rows.count - removed)
        case .bitmap(var bitmap, let words, let count):
            var removed = 0
            for row in dead where bitmap.contains(Int(row)) {
                bitmap.remove(Int(row))
                removed += 1
            }
            return .bitmap(bitmap, words: words, count: count - removed)
        case .list(let rows):
            var cursor = RowListCursor(dead[...])
            return .list(rows.filter { !cursor.contains($0) })
        case .ranked(var bitmap, let words, let count):
            guard let order else { return self }
            var removed = 0
            for row in dead {
                let position = Int(order.ranks[Int(row)])
                if bitmap.contains(position) {
                    bitmap.remove(position)
                    removed += 1
                }
            }
            return .ranked(bitmap, words: words, count: count - removed)
        }
    }
}
