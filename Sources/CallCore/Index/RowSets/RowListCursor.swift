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
