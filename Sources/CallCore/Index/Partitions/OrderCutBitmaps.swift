/// For one sort order, the rows whose position in it lies below each of `cutCount` evenly spaced cuts, as bitmaps
/// over rows. A run of positions (a duration range) then narrows a bitmap of candidate rows with two bitmap words
/// per 64 rows (the cuts just outside the run), and the rows at the positions between those cuts and the run's ends
/// are taken out of the result, instead of one random read per candidate or per position in the run.
struct OrderCutBitmaps: Sendable {
    /// Positions between consecutive cuts.
    let spacing: Int
    /// The positions the cuts cover: the last cut lies here, so a run that reaches the end of the order (a range
    /// without an upper bound, or above every value) has no rows to take out there.
    let covered: Int
    /// `below[k]` holds the rows at positions `0..<boundary(k + 1)`.
    let below: [RowBitmap]

    /// Cuts per order: memory is one bit per row per cut, and the ends of a run take out at most `2 × spacing` rows.
    static let cutCount = 128
    /// Orders shorter than this keep no cuts: 64 positions per cut at least.
    static let minimumPositions = 64 * cutCount

    /// The cut bitmaps of `order`'s first `positions` positions.
    init(order: FieldOrder, positions: Int) {
        let rowCount = order.rows.count
        // A small partition keeps no cuts (its cut bitmaps would cost more per row than they save): its runs
        // are walked position by position.
        guard positions >= Self.minimumPositions else {
            spacing = max(1, positions)
            covered = 0
            below = []
            return
        }
        assert(positions <= rowCount, "the positions lie within the order")
        let spacing = max(1, (positions + Self.cutCount - 1) / Self.cutCount)
        var cuts: [RowBitmap] = []
        var current = RowBitmap(rowCount: rowCount)
        var position = 0
        order.rows.withUnsafeBufferPointer { rows in
            while position < positions {
                let next = min(position + spacing, positions)
                current.insert(rows: rows[position..<next])
                position = next
                cuts.append(current)
            }
        }
        self.spacing = spacing
        covered = positions
        below = cuts
    }

    /// The position of cut `k` (0 for none): `below[k - 1]` holds the positions before it.
    func boundary(_ k: Int) -> Int { min(k * spacing, covered) }

    /// The rows whose position in `order` lies in `positions`, as a factor of a word intersection over rows
    /// `0..<rowCount`: the cut intervals from the last cut at or before the run's start to the first at or after its
    /// end, by two cut bitmaps, less the rows at the positions between those cuts and the run's ends, which the
    /// intersection takes out of its (sparser) result afterwards. A run shorter than those ends is a bitmap of its rows.
    func factor(positions: Range<Int>, order: FieldOrder, rowCount: Int) -> WordFactor {
        let lowerCut = min(positions.lowerBound / spacing, below.count)
        let upperCut = positions.upperBound >= covered ? below.count : min((positions.upperBound + spacing - 1) / spacing, below.count)
        // The rounded cuts lie at or outside the run's ends whenever the run is within the cuts' positions.
        let endPositions = positions.lowerBound - boundary(lowerCut) + boundary(upperCut) - positions.upperBound
        guard lowerCut < upperCut, positions.upperBound <= covered, endPositions < positions.count else {
            return order.rows.withUnsafeBufferPointer { rows in
                WordFactor(kind: .bitmap(RowBitmap(rows: rows[positions], rowCount: rowCount)))
            }
        }
        let lowerEnd = boundary(lowerCut)..<positions.lowerBound
        let upperEnd = positions.upperBound..<boundary(upperCut)
        // Positions boundary(lowerCut) ..< boundary(upperCut): below the upper cut and not below the lower one.
        return WordFactor(
            kind: .between(inside: below[upperCut - 1], outside: lowerCut > 0 ? below[lowerCut - 1] : nil),
            excluded: WordFactor.Exclusion(order: order.rows, lower: lowerEnd, upper: upperEnd))
    }

    /// Approximate heap bytes, for reports.
    var byteCount: Int { below.reduce(0) { $0 + $1.words.count * 8 } }
}
