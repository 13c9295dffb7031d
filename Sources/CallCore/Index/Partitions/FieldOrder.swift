/// One sort field's order of a partition's rows, precomputed: ascending positions hold first the rows that have a
/// value (by value, ties by id), then the rows without one (by id). A descending list walks each of the two
/// segments backwards, which keeps rows without a value last and reverses the id tie-break too (API.md).
struct FieldOrder: Sendable {
    /// Ascending position → row.
    let rows: [UInt32]
    /// Row → ascending position.
    let ranks: [UInt32]
    /// Positions below this hold rows with a value.
    let valuedCount: Int

    /// An order from rows already sorted ascending, the first `valuedCount` having a value.
    init(sortedRows: [UInt32], valuedCount: Int) {
        var ranks = [UInt32](repeating: 0, count: sortedRows.count)
        for (position, row) in sortedRows.enumerated() { ranks[Int(row)] = UInt32(truncatingIfNeeded: position) }
        rows = sortedRows
        self.ranks = ranks
        self.valuedCount = valuedCount
    }

    /// The segments of ascending positions in list order, each walked downward when `descending`.
    static func segments(rowCount: Int, valuedCount: Int, descending: Bool) -> [Range<Int>] {
        guard descending else { return [0..<rowCount] }
        return [0..<valuedCount, valuedCount..<rowCount].filter { !$0.isEmpty }
    }

    /// The ascending positions of the list positions `positions`, as ranges in list order, each walked downward
    /// when `descending`.
    static func segments(listPositions positions: Range<Int>, rowCount: Int, valuedCount: Int, descending: Bool) -> [Range<Int>] {
        guard descending else { return positions.isEmpty ? [] : [positions] }
        // Descending, the list holds the valued segment backwards, then the valueless one backwards.
        let valued = positions.clamped(to: 0..<valuedCount)
        let valueless = positions.clamped(to: valuedCount..<max(valuedCount, rowCount))
        return [
            (valuedCount - valued.upperBound)..<(valuedCount - valued.lowerBound),
            (rowCount - (valueless.upperBound - valuedCount))..<(rowCount - (valueless.lowerBound - valuedCount)),
        ].filter { !$0.isEmpty }
    }

    /// The ascending position at list position `index` (0-based, below the row count).
    static func ascendingPosition(_ index: Int, rowCount: Int, valuedCount: Int, descending: Bool) -> Int {
        guard descending else { return index }
        return index < valuedCount ? valuedCount - 1 - index : rowCount - 1 - (index - valuedCount)
    }

    /// The list position of ascending position `position` (the inverse of `ascendingPosition`).
    static func listPosition(_ position: Int, rowCount: Int, valuedCount: Int, descending: Bool) -> Int {
        guard descending else { return position }
        return position < valuedCount ? valuedCount - 1 - position : valuedCount + (rowCount - 1 - position)
    }

    /// Approximate heap bytes, for reports.
    var byteCount: Int { rows.count * 8 }
}
