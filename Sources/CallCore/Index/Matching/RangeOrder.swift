/// A sort order whose valued positions, sorted by value, a range filter selects as one run.
enum RangeOrder {
    case duration
    case updated
}
