import CallCore

/// Deterministic (SplitMix64), so every run (and the SQLite script) sees the same calls.
struct BenchRandom: RandomNumberGenerator {
    private var source: SplitMix64

    init(seed: UInt64) { source = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { source.next() }

    /// A uniform integer in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// A uniform value in 0..<1.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// An element of `list`, skewed towards the front (index ~ n·u², a simple Zipf-like popularity).
    mutating func skewed<T>(_ list: [T]) -> T {
        let u = unit()
        return list[min(list.count - 1, Int(Double(list.count) * u * u))]
    }

    /// An element of `list`, uniformly.
    mutating func pick<T>(_ list: [T]) -> T { list[below(list.count)] }
}
