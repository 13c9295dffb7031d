/// For one sort order, the rows whose position in it lies below each of a few evenly spaced cuts, as bitmaps over
/// rows. A run of positions (a duration range) then narrows a bitmap of candidate rows with two bitmap words per
/// 64 rows, plus a sequential pass over the positions between the run's ends and the nearest cuts, instead of
/// one random read per candidate or per position in the run.
struct OrderCutBitmaps: Sendable {
    /// Positions between consecutive cuts.
    let spacing: Int
    /// `below[k]` holds the rows at positions `0..<(k + 1) * spacing`.
    let below: [RowBitmap]

    /// Cuts per order: memory is one bit per row per cut, and the ends of a run cost at most `2 × spacing` reads.
    static let cutCount = 32
    /// Orders shorter than this keep no cuts: 64 positions per cut at least.
    static let minimumPositions = 64 * cutCount

    /// The cut bitmaps of `order`'s first `positions` positions.
    init(order: FieldOrder, positions: Int) {
        let rowCount = order.rows.count
        // A small partition keeps no cuts (32 bitmaps would cost more per row than they save): its runs
        // are walked position by position.
        guard positions >= Self.minimumPositions else {
            spacing = max(1, positions)
            below = []
            return
        }
        let spacing = max(1, (positions + Self.cutCount - 1) / Self.cutCount)
        var cuts: [RowBitmap] = []
        var current = RowBitmap(rowCount: rowCount)
        var position = 0
        order.rows.withUnsafeBufferPointer { rows in
            while position + spacing <= positions {
                for row in rows[position..<(position + spacing)] { current.insert(Int(row)) }
                position += spacing
                cuts.append(current)
            }
        }
        self.spacing = spacing
        below = cuts
    }

    /// Keeps in `bitmap` (within `words`) only the rows whose position in `order` lies in `positions`.
    func intersect(_ bitmap: inout RowBitmap, positions: Range<Int>, order: FieldOrder, words: Range<Int>) {
        let lowerCut = (positions.lowerBound + spacing - 1) / spacing
        let upperCut = min(positions.upperBound / spacing, below.count)
        guard lowerCut < upperCut else {
            let members = members(at: positions, of: order, in: bitmap)
            bitmap.formIntersection(RowBitmap(rows: members, rowCount: bitmap.words.count * 64), in: words)
            return
        }
        // Members at the positions not covered by whole cut intervals, found before `bitmap` narrows.
        let ends = members(at: positions.lowerBound..<(lowerCut * spacing), of: order, in: bitmap)
            + members(at: (upperCut * spacing)..<positions.upperBound, of: order, in: bitmap)
        // Positions lowerCut × spacing ..< upperCut × spacing: below the upper cut and not below the lower one.
        bitmap.formIntersection(inside: below[upperCut - 1], outside: lowerCut > 0 ? below[lowerCut - 1] : nil, in: words)
        for row in ends { bitmap.insert(Int(row)) }
    }

    /// The members of `bitmap` at `positions` of `order`.
    private func members(at positions: Range<Int>, of order: FieldOrder, in bitmap: RowBitmap) -> [UInt32] {
        order.rows.withUnsafeBufferPointer { rows in
            rows[positions].filter { bitmap.contains(Int($0)) }
        }
    }

    /// Approximate heap bytes, for reports.
    var byteCount: Int { below.reduce(0) { $0 + $1.words.count * 8 } }
}
