@testable import CallCore
import Testing

/// The carry-save counter gives the exact number of set bits, however the words are split into pieces and
/// whatever their density (the adders' carries only show with many dense words).
@Suite("PopulationCounter")
struct PopulationCounterTests {
    @Test func countsEverySetBitAcrossPieces() {
        var g = TestSupport.SeededGenerator(seed: 7)
        for length in [0, 1, 31, 32, 33, 64, 100, 1_563, 5_000] {
            for density in 0..<4 {
                let words = (0..<length).map { _ -> UInt64 in
                    switch density {
                    case 0: return 0
                    case 1: return UInt64.random(in: 0...UInt64.max, using: &g) & UInt64.random(in: 0...UInt64.max, using: &g)
                    case 2: return UInt64.random(in: 0...UInt64.max, using: &g)
                    default: return Bool.random(using: &g) ? .max : .max << UInt64.random(in: 0..<64, using: &g)
                    }
                }
                let wanted = words.reduce(0) { $0 + $1.nonzeroBitCount }
                var counter = PopulationCounter()
                words.withUnsafeBufferPointer { words in
                    var start = 0
                    while start < words.count {
                        let end = min(words.count, start + Int.random(in: 1...300, using: &g))
                        counter.add(UnsafeBufferPointer(rebasing: words[start..<end]))
                        start = end
                    }
                }
                #expect(counter.total == wanted, "\(length) words, density \(density)")
            }
        }
    }
}
