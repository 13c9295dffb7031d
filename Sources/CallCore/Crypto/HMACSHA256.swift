/// HMAC-SHA256 (RFC 2104): a message authentication code keyed by a secret, built on our `SHA256`. Used to derive
/// the keys of the server's tokens from the data directory's secret, once per start.
public enum HMACSHA256 {
    /// SHA-256's block size in bytes.
    private static let blockSize = 64

    /// The 32-byte code of `message` under `key` (a key longer than a block is hashed first, as RFC 2104 says).
    public static func code(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var block = key.count > blockSize ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }
}
