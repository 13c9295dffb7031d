/// A scrape in the Prometheus text exposition format 0.0.4, written family by family: `# HELP` and `# TYPE`, then
/// the family's samples.
public struct PrometheusText: Sendable {
    /// The `Content-Type` of the format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition so far.
    public private(set) var text = ""

    /// An empty exposition.
    public init() {}

    /// Starts a family: its help text (escaped) and type.
    public mutating func family(_ name: String, _ type: PrometheusType, help: String) {
        text += "# HELP \(name) \(Self.escape(help, quotes: false))\n# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample of a whole number.
    public mutating func sample(_ name: String, _ value: UInt64, labels: KeyValuePairs<String, String> = [:]) {
        line(name, Array(labels), String(value))
    }

    /// One sample of a real number.
    public mutating func sample(_ name: String, _ value: Double, labels: KeyValuePairs<String, String> = [:]) {
        line(name, Array(labels), Self.format(value))
    }

    /// The samples of one histogram series: cumulative `_bucket`s ending in `+Inf`, `_sum` and `_count`. `counts` holds
    /// one count per bound plus the `+Inf` bucket, not cumulative.
    public mutating func histogram(
        _ name: String, labels: KeyValuePairs<String, String> = [:], bounds: [Double], counts: [UInt64], sum: Double
    ) {
        let base = Array(labels)
        var cumulative: UInt64 = 0
        for (index, count) in counts.enumerated() {
            cumulative &+= count
            let bound = index < bounds.count ? Self.format(bounds[index]) : "+Inf"
            line(name + "_bucket", base + [("le", bound)], String(cumulative))
        }
        if counts.count <= bounds.count { line(name + "_bucket", base + [("le", "+Inf")], String(cumulative)) }
        line(name + "_sum", base, Self.format(sum))
        line(name + "_count", base, String(cumulative))
    }

    private mutating func line(_ name: String, _ labels: [(key: String, value: String)], _ value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (index, label) in labels.enumerated() {
                if index > 0 { text += "," }
                text += "\(label.key)=\"\(Self.escape(label.value, quotes: true))\""
            }
            text += "}"
        }
        text += " \(value)\n"
    }

    /// The format's escaping: backslash and line feed everywhere, double quotes in label values.
    static func escape(_ value: String, quotes: Bool) -> String {
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"" where quotes: escaped += "\\\""
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A number as the format spells it (`+Inf`, `-Inf`, `NaN` for the special values).
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return String(value)
    }
}
