@testable import CallCore
import Testing

/// `sortPrefix` must leave the k smallest first and in order, keep every element, and put nothing smaller after.
@Suite("Sorting only a prefix")
struct PrefixSortTests {
    @Test func theFirstKAreTheSmallestInOrder() {
        var g = TestSupport.SeededGenerator(seed: 31)
        func values(shape: Int, count n: Int) -> [Int] {
            switch shape {
            case 0: return (0..<n).map { _ in Int.random(in: 0...9, using: &g) }
            case 1: return (0..<n).map { _ in Int.random(in: 0...1_000_000, using: &g) }
            case 2: return Array(0..<n)
            case 3: return Array((0..<n).reversed())
            default: return Array(repeating: 5, count: n)
            }
        }
        for shape in 0..<5 {
            for n in [0, 1, 2, 3, 10, 57, 400, 2_000] {
                let values = values(shape: shape, count: n)
                let sorted = values.sorted()
                for k in [0, 1, 2, 5, 20, 99, n / 4, n - 1, n, n + 3] where k >= 0 {
                    var partial = values
                    partial.sortPrefix(k, by: <)
                    let kept = min(k, n)
                    #expect(Array(partial.prefix(kept)) == Array(sorted.prefix(kept)), "n \(n) k \(k)")
                    #expect(partial.sorted() == sorted, "n \(n) k \(k): elements lost or invented")
                    if kept > 0, kept < n {
                        #expect(partial[kept...].allSatisfy { $0 >= partial[kept - 1] }, "n \(n) k \(k)")
                    }
                }
            }
        }
    }
}
