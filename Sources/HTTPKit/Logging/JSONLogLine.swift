import Glibc

/// One log line as a JSON object, built field by field: `timestamp` (RFC 3339, UTC, milliseconds) and `level`
/// first, then the fields given. Strings are escaped byte for byte, so a hostile path cannot break the line.
public struct JSONLogLine {
    private var bytes: [UInt8] = []

    /// Starts a line of `level` (`info`, `warn`, `error`) stamped with the current time.
    public init(level: String) {
        bytes.reserveCapacity(256)
        bytes.append(UInt8(ascii: "{"))
        field("timestamp", Self.timestamp())
        field("level", level)
    }

    /// A whole line of `level` carrying only `message`.
    public static func message(_ text: String, level: String) -> [UInt8] {
        var line = JSONLogLine(level: level)
        line.field("message", text)
        return line.line()
    }

    /// Adds a string field (`null` for nil).
    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { Self.appendString(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    /// Adds an integer field.
    public mutating func field(_ name: String, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Adds a number of milliseconds given in microseconds, written with three decimals (`1.250`).
    public mutating func field(_ name: String, microsecondsAsMilliseconds micros: UInt64) {
        key(name)
        bytes.append(contentsOf: String(micros / 1000).utf8)
        bytes.append(UInt8(ascii: "."))
        bytes.append(contentsOf: String(micros % 1000 + 1000).utf8.dropFirst())
    }

    /// The finished line, ending in a newline.
    public func line() -> [UInt8] {
        bytes + [UInt8(ascii: "}"), UInt8(ascii: "\n")]
    }

    private mutating func key(_ name: String) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        Self.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends `value` as a JSON string (RFC 8259 §7): quote, backslash and control characters escaped; the rest is
    /// the string's UTF-8, which Swift guarantees valid.
    static func appendString(_ value: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                out.append(contentsOf: Array(#"\u00"#.utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The wall-clock time as RFC 3339 in UTC with milliseconds, e.g. `2026-01-31T09:05:07.042Z`.
    public static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let millis = Int32(spec.tv_nsec / 1_000_000)
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))"
            + "T\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2)).\(padded(millis, 3))Z"
    }
}
