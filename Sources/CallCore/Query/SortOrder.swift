/// The direction of a list's order; echoed as `ascending`/`descending`.
public enum SortOrder: String, Sendable, CaseIterable {
    /// Smallest first.
    case ascending
    /// Largest first.
    case descending

    /// Parses the accepted spellings exactly: `ascending`, `asc`, `descending`, `desc`.
    public init?(wireName: String) {
        switch wireName {
        case "ascending", "asc": self = .ascending
        case "descending", "desc": self = .descending
        default: return nil
        }
    }
}
