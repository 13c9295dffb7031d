/// Byte-wise UTF-8 order of strings (the order API.md uses for ids and call ids, and the order of the transcript
/// vocabulary, where a prefix's words form one contiguous range).
enum ByteOrder {
    /// The first eight bytes, big-endian, zero-padded: comparing keys orders strings whose first eight bytes
    /// differ; equal keys need a full comparison.
    static func prefixKey(_ text: String) -> UInt64 {
        prefixKey(text, skipping: 0)
    }

    /// Like `prefixKey`, for the eight bytes after the first `skipping` (a second key for strings that often
    /// share their first eight bytes, such as call ids).
    static func prefixKey(_ text: String, skipping: Int) -> UInt64 {
        var key: UInt64 = 0
        var taken = 0
        for byte in text.utf8.dropFirst(skipping) {
            key = key << 8 | UInt64(byte)
            taken += 1
            if taken == 8 { return key }
        }
        return key << UInt64(8 * (8 - taken))
    }

    /// Whether `a` sorts strictly before `b` byte-wise.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Whether `a` sorts strictly before `b`, given their prefix keys.
    static func precedes(_ a: String, _ aKey: UInt64, _ b: String, _ bKey: UInt64) -> Bool {
        if aKey != bKey { return aKey < bKey }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Indices of `strings` sorted byte-wise (ties, which callers reject or break, keep no particular order).
    static func sortedIndices(_ strings: [String]) -> [UInt32] {
        let keys = strings.map(prefixKey)
        var indices = (0..<strings.count).map { UInt32(truncatingIfNeeded: $0) }
        keys.withUnsafeBufferPointer { keys in
            indices.sort { a, b in
                let ka = keys[Int(a)]
                let kb = keys[Int(b)]
                if ka != kb { return ka < kb }
                return strings[Int(a)].utf8.lexicographicallyPrecedes(strings[Int(b)].utf8)
            }
        }
        return indices
    }

    /// -1, 0 or 1 as `word` sorts before, equal to or after `key` (UTF-8 bytes).
    static func compare(_ word: String, _ key: [UInt8]) -> Int {
        var word = word
        return word.withUTF8 { bytes in
            let shared = min(bytes.count, key.count)
            for index in 0..<shared where bytes[index] != key[index] {
                return bytes[index] < key[index] ? -1 : 1
            }
            return bytes.count == key.count ? 0 : (bytes.count < key.count ? -1 : 1)
        }
    }

    /// Whether `word`'s bytes start with `prefix`.
    static func hasPrefix(_ word: String, _ prefix: [UInt8]) -> Bool {
        var word = word
        return word.withUTF8 { bytes in
            guard bytes.count >= prefix.count else { return false }
            for index in 0..<prefix.count where bytes[index] != prefix[index] { return false }
            return true
        }
    }
}
