/// HMAC-SHA256 (RFC 2104): a message authentication code keyed by a secret, built on our `SHA256`.
public enum HMACSHA256 {
    /// SHA-256's block size in bytes.
    private static let blockSize = 64

    /// A key with its two padded blocks already hashed, so each code costs the message's blocks and two more,
    /// not four more (a list answer signs its cursor on every request).
    public struct Key: Sendable {
        private let inner: SHA256
        private let outer: SHA256

        /// Prepares `key` (a key longer than a block is hashed first, as RFC 2104 says).
        public init(_ key: [UInt8]) {
            var block = key.count > HMACSHA256.blockSize ? SHA256.hash(key) : key
            block += [UInt8](repeating: 0, count: HMACSHA256.blockSize - block.count)
            var inner = SHA256()
            inner.update(block.map { $0 ^ 0x36 })
            var outer = SHA256()
            outer.update(block.map { $0 ^ 0x5c })
            self.inner = inner
            self.outer = outer
        }

        /// The 32-byte code of `message`.
        public func code(_ message: [UInt8]) -> [UInt8] {
            var inner = self.inner
            inner.update(message)
            var outer = self.outer
            outer.update(inner.finalize())
            return outer.finalize()
        }
    }

    /// The 32-byte code of `message` under `key`.
    public static func code(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        Key(key).code(message)
    }
}
