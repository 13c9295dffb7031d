/// A position in a list order: a call's sort value and its id (the tie-break), so the position stays put however
/// the calls around it change.
public struct OrderKey: Sendable, Equatable {
    /// The call's value in the sort field.
    public var value: SortValue
    /// The call's id.
    public var id: String
    /// Where the call was when the key was taken: its row in its partition's base, when it came from there. Only a
    /// hint (the base may have been rebuilt since): a seek checks that row still holds this key before using it,
    /// and otherwise searches. Not part of the key's identity.
    public var baseRow: Int?

    /// Creates a key from its parts.
    public init(value: SortValue, id: String, baseRow: Int? = nil) {
        self.value = value
        self.id = id
        self.baseRow = baseRow
    }

    /// The key of `call` in the order of `field`, found at `baseRow` of its partition's base if given.
    public init(_ call: Call, field: SortField, baseRow: Int? = nil) {
        self.init(value: field.value(of: call), id: call.id, baseRow: baseRow)
    }

    /// Equal when the value and the id are (the hint aside).
    public static func == (lhs: OrderKey, rhs: OrderKey) -> Bool {
        lhs.value == rhs.value && lhs.id == rhs.id
    }
}

extension SortField {
    /// The value `call` is ordered by in this field.
    public func value(of call: Call) -> SortValue {
        switch self {
        case .startTimestamp: return .integer(call.startTimestamp)
        case .endTimestamp: return call.endTimestamp.map(SortValue.integer) ?? .absent
        case .callDuration: return call.duration.map(SortValue.integer) ?? .absent
        case .callID: return .text(call.callID)
        case .updatedTimestamp: return .integer(call.updatedTimestamp)
        }
    }
}

extension CallOrdering {
    /// Whether the position `a` comes strictly before `b` in this ordering (values of different kinds, which one
    /// field never mixes, order integers first).
    public func precedes(_ a: OrderKey, _ b: OrderKey) -> Bool {
        let byValue: Int
        switch (a.value, b.value) {
        case (.absent, .absent): byValue = 0
        // Missing values last, whatever the direction.
        case (.absent, _): return false
        case (_, .absent): return true
        case let (.integer(x), .integer(y)): byValue = x < y ? -1 : (x > y ? 1 : 0)
        case let (.text(x), .text(y)): byValue = ByteOrder.order(x, y)
        case (.integer, .text): byValue = -1
        case (.text, .integer): byValue = 1
        }
        let ascending = byValue != 0 ? byValue : ByteOrder.order(a.id, b.id)
        return ascending != 0 && (ascending < 0) != (order == .descending)
    }
}
