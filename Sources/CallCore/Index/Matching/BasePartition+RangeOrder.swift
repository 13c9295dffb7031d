extension BasePartition {
    /// The order of a range-filtered field.
    func order(_ field: RangeOrder) -> FieldOrder {
        switch field {
        case .duration: return durationOrder
        case .updated: return updatedOrder
        }
    }

    /// The cut bitmaps of a range-filtered field's order.
    func cuts(_ field: RangeOrder) -> OrderCutBitmaps {
        switch field {
        case .duration: return durationCuts
        case .updated: return updatedCuts
        }
    }
}
