/// Numbers distinct byte strings (folded words) in order of first appearance, keeping them back to back in one
/// buffer: an index build meets a hundred million word occurrences, and creating a String and hashing it through
/// a Dictionary for each would dominate the build.
struct ByteInterner: Sendable {
    /// Every word's bytes, back to back.
    private(set) var bytes: [UInt8] = []
    /// Word i is `bytes[starts[i]..<starts[i + 1]]`.
    private(set) var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Word number + 1 per slot; 0 is an empty slot.
    private var slots: [UInt32]
    private var mask: Int

    /// An empty interner sized for about `expected` words.
    init(expected: Int = 1024) {
        var capacity = 64
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [UInt32](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// The number of distinct words.
    var count: Int { hashes.count }

    /// The bytes of word `number`.
    func word(_ number: Int) -> ArraySlice<UInt8> { bytes[starts[number]..<starts[number + 1]] }

    /// The number of `word`, numbering it when new.
    mutating func intern(_ word: UnsafeBufferPointer<UInt8>) -> UInt32 {
        intern(word, lowercasing: 0)
    }

    /// The number of the lower-cased form of `word`, an all-ASCII run of letters and digits (for which
    /// `byte | 0x20` is the lower case), numbering it when new; no lower-cased copy is made unless it is new.
    mutating func internLowercasingASCII(_ word: UnsafeBufferPointer<UInt8>) -> UInt32 {
        intern(word, lowercasing: 0x20)
    }

    /// `intern` of `word` with `lower` OR-ed into every byte (0 or 0x20).
    private mutating func intern(_ word: UnsafeBufferPointer<UInt8>, lowercasing lower: UInt8) -> UInt32 {
        let hash = Self.hash(word, lowercasing: lower)
        let mask = mask
        // Probes wrap by `mask` and stop at an empty slot; stored numbers index `hashes` and `starts`.
        assert(slots.count == mask + 1 && slots.count & mask == 0, "the slot count is a power of two, mask one less")
        assert(hashes.count < slots.count, "an empty slot remains, so every probe ends")
        assert(starts.count == hashes.count + 1 && starts.last == bytes.count, "starts bound every word's bytes")
        let found: Int? = slots.withUnsafeBufferPointer { slots in
            hashes.withUnsafeBufferPointer { hashes in
                bytes.withUnsafeBufferPointer { bytes in
                    starts.withUnsafeBufferPointer { starts in
                        var slot = Int(truncatingIfNeeded: hash) & mask
                        while true {
                            let stored = Int(slots[slot])
                            if stored == 0 { return nil }
                            let number = stored - 1
                            if hashes[number] == hash, starts[number + 1] - starts[number] == word.count {
                                let start = starts[number]
                                var equal = true
                                for index in 0..<word.count where bytes[start + index] != word[index] | lower {
                                    equal = false
                                    break
                                }
                                if equal { return number }
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
        }
        if let found { return UInt32(truncatingIfNeeded: found) }
        let number = hashes.count
        hashes.append(hash)
        for byte in word { bytes.append(byte | lower) }
        starts.append(bytes.count)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt32(truncatingIfNeeded: number + 1)
        if hashes.count * 3 > slots.count * 2 { grow() }
        return UInt32(truncatingIfNeeded: number)
    }

    /// The number of `word`, numbering it when new.
    mutating func intern(_ word: ArraySlice<UInt8>) -> UInt32 {
        word.withUnsafeBufferPointer { intern($0) }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [UInt32](repeating: 0, count: capacity)
        mask = capacity - 1
        assert(hashes.count < capacity, "an empty slot remains, so every probe ends")
        for (number, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(truncatingIfNeeded: number + 1)
        }
    }

    /// A fast 64-bit hash of short byte strings (eight bytes a step, then a final mix).
    static func hash(_ word: UnsafeBufferPointer<UInt8>) -> UInt64 {
        hash(word, lowercasing: 0)
    }

    /// `hash` of `word` with `lower` OR-ed into every byte.
    private static func hash(_ word: UnsafeBufferPointer<UInt8>, lowercasing lower: UInt8) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(word.count)
        guard let base = word.baseAddress else { return hash }
        let wide = UInt64(lower) &* 0x0101_0101_0101_0101
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= word.count {
            let chunk = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) | wide
            hash = (hash ^ chunk) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < word.count {
            tail |= UInt64(word[index] | lower) << shift
            shift += 8
            index += 1
        }
        hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 29
        hash = hash &* 0xFF51_AFD7_ED55_8CCD
        return hash ^ (hash >> 32)
    }

    /// Word numbers sorted by their bytes.
    func sortedNumbers() -> [UInt32] {
        var numbers = (0..<count).map { UInt32(truncatingIfNeeded: $0) }
        bytes.withUnsafeBufferPointer { bytes in
            func text(_ number: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: bytes[starts[number]..<starts[number + 1]])
            }
            // Prefix keys settle most comparisons with one integer compare.
            let keys = (0..<count).map { ByteOrder.prefixKey(text($0)) }
            keys.withUnsafeBufferPointer { keys in
                numbers.sort { a, b in
                    let ka = keys[Int(a)]
                    let kb = keys[Int(b)]
                    return ka != kb ? ka < kb : ByteOrder.order(text(Int(a)), text(Int(b))) < 0
                }
            }
        }
        return numbers
    }

    /// Word `number` as a String.
    func string(_ number: Int) -> String {
        assert(number >= 0 && number < count, "a word number")
        return bytes.withUnsafeBufferPointer { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[starts[number]..<starts[number + 1]]), as: UTF8.self)
        }
    }
}
