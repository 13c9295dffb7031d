import Glibc

/// Formats the `Date` header (IMF-fixdate, RFC 9110 §5.6.7), re-rendered at most once a second.
struct HTTPDateCache {
    private var second: time_t = -1
    private var rendered: [UInt8] = []

    /// The current `Date` header value as bytes.
    mutating func current() -> [UInt8] {
        let now = time(nil)
        if now != second {
            second = now
            rendered = Array(Self.format(now).utf8)
        }
        return rendered
    }

    static func format(_ t: time_t) -> String {
        var value = t
        var parts = tm()
        gmtime_r(&value, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let day = days[Int(parts.tm_wday) % 7]
        let month = months[Int(parts.tm_mon) % 12]
        return "\(day), \(two(parts.tm_mday)) \(month) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
