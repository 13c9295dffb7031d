/// How log lines are written: the readable text of a terminal, or one JSON object per line for a log shipper.
public enum LogFormat: String, Sendable, CaseIterable {
    /// Space-separated fields, as a person reads them.
    case text
    /// One JSON object per line (`timestamp`, `level`, then the line's fields).
    case json
}
