/// API.md's list order: by the sort field in the sort direction, calls without a value for it last in either
/// direction, ties broken by `id` in the same direction.
public struct CallOrdering: Sendable {
    /// The field compared first.
    public var field: SortField
    /// The direction for both the field and the `id` tie-break.
    public var order: SortOrder

    /// Creates an ordering.
    public init(field: SortField, order: SortOrder) {
        self.field = field
        self.order = order
    }

    /// Whether `a` comes strictly before `b`.
    public func precedes(_ a: Call, _ b: Call) -> Bool {
        switch compareField(a, b) {
        case .before: return true
        case .after: return false
        case .same: return directed(Self.compareBytes(a.id, b.id)) == .before
        }
    }

    private enum Comparison { case before, same, after }

    private func compareField(_ a: Call, _ b: Call) -> Comparison {
        switch field {
        case .startTimestamp: return directed(Self.compare(a.startTimestamp, b.startTimestamp))
        case .endTimestamp: return compareOptional(a.endTimestamp, b.endTimestamp)
        case .callDuration: return compareOptional(a.duration, b.duration)
        case .callID: return directed(Self.compareBytes(a.callID, b.callID))
        case .updatedTimestamp: return directed(Self.compare(a.updatedTimestamp, b.updatedTimestamp))
        }
    }

    /// Missing values go last whatever the direction; present values compare in the direction.
    private func compareOptional(_ a: Int64?, _ b: Int64?) -> Comparison {
        switch (a, b) {
        case (nil, nil): return .same
        case (nil, _): return .after
        case (_, nil): return .before
        case let (x?, y?): return directed(Self.compare(x, y))
        }
    }

    private func directed(_ ascending: Comparison) -> Comparison {
        guard order == .descending else { return ascending }
        switch ascending {
        case .before: return .after
        case .after: return .before
        case .same: return .same
        }
    }

    private static func compare(_ a: Int64, _ b: Int64) -> Comparison {
        a < b ? .before : (a > b ? .after : .same)
    }

    /// Byte-wise UTF-8 order: well defined and locale-free (ids and call ids are ASCII anyway).
    private static func compareBytes(_ a: String, _ b: String) -> Comparison {
        let order = ByteOrder.order(a, b)
        return order < 0 ? .before : (order > 0 ? .after : .same)
    }
}
