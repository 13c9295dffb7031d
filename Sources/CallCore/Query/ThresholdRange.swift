/// An inclusive range with optional bounds (`{lower_threshold?, upper_threshold?}`); a range without bounds holds everything.
public struct ThresholdRange: Sendable, Equatable {
    /// Smallest accepted value, if bounded below.
    public var lower: Int64?
    /// Largest accepted value, if bounded above.
    public var upper: Int64?

    /// Creates a range from its optional bounds.
    public init(lower: Int64? = nil, upper: Int64? = nil) {
        self.lower = lower
        self.upper = upper
    }

    /// Whether neither bound is given (such a range is the same as no range, and is left out of `applied_filters`).
    public var isUnbounded: Bool { lower == nil && upper == nil }

    /// Whether `value` lies within both given bounds, inclusive.
    public func contains(_ value: Int64) -> Bool {
        if let lower, value < lower { return false }
        if let upper, value > upper { return false }
        return true
    }
}
