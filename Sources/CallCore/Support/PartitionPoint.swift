/// Binary search: the first index in `range` for which `isBefore` is false, given a predicate that is true on a
/// prefix of `range` and false on the rest (`range.upperBound` when it is true everywhere).
@inline(__always)
func partitionPoint(_ range: Range<Int>, _ isBefore: (Int) -> Bool) -> Int {
    var low = range.lowerBound
    var high = range.upperBound
    while low < high {
        let middle = low + (high - low) / 2
        if isBefore(middle) { low = middle + 1 } else { high = middle }
    }
    return low
}
