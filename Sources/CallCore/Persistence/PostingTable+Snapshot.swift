extension PostingTable {
    /// Writes the table as flat sections (see `init(snapshot:rowCount:)`).
    func write(to writer: inout SnapshotSectionWriter) throws(JournalError) {
        try writer.put(.postingCounts, counts)
        try writer.put(.postingOffsets, offsets.map { UInt64($0) })
        try writer.put(.postingRows, rows)
        try writer.put(.postingBitmapIndex, bitmapIndex.map { UInt32(bitPattern: $0) })
        try writer.putPieces(.postingBitmaps, bitmaps.map(\.words), chunk: RowBitmap.wordCount(rowCount))
    }

    /// The table `write` wrote, checked so that no lookup can leave its arrays: offsets ascend within the row
    /// array, each list is ascending and below `rowCount`, bitmaps are numbered in key order.
    convenience init(snapshot cursor: inout SnapshotCursor, rowCount: Int) throws(StoreSnapshotError) {
        let counts = try cursor.words32(.postingCounts)
        let offsets = try cursor.words64(.postingOffsets)
        let rows = try cursor.words32(.postingRows)
        let bitmapIndex = try cursor.words32(.postingBitmapIndex)
        let words = try cursor.pieces(.postingBitmaps, size: RowBitmap.wordCount(rowCount))
        let keyCount = counts.count
        guard offsets.count == keyCount + 1, bitmapIndex.count == keyCount, offsets.first == 0,
            offsets.last == UInt64(rows.count)
        else { throw cursor.corrupt("posting table sizes disagree") }
        let valid = rows.withUnsafeBufferPointer { rows in
            var dense: Int32 = 0
            for key in 0..<keyCount {
                let start = offsets[key]
                let end = offsets[key + 1]
                guard start <= end, end <= UInt64(rows.count) else { return false }
                let bitmap = Int32(bitPattern: bitmapIndex[key])
                if bitmap >= 0 {
                    guard bitmap == dense, start == end else { return false }
                    dense += 1
                    continue
                }
                guard bitmap == -1, end - start == UInt64(counts[key]) else { return false }
                var previous = -1
                for index in Int(start)..<Int(end) {
                    let row = Int(rows[index])
                    guard row > previous, row < rowCount else { return false }
                    previous = row
                }
            }
            return Int(dense) == words.count
        }
        guard valid else { throw cursor.corrupt("posting table out of range") }
        self.init(
            rowCount: rowCount, counts: counts, offsets: offsets.map { Int(truncatingIfNeeded: $0) }, rows: rows,
            bitmapIndex: bitmapIndex.map { Int32(bitPattern: $0) }, bitmaps: words.map(RowBitmap.init(words:)))
    }
}
