/// SplitMix64: deterministic, so every run (and the SQLite script) sees the same calls.
struct BenchRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
