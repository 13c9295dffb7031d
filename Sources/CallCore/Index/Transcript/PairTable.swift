/// An open-addressing hash map from a 64-bit key (two word numbers) to a dense number, for the word-pair index:
/// millions of pairs, where a Dictionary's per-entry overhead and hashing would dominate the build.
struct PairTable: Sendable {
    /// Marks an empty slot; no pair key takes this value because word numbers stay below UInt32.max.
    static let empty = UInt64.max

    /// Key and number side by side, so a probe touches one cache line.
    struct Slot {
        var key: UInt64
        var value: UInt32
    }

    var slots: [Slot]
    var mask: Int
    /// The number of keys stored.
    var count = 0

    /// An empty table sized for about `expected` keys.
    init(expected: Int = 1024) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Slot](repeating: Slot(key: Self.empty, value: 0), count: capacity)
        mask = capacity - 1
    }

    /// The key of the pair (first, second).
    static func key(_ first: UInt32, _ second: UInt32) -> UInt64 { UInt64(first) << 32 | UInt64(second) }

    private static func slot(_ key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// The number of `key`, or nil when absent.
    func value(_ key: UInt64) -> UInt32? {
        // Probes wrap by `mask` and stop at an empty slot.
        assert(slots.count == mask + 1 && slots.count & mask == 0, "the slot count is a power of two, mask one less")
        assert(count < slots.count, "an empty slot remains, so every probe ends")
        return slots.withUnsafeBufferPointer { slots in
            var slot = Self.slot(key, mask: mask)
            while true {
                let stored = slots[slot]
                if stored.key == key { return stored.value }
                if stored.key == Self.empty { return nil }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The number of `key`, giving it the next number when new.
    mutating func intern(_ key: UInt64) -> UInt32 {
        // Look up without a mutable access (which would check the buffer's uniqueness on every call); most
        // keys of a build are already known.
        if let known = value(key) { return known }
        if (count + 1) * 3 > slots.count * 2 { grow() }
        var slot = Self.slot(key, mask: mask)
        while slots[slot].key != Self.empty { slot = (slot + 1) & mask }
        let value = UInt32(truncatingIfNeeded: count)
        slots[slot] = Slot(key: key, value: value)
        count += 1
        return value
    }

    private mutating func grow() {
        let old = slots
        let capacity = slots.count * 2
        slots = [Slot](repeating: Slot(key: Self.empty, value: 0), count: capacity)
        mask = capacity - 1
        for entry in old where entry.key != Self.empty {
            var slot = Self.slot(entry.key, mask: mask)
            while slots[slot].key != Self.empty { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    /// Approximate heap bytes, for reports.
    var byteCount: Int { slots.count * 16 }
}
