extension Array {
    /// Puts the `k` smallest elements first, in order (`areInIncreasingOrder` is a strict weak ordering); the
    /// rest follow in no particular order. Costs about the count plus `k log k`, not a whole sort, so a page of a
    /// large match set sorts only what the page can reach.
    mutating func sortPrefix(_ k: Int, by areInIncreasingOrder: (Element, Element) -> Bool) {
        let k = Swift.min(Swift.max(k, 0), count)
        guard k > 0 else { return }
        guard k * 4 < count else {
            sort(by: areInIncreasingOrder)
            return
        }
        // Selection (Hoare's FIND): narrow [low, high] around position k - 1 until everything before it is no
        // larger and everything after no smaller.
        let target = k - 1
        var low = 0
        var high = count - 1
        while low < high {
            let pivot = medianOfThree(low, low + (high - low) / 2, high, by: areInIncreasingOrder)
            var i = low
            var j = high
            // The bounds only matter for an ordering that is not strict; it then ends in a whole sort below.
            while i <= j {
                while i < high, areInIncreasingOrder(self[i], pivot) { i += 1 }
                while j > low, areInIncreasingOrder(pivot, self[j]) { j -= 1 }
                if i <= j {
                    swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            let (oldLow, oldHigh) = (low, high)
            if j < target { low = i }
            if target < i { high = j }
            if low == oldLow, high == oldHigh {
                sort(by: areInIncreasingOrder)
                return
            }
        }
        self[0..<k].sort(by: areInIncreasingOrder)
    }

    /// The median of the elements at three positions (a pivot that holds up on sorted and reversed input).
    private func medianOfThree(_ a: Int, _ b: Int, _ c: Int, by less: (Element, Element) -> Bool) -> Element {
        let (x, y, z) = (self[a], self[b], self[c])
        if less(x, y) {
            if less(y, z) { return y }
            return less(x, z) ? z : x
        }
        if less(x, z) { return x }
        return less(y, z) ? z : y
    }
}
