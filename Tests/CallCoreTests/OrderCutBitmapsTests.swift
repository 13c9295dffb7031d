@testable import CallCore
import Testing

/// A run of positions of a sort order narrows a candidate bitmap through the cut bitmaps exactly as testing each
/// candidate's position would, wherever the run's ends fall relative to the cuts.
@Suite("OrderCutBitmaps")
struct OrderCutBitmapsTests {
    @Test func narrowingMatchesTestingEachRowsPosition() {
        var g = TestSupport.SeededGenerator(seed: 99)
        for rowCount in [0, 1, 31, 32, 33, 64, 100, 1_000, 2_047, 2_048, 4_099, 9_000] {
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
                // Candidates only inside a start range (rows outside it stay out of the words looked at).
                let first = Int.random(in: 0...rowCount, using: &g)
                let rows = first..<Int.random(in: first...rowCount, using: &g)
                let candidates = rows.filter { _ in Int.random(in: 0..<4, using: &g) > 0 }
                var bitmap = RowBitmap(rows: candidates.map { UInt32($0) }, rowCount: rowCount)
                let words = RowBitmap.wordRange(rows)
                cuts.intersect(&bitmap, positions: positions, order: order, words: words)
                let wanted = candidates.filter { positions.contains(Int(order.ranks[$0])) }.map { UInt32($0) }
                #expect(bitmap.rows(in: words).filter { rows.contains(Int($0)) } == wanted, "\(rowCount) rows, positions \(positions)")
            }
        }
    }
}

/// The bitmap operations the matcher combines, at word boundaries.
@Suite("RowBitmap")
struct RowBitmapTests {
    @Test func insertingARangeSetsExactlyItsRows() {
        let rowCount = 300
        for lower in [0, 1, 62, 63, 64, 65, 127, 128, 200] {
            for upper in [lower, lower + 1, 63, 64, 65, 128, 129, 191, 192, 300] where upper >= lower && upper <= rowCount {
                var bitmap = RowBitmap(rowCount: rowCount)
                bitmap.insert(range: lower..<upper)
                #expect(bitmap.rows(in: RowBitmap.wordRange(0..<rowCount)) == (lower..<upper).map { UInt32($0) }, "\(lower)..<\(upper)")
            }
        }
    }

    @Test func intersectingWithAUnionKeepsRowsInAnyOfThem() {
        var g = TestSupport.SeededGenerator(seed: 5)
        let rowCount = 1_000
        for count in 1...4 {
            let sets = (0..<count).map { _ in (0..<rowCount).filter { _ in Int.random(in: 0..<3, using: &g) == 0 } }
            let start = (0..<rowCount).filter { _ in Bool.random(using: &g) }
            var bitmap = RowBitmap(rows: start.map { UInt32($0) }, rowCount: rowCount)
            let words = RowBitmap.wordRange(0..<rowCount)
            bitmap.formIntersection(unionOf: sets.map { RowBitmap(rows: $0.map { UInt32($0) }, rowCount: rowCount) }, in: words)
            let wanted = start.filter { row in sets.contains { $0.contains(row) } }.map { UInt32($0) }
            #expect(bitmap.rows(in: words) == wanted, "\(count) sets")
        }
    }
}
