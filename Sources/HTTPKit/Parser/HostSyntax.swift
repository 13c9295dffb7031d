/// Checks `uri-host [":" port]` (RFC 3986 §3.2.2–3.2.3), shared by the Host field and the
/// authority of absolute-form and authority-form targets.
enum HostSyntax {
    /// Whether `bytes` is a valid authority without userinfo.
    /// - Parameters:
    ///   - allowEmpty: an entirely empty value is fine (a Host field may be empty, RFC 9110 §7.2).
    ///   - requirePort: authority-form needs `host:port` (RFC 9112 §3.2.3).
    static func isValidAuthority(_ bytes: UnsafeRawBufferPointer, allowEmpty: Bool, requirePort: Bool) -> Bool {
        if bytes.isEmpty { return allowEmpty && !requirePort }
        let hostEnd: Int
        if bytes[0] == ASCII.openBracket {
            guard let close = bytes.firstIndex(of: ASCII.closeBracket),
                  isValidIPLiteral(UnsafeRawBufferPointer(rebasing: bytes[1..<close])) else { return false }
            hostEnd = close + 1
        } else {
            hostEnd = bytes.firstIndex(of: ASCII.colon) ?? bytes.count
            guard hostEnd > 0, isValidRegName(UnsafeRawBufferPointer(rebasing: bytes[0..<hostEnd])) else { return false }
        }
        if hostEnd == bytes.count { return !requirePort }
        guard bytes[hostEnd] == ASCII.colon else { return false }
        let port = UnsafeRawBufferPointer(rebasing: bytes[(hostEnd + 1)...])
        if requirePort && port.isEmpty { return false }
        // port = *DIGIT; an empty port is allowed by the grammar.
        return port.allSatisfy { ByteClass.contains($0, ByteClass.digit) }
    }

    /// reg-name or IPv4address: unreserved, sub-delims and percent-encoded octets.
    private static func isValidRegName(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.percent {
                guard index + 2 < bytes.count,
                      ByteClass.contains(bytes[index + 1], ByteClass.hexDigit),
                      ByteClass.contains(bytes[index + 2], ByteClass.hexDigit) else { return false }
                index += 3
            } else {
                guard ByteClass.contains(byte, ByteClass.regName) else { return false }
                index += 1
            }
        }
        return true
    }

    /// The inside of "[...]": an IPv6 address (checked by alphabet and shape, not fully) or IPvFuture.
    private static func isValidIPLiteral(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = bytes.first else { return false }
        if first == UInt8(ascii: "v") || first == UInt8(ascii: "V") {
            // IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
            guard let dot = bytes.firstIndex(of: ASCII.dot), dot > 1, dot + 1 < bytes.count else { return false }
            return bytes[1..<dot].allSatisfy { ByteClass.contains($0, ByteClass.hexDigit) }
                && bytes[(dot + 1)...].allSatisfy { ByteClass.contains($0, ByteClass.regName) || $0 == ASCII.colon }
        }
        let colons = bytes.reduce(0) { $0 + ($1 == ASCII.colon ? 1 : 0) }
        return colons >= 2 && colons <= 7
            && bytes.allSatisfy { ByteClass.contains($0, ByteClass.hexDigit) || $0 == ASCII.colon || $0 == ASCII.dot }
    }
}
