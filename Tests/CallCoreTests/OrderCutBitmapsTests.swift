@testable import CallCore
import Testing

/// A run of positions of a sort order, as a factor of a word intersection, narrows a candidate bitmap exactly as
/// testing each candidate's position would, wherever the run's ends fall relative to the cuts.
@Suite("OrderCutBitmaps")
struct OrderCutBitmapsTests {
    @Test func narrowingMatchesTestingEachRowsPosition() {
        var g = TestSupport.SeededGenerator(seed: 99)
        // Sizes on both sides of the point from which an order keeps cuts; past it, most orders have enough
        // valued positions to keep them.
        let cutFrom = OrderCutBitmaps.minimumPositions
        for rowCount in [0, 1, 31, 32, 33, 64, 100, 1_000, cutFrom - 1, cutFrom, cutFrom + 1, 2 * cutFrom + 37] {
            var rows = (0..<rowCount).map { UInt32($0) }
            rows.shuffle(using: &g)
            let valued = rowCount >= cutFrom
                ? Int.random(in: max(cutFrom, rowCount * 3 / 4)...rowCount, using: &g)
                : rowCount == 0 ? 0 : Int.random(in: 0...rowCount, using: &g)
            let order = FieldOrder(sortedRows: rows, valuedCount: valued)
            let cuts = OrderCutBitmaps(order: order, positions: valued)
            #expect(cuts.below.isEmpty == (valued < cutFrom), "\(rowCount) rows, \(valued) valued")
            var throughCuts = 0
            for _ in 0..<60 {
                // Starts anywhere, or on a cut or one position either side of it.
                let spacing = max(cuts.spacing, 1)
                let nearCut = Int.random(in: 0...(valued / spacing), using: &g) * spacing + Int.random(in: -1...1, using: &g)
                let lower = Bool.random(using: &g) ? Int.random(in: 0...valued, using: &g) : min(valued, max(0, nearCut))
                // Runs inside one interval, across several, ending on a cut or one position either side of it,
                // ending at or just before the end of the order (where the last, shorter interval lies), and empty.
                let upper: Int
                switch Int.random(in: 0..<4, using: &g) {
                case 0: upper = Int.random(in: lower...valued, using: &g)
                case 1:
                    let cut = (lower / spacing + Int.random(in: 0...3, using: &g)) * spacing
                    upper = min(valued, max(lower, cut + Int.random(in: -1...1, using: &g)))
                case 2: upper = valued
                default: upper = max(lower, valued - Int.random(in: 1...2, using: &g))
                }
                let positions = lower..<max(lower, upper)
                // Candidates only inside a start range (rows outside it stay out of the words looked at).
                let first = Int.random(in: 0...rowCount, using: &g)
                let rows = first..<Int.random(in: first...rowCount, using: &g)
                let candidates = rows.filter { _ in Int.random(in: 0..<4, using: &g) > 0 }
                let candidateFactor = WordFactor(kind: .bitmap(RowBitmap(rows: candidates.map { UInt32($0) }, rowCount: rowCount)))
                let positionFactor = cuts.factor(positions: positions, order: order, rowCount: rowCount)
                if case .between = positionFactor.kind { throughCuts += 1 }
                let (bitmap, count) = WordIntersection.intersect([candidateFactor, positionFactor], rows: rows, rowCount: rowCount)
                let wanted = candidates.filter { positions.contains(Int(order.ranks[$0])) }.map { UInt32($0) }
                #expect(bitmap.rows(in: RowBitmap.wordRange(0..<rowCount)) == wanted, "\(rowCount) rows, positions \(positions)")
                #expect(count == wanted.count)
            }
            // Where cuts exist, the runs long enough for them are answered through them (and their ends taken out).
            if !cuts.below.isEmpty { #expect(throughCuts > 0, "\(rowCount) rows, \(valued) valued") }
        }
    }
}

/// A word intersection keeps exactly the rows of its range that every factor holds, whatever the factors' kinds,
/// their order and the range's alignment to words and blocks.
@Suite("WordIntersection")
struct WordIntersectionTests {
    @Test func keepsTheRowsEveryFactorHolds() {
        var g = TestSupport.SeededGenerator(seed: 41)
        for rowCount in [1, 63, 64, 65, 1_000, 16_384, 16_385, 40_000] {
            func randomSet() -> Set<Int> {
                let density = Int.random(in: 1...6, using: &g)
                return Set((0..<rowCount).filter { _ in Int.random(in: 0..<density, using: &g) > 0 })
            }
            func bitmap(_ rows: Set<Int>) -> RowBitmap { RowBitmap(rows: rows.sorted().map { UInt32($0) }, rowCount: rowCount) }
            for _ in 0..<12 {
                var factors: [WordFactor] = []
                var sets: [(Int) -> Bool] = []
                // Up to six factors: the pass that takes two at a time meets pairs, a factor left over, and a union of
                // many (which takes a pass of its own) between them.
                for _ in 0..<Int.random(in: 0...6, using: &g) {
                    switch Int.random(in: 0..<5, using: &g) {
                    case 0:
                        let a = randomSet()
                        factors.append(WordFactor(kind: .bitmap(bitmap(a))))
                        sets.append { a.contains($0) }
                    case 1:
                        let (a, b) = (randomSet(), randomSet())
                        factors.append(.union(of: [bitmap(a), bitmap(b)]))
                        sets.append { a.contains($0) || b.contains($0) }
                    case 2:
                        let all = (0..<Int.random(in: 3...5, using: &g)).map { _ in randomSet() }
                        factors.append(.union(of: all.map(bitmap)))
                        sets.append { row in all.contains { $0.contains(row) } }
                    case 3:
                        let (a, b) = (randomSet(), randomSet())
                        let withOutside = Bool.random(using: &g)
                        factors.append(WordFactor(kind: .between(inside: bitmap(a), outside: withOutside ? bitmap(b) : nil)))
                        sets.append { a.contains($0) && !(withOutside && b.contains($0)) }
                    default:
                        // Rows of an order at two runs of positions taken out afterwards.
                        let a = randomSet()
                        let order = (0..<rowCount).map { UInt32($0) }.shuffled(using: &g)
                        let lowerStart = Int.random(in: 0...rowCount, using: &g)
                        let lower = lowerStart..<Int.random(in: lowerStart...rowCount, using: &g)
                        let upperStart = Int.random(in: 0...rowCount, using: &g)
                        let upper = upperStart..<Int.random(in: upperStart...rowCount, using: &g)
                        let excluded = Set(order[lower].map(Int.init) + order[upper].map(Int.init))
                        factors.append(WordFactor(
                            kind: .bitmap(bitmap(a)), excluded: WordFactor.Exclusion(order: order, lower: lower, upper: upper)))
                        sets.append { a.contains($0) && !excluded.contains($0) }
                    }
                }
                let first = Int.random(in: 0...rowCount, using: &g)
                let rows = first..<Int.random(in: first...rowCount, using: &g)
                let (result, count) = WordIntersection.intersect(factors, rows: rows, rowCount: rowCount)
                let wanted = rows.filter { row in sets.allSatisfy { $0(row) } }.map { UInt32($0) }
                #expect(result.rows(in: RowBitmap.wordRange(0..<rowCount)) == wanted, "\(rowCount) rows, \(factors.count) factors, \(rows)")
                #expect(count == wanted.count)
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
            let startFactor = WordFactor(kind: .bitmap(RowBitmap(rows: start.map { UInt32($0) }, rowCount: rowCount)))
            let union = WordFactor.union(of: sets.map { RowBitmap(rows: $0.map { UInt32($0) }, rowCount: rowCount) })
            let (bitmap, _) = WordIntersection.intersect([startFactor, union], rows: 0..<rowCount, rowCount: rowCount)
            let wanted = start.filter { row in sets.contains { $0.contains(row) } }.map { UInt32($0) }
            #expect(bitmap.rows(in: RowBitmap.wordRange(0..<rowCount)) == wanted, "\(count) sets")
        }
    }
}
