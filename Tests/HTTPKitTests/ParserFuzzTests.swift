import HTTPKit
import Testing

/// A small deterministic generator (ParserFuzzRandom), so a failing case can be reproduced from its seed.
struct ParserFuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Random garbage and random mutations of valid requests: the parser must never trap, never
/// stop making progress, keep its contract, and give the same answer however the bytes are split.
@Suite("Parser fuzzing")
struct ParserFuzzTests {
    /// Bytes that matter to the grammar, so mutations hit interesting paths more often than random bytes.
    private static let interesting: [UInt8] = Array(" \t\r\n:;=,\"\\%/?*#0189aAfFzZ-".utf8) + [0x00, 0x7F, 0x80, 0xFF]

    /// Valid requests to mutate: every fixture case that parses cleanly.
    private static let seeds: [[UInt8]] = {
        let valid = ParserFixtures.cases.filter { $0.error == nil && $0.limits == HTTPLimits() }.map(\.request)
        return valid.isEmpty ? [Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)] : valid
    }()

    private func mutate(_ input: [UInt8], using random: inout ParserFuzzRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            let byte = Bool.random(using: &random)
                ? Self.interesting.randomElement(using: &random) ?? 0
                : UInt8.random(in: 0...255, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0 where !bytes.isEmpty: bytes[position] = byte
            case 1: bytes.insert(byte, at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...16, using: &random))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            default:
                let other = Self.seeds.randomElement(using: &random) ?? []
                bytes += other  // pipelining: a second request after the (mutated) first
            }
        }
        return bytes
    }

    /// Runs one input whole, byte by byte and in random pieces, and checks they agree.
    private func check(_ bytes: [UInt8], using random: inout ParserFuzzRandom, seed: UInt64) {
        let driver = ParserDriver()
        let whole = driver.runWhole(bytes)
        #expect(whole.violations.isEmpty, "seed \(seed): \(whole.violations)")
        let reference = whole.comparable
        #expect(driver.runBytewise(bytes).comparable == reference, "seed \(seed): byte by byte differs")
        for _ in 0..<2 {
            var pieces: [ArraySlice<UInt8>] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 1...24, using: &random))
                pieces.append(bytes[start..<end])
                start = end
            }
            #expect(driver.run(pieces).comparable == reference, "seed \(seed): pieces \(pieces.map(\.count)) differ")
        }
    }

    @Test func survivesRandomGarbage() {
        for seed in UInt64(0)..<2000 {
            var random = ParserFuzzRandom(seed: seed)
            let length = Int.random(in: 0...200, using: &random)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &random)
                    ? Self.interesting.randomElement(using: &random) ?? 0
                    : UInt8.random(in: 0...255, using: &random)
            }
            check(bytes, using: &random, seed: seed)
        }
    }

    @Test func survivesMutatedValidRequests() {
        for seed in UInt64(10000)..<16000 {
            var random = ParserFuzzRandom(seed: seed)
            let original = Self.seeds.randomElement(using: &random) ?? []
            check(mutate(original, using: &random), using: &random, seed: seed)
        }
    }

    @Test func survivesGarbageAfterAValidHead() {
        for seed in UInt64(5000)..<7000 {
            var random = ParserFuzzRandom(seed: seed)
            var bytes = Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            bytes += (0..<Int.random(in: 0...120, using: &random)).map { _ in
                Self.interesting.randomElement(using: &random) ?? 0
            }
            check(bytes, using: &random, seed: seed)
        }
    }
}
