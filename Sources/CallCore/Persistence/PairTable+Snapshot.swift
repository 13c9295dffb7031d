extension PairTable {
    /// Writes the slots as two sections, keys and numbers.
    func write(to writer: inout SnapshotSectionWriter) throws(JournalError) {
        try writer.put(.pairKeys, slots.map(\.key))
        try writer.put(.pairValues, slots.map(\.value))
    }

    /// The table `write` wrote, which must number exactly `numbers` keys 0..<numbers and keep an empty slot (a
    /// probe for an absent key stops only there).
    init(snapshot cursor: inout SnapshotCursor, numbers: Int) throws(StoreSnapshotError) {
        let keys = try cursor.words64(.pairKeys)
        let values = try cursor.words32(.pairValues)
        let capacity = keys.count
        guard capacity >= 16, capacity & (capacity - 1) == 0, values.count == capacity, numbers < capacity else {
            throw cursor.corrupt("pair table has a bad size")
        }
        var used = 0
        for (key, value) in zip(keys, values) where key != Self.empty {
            guard Int(value) < numbers else { throw cursor.corrupt("pair number out of range") }
            used += 1
        }
        guard used == numbers else { throw cursor.corrupt("pair table holds \(used) keys, not \(numbers)") }
        slots = zip(keys, values).map { Slot(key: $0, value: $1) }
        mask = capacity - 1
        count = numbers
    }
}
