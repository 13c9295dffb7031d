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
