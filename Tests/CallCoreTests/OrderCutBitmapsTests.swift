@testable import CallCore
import Testing

/// A run of positions of a sort order narrows a candidate bitmap through the cut bitmaps exactly as testing each
/// candidate's position would, wherever the run's ends fall relative to the cuts.
@Suite("OrderCutBitmaps")
struct OrderCutBitmapsTests {
    @Test func narrowingMatchesTestingEachRowsPosition() {
        var g = TestSupport.SeededGenerator(seed: 99)
        for rowCount in [0, 1, 31, 32, 33, 64, 100, 1_000, 4_099] {
            var rows = (0..<rowCount).map { UInt32($0) }
            rows.shuffle(using: &g)
            let valued = rowCount == 0 ? 0 : Int.random(in: 0...rowCount, using: &g)
            let order = FieldOrder(sortedRows: rows, valuedCount: valued)
            let cuts = OrderCutBitmaps(order: order, positions: valued)
            for _ in 0..<60 {
                let lower = Int.random(in: 0...valued, using: &g)
                // Runs inside one interval, across several, starting or ending on a cut, and empty.
                let upper = Bool.random(using: &g)
                    ? Int.random(in: lower...valued, using: &g)
                    : min(valued, (lower / max(cuts.spacing, 1) + Int.random(in: 0...3, using: &g)) * cuts.spacing)
                let positions = lower..<max(lower, upper)
                let candidates = (0..<rowCount).filter { _ in Int.random(in: 0..<4, using: &g) > 0 }
                var bitmap = RowBitmap(rows: candidates.map { UInt32($0) }, rowCount: rowCount)
                let words = RowBitmap.wordRange(0..<rowCount)
                cuts.intersect(&bitmap, positions: positions, order: order, words: words)
                let wanted = candidates.filter { positions.contains(Int(order.ranks[$0])) }.map { UInt32($0) }
                #expect(bitmap.rows(in: words) == wanted, "\(rowCount) rows, positions \(positions)")
            }
        }
    }
}
