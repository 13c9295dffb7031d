/// Counts the set bits of many words, fed in pieces: carry-save adders (Harley–Seal) over pairs of words, so most
/// words cost a few logical operations instead of a population count each. The target has no population count
/// instruction, and the count of a match set's bitmap ran as long as all its intersections together.
struct PopulationCounter {
    private typealias Pair = SIMD2<UInt64>

    /// Bits of weight 1, 2, 4 and 8 not yet counted, lane by lane.
    private var ones = Pair()
    private var twos = Pair()
    private var fours = Pair()
    private var eights = Pair()
    /// Bits counted so far, by their weight.
    private var counted = 0

    /// Words taken in one round of adders: sixteen pairs.
    private static let roundWords = 32

    /// The number of set bits in every word added so far.
    var total: Int {
        func bits(_ pair: Pair) -> Int { pair[0].nonzeroBitCount &+ pair[1].nonzeroBitCount }
        return counted &+ 8 &* bits(eights) &+ 4 &* bits(fours) &+ 2 &* bits(twos) &+ bits(ones)
    }

    /// Adds the set bits of `words`.
    mutating func add(_ words: UnsafeBufferPointer<UInt64>) {
        guard let base = words.baseAddress else { return }
        // The adders work on locals: kept in `self`, every store through the word pointer could change them,
        // so each round would reload and store them.
        var (ones, twos, fours, eights, counted) = (self.ones, self.twos, self.fours, self.eights, self.counted)
        var raw = UnsafeRawPointer(base)
        var rest = words.count
        while rest >= Self.roundWords {
            @inline(__always) func pair(_ index: Int) -> Pair { raw.loadUnaligned(fromByteOffset: index * 16, as: Pair.self) }
            // Pairs first..<first + 4 into the ones and twos; returns what carries into the fours.
            @inline(__always) func foursCarry(_ first: Int) -> Pair {
                var twosA = Pair(), twosB = Pair(), carry = Pair()
                Self.add(&twosA, &ones, pair(first), pair(first + 1))
                Self.add(&twosB, &ones, pair(first + 2), pair(first + 3))
                Self.add(&carry, &twos, twosA, twosB)
                return carry
            }
            // Pairs first..<first + 8 down to the fours; returns what carries into the eights.
            @inline(__always) func eightsCarry(_ first: Int) -> Pair {
                var carry = Pair()
                Self.add(&carry, &fours, foursCarry(first), foursCarry(first + 4))
                return carry
            }
            var sixteens = Pair()
            Self.add(&sixteens, &eights, eightsCarry(0), eightsCarry(8))
            // What carries out of the eights counts sixteen per bit.
            counted &+= 16 &* (sixteens[0].nonzeroBitCount &+ sixteens[1].nonzeroBitCount)
            raw += Self.roundWords * 8
            rest -= Self.roundWords
        }
        assert(raw == UnsafeRawPointer(base + (words.count - rest)), "the rounds read exactly the words before the tail")
        for index in (words.count - rest)..<words.count { counted &+= words[index].nonzeroBitCount }
        (self.ones, self.twos, self.fours, self.eights, self.counted) = (ones, twos, fours, eights, counted)
    }

    /// A carry-save adder: adds `a` and `b` to the bits of `sum` (same weight), leaving the carries in `carry`.
    @inline(__always) private static func add(_ carry: inout Pair, _ sum: inout Pair, _ a: Pair, _ b: Pair) {
        let half = sum ^ a
        carry = (sum & a) | (half & b)
        sum = half ^ b
    }
}
