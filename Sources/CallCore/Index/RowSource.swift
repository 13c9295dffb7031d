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

/// Helpers for ascending row lists.
enum RowList {
    /// The index range of `list` whose rows lie in `rows` (binary search on both ends).
    static func clip(_ list: ArraySlice<UInt32>, to rows: Range<Int>) -> Range<Int> {
        lowerBound(list, Int(rows.lowerBound))..<lowerBound(list, Int(rows.upperBound))
    }

    /// The first index of `list` whose row is at least `row` (the end index when none is).
    static func lowerBound(_ list: ArraySlice<UInt32>, _ row: Int) -> Int {
        partitionPoint(list.indices) { Int(list[$0]) < row }
    }
}

/// Tests ascending rows for membership in a sorted list, moving forward only (galloping), so a whole
/// pass costs about the size of the smaller side times a logarithm.
struct RowListCursor {
    private let list: ArraySlice<UInt32>
    private var index: Int

    /// A cursor at the start of `list`.
    init(_ list: ArraySlice<UInt32>) {
        self.list = list
        index = list.startIndex
    }

    /// Whether `row` is in the list; rows must be asked in ascending order.
    mutating func contains(_ row: UInt32) -> Bool {
        guard index < list.endIndex else { return false }
        if list[index] >= row { return list[index] == row }
        // Gallop: double the step until past `row`, then binary search the last step.
        var step = 1
        var low = index
        while low + step < list.endIndex, list[low + step] < row {
            low += step
            step <<= 1
        }
        index = partitionPoint((low + 1)..<min(low + step, list.endIndex)) { list[$0] < row }
        return index < list.endIndex && list[index] == row
    }
}
