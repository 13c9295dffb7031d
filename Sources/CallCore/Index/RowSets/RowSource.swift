/// A stored set of rows, borrowed from an index: a bitmap for keys that cover many rows, a sorted list otherwise.
enum RowSource: Sendable {
    /// A dense set and its member count.
    case bitmap(RowBitmap, count: Int)
    /// A sparse set as ascending row numbers.
    case list(ArraySlice<UInt32>)

    /// The number of members.
    var count: Int {
        switch self {
        case .bitmap(_, let count): return count
        case .list(let rows): return rows.count
        }
    }

    /// Adds the members to `bitmap`, touching only the words of `wordRange` for dense sets.
    func add(to bitmap: inout RowBitmap, in wordRange: Range<Int>) {
        switch self {
        case .bitmap(let words, _):
            bitmap.formUnion(words, in: wordRange)
        case .list(let rows):
            for row in rows { bitmap.insert(Int(row)) }
        }
    }

    /// The members within `rows`, ascending.
    func rows(within rows: Range<Int>) -> [UInt32] {
        switch self {
        case .bitmap(let words, _):
            return words.rows(in: RowBitmap.wordRange(rows)).filter { rows.contains(Int($0)) }
        case .list(let list):
            return Array(list[RowList.clip(list, to: rows)])
        }
    }
}
