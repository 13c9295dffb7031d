#if canImport(Glibc)
import Glibc
#endif

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
        text.withContiguousUTF8 { bytes in
            prefixKey(UnsafeBufferPointer(rebasing: bytes[min(skipping, bytes.count)...]))
        }
    }

    /// The first eight of `bytes`, big-endian, zero-padded: keys order as the bytes do (ties aside).
    static func prefixKey(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for offset in 0..<8 { key = key << 8 | UInt64(offset < bytes.count ? bytes[offset] : 0) }
        return key
    }

    /// Whether `a` sorts strictly before `b` byte-wise.
    static func precedes(_ a: String, _ b: String) -> Bool {
        order(a, b) < 0
    }

    /// -1, 0 or 1 as `a` sorts before, equal to or after `b` byte-wise. Compares the UTF-8 storage in place
    /// with `memcmp` (the generic `lexicographicallyPrecedes` walks the views a byte at a time).
    static func order(_ a: String, _ b: String) -> Int {
        a.withContiguousUTF8 { x in b.withContiguousUTF8 { y in order(x, y) } }
    }


    /// -1, 0 or 1 as the bytes `x` sort before, equal to or after `y`.
    static func order(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let shared = min(x.count, y.count)
        if shared > 0, let xBase = x.baseAddress, let yBase = y.baseAddress {
            let difference = memcmp(xBase, yBase, shared)
            if difference != 0 { return difference < 0 ? -1 : 1 }
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }

    /// -1, 0 or 1 as `word` sorts before, equal to or after `key` (UTF-8 bytes).
    static func compare(_ word: String, _ key: [UInt8]) -> Int {
        word.withContiguousUTF8 { bytes in key.withUnsafeBufferPointer { key in order(bytes, key) } }
    }

    /// Whether `word`'s bytes start with `prefix`.
    static func hasPrefix(_ word: String, _ prefix: [UInt8]) -> Bool {
        word.withContiguousUTF8 { bytes in
            guard bytes.count >= prefix.count else { return false }
            for index in 0..<prefix.count where bytes[index] != prefix[index] { return false }
            return true
        }
    }
}
