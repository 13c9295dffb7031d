/// For one sort order, the rows of each status, type and direction as bitmaps over order positions rather than
/// rows. A filter made only of these (the commonest deep-page query: "ended calls by duration, page 2,000") is
/// then answered in the order itself: AND/OR the bitmaps and select the page by popcount, touching one word per
/// 64 rows instead of every match. Nine bitmaps per order: a few bits per row.
struct RankedCodeBitmaps: Sendable {
    let status: [RowBitmap]
    let type: [RowBitmap]
    let direction: [RowBitmap]

    /// The bitmaps of `order`, from the partition's enumeration columns.
    init(order: FieldOrder, status: CodeColumn, type: CodeColumn, direction: CodeColumn) {
        func ranked(_ column: CodeColumn, _ codeCount: Int) -> [RowBitmap] {
            var words = [[UInt64]](repeating: [UInt64](repeating: 0, count: RowBitmap.wordCount(order.rows.count)), count: codeCount)
            assert(column.codes.count == order.rows.count, "the column has a code for every row of the order")
            assert(column.codes.allSatisfy { Int($0) < codeCount }, "every row has one of the enumeration's codes")
            column.codes.withUnsafeBufferPointer { codes in
                for (position, row) in order.rows.enumerated() {
                    words[Int(codes[Int(row)])][position >> 6] |= 1 << UInt64(position & 63)
                }
            }
            return words.map(RowBitmap.init(words:))
        }
        self.status = ranked(status, CallStatus.allCases.count)
        self.type = ranked(type, CallType.allCases.count)
        self.direction = ranked(direction, CallDirection.allCases.count)
    }

    /// Approximate heap bytes, for reports.
    var byteCount: Int { (status + type + direction).reduce(0) { $0 + $1.words.count * 8 } }
}
