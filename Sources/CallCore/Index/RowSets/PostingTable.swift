/// The rows of each key (a word, an agent, a number, a status…), numbered 0..<keyCount: keys covering at least
/// 1/32 of the rows keep a bitmap (no larger than the list would be), the others an ascending list, all lists
/// in one flat array. A class, so a criterion that refers to a table shares it instead of copying five arrays.
final class PostingTable: Sendable {
    /// Keys with at least this many rows are kept as bitmaps.
    let denseThreshold: Int
    /// The rows the bitmaps cover.
    let rowCount: Int
    let counts: [UInt32]
    let offsets: [Int]
    let rows: [UInt32]
    let bitmapIndex: [Int32]
    let bitmaps: [RowBitmap]

    /// The number of keys.
    var keyCount: Int { counts.count }

    /// The number of rows of `key`.
    func count(_ key: Int) -> Int { Int(counts[key]) }

    /// The rows of `key`.
    func source(_ key: Int) -> RowSource {
        let bitmap = Int(bitmapIndex[key])
        if bitmap >= 0 { return .bitmap(bitmaps[bitmap], count: Int(counts[key])) }
        return .list(rows[offsets[key]..<offsets[key + 1]])
    }

    /// The threshold for `rowCount` rows: a bitmap costs rowCount/8 bytes, a list 4 bytes a row.
    static func denseThreshold(rowCount: Int) -> Int { max(1, rowCount / 32) }

    /// A table from its parts (checked by the caller).
    init(rowCount: Int, counts: [UInt32], offsets: [Int], rows: [UInt32], bitmapIndex: [Int32], bitmaps: [RowBitmap]) {
        assert(offsets.count == counts.count + 1 && bitmapIndex.count == counts.count, "one offset and bitmap number per key")
        assert(offsets.last == rows.count, "the lists fill the row array")
        assert(
            bitmaps.allSatisfy { $0.words.count == RowBitmap.wordCount(rowCount) }, "every bitmap covers rowCount rows")
        denseThreshold = Self.denseThreshold(rowCount: rowCount)
        self.rowCount = rowCount
        self.counts = counts
        self.offsets = offsets
        self.rows = rows
        self.bitmapIndex = bitmapIndex
        self.bitmaps = bitmaps
    }

    /// Builds the table from per-key row counts and a pass that reports every (key, row) pair once, rows ascending.
    convenience init(rowCount: Int, counts: [UInt32], pairs: (_ emit: (Int, Int) -> Void) -> Void) {
        let threshold = Self.denseThreshold(rowCount: rowCount)
        var offsets = [Int](repeating: 0, count: counts.count + 1)
        var bitmapIndex = [Int32](repeating: -1, count: counts.count)
        var denseCount = 0
        var total = 0
        for key in 0..<counts.count {
            offsets[key] = total
            if Int(counts[key]) >= threshold {
                bitmapIndex[key] = Int32(truncatingIfNeeded: denseCount)
                denseCount += 1
            } else {
                total += Int(counts[key])
            }
        }
        offsets[counts.count] = total
        // Dense keys fill one flat buffer (one allocation, plain pointer writes), split into bitmaps at the end.
        let wordsPerBitmap = RowBitmap.wordCount(rowCount)
        var flat = [UInt64](repeating: 0, count: denseCount * wordsPerBitmap)
        var rows = [UInt32](repeating: 0, count: total)
        var cursor = offsets
        flat.withUnsafeMutableBufferPointer { flat in
            rows.withUnsafeMutableBufferPointer { rows in
                cursor.withUnsafeMutableBufferPointer { cursor in
                    bitmapIndex.withUnsafeBufferPointer { bitmapIndex in
                        pairs { key, row in
                            assert(row >= 0 && row < rowCount, "pairs report rows below rowCount")
                            let bitmap = Int(bitmapIndex[key])
                            if bitmap >= 0 {
                                flat[bitmap * wordsPerBitmap + row >> 6] |= 1 << UInt64(row & 63)
                            } else {
                                assert(cursor[key] < offsets[key + 1], "a key reports no more rows than its count")
                                rows[cursor[key]] = UInt32(truncatingIfNeeded: row)
                                cursor[key] += 1
                            }
                        }
                    }
                }
            }
        }
        let bitmaps = (0..<denseCount).map { bitmap in
            RowBitmap(words: Array(flat[(bitmap * wordsPerBitmap)..<((bitmap + 1) * wordsPerBitmap)]))
        }
        self.init(rowCount: rowCount, counts: counts, offsets: offsets, rows: rows, bitmapIndex: bitmapIndex, bitmaps: bitmaps)
    }

    /// Builds the table for a column of one key per row (`nil` rows belong to no key).
    convenience init(rowCount: Int, keyCount: Int, keyOfRow: [UInt32], noKey: UInt32) {
        var counts = [UInt32](repeating: 0, count: keyCount)
        for key in keyOfRow where key != noKey { counts[Int(key)] += 1 }
        self.init(rowCount: rowCount, counts: counts) { emit in
            for (row, key) in keyOfRow.enumerated() where key != noKey { emit(Int(key), row) }
        }
    }

    /// Approximate heap bytes, for reports.
    var byteCount: Int {
        counts.count * 4 + offsets.count * 8 + rows.count * 4 + bitmapIndex.count * 4
            + bitmaps.reduce(0) { $0 + $1.words.count * 8 }
    }
}
