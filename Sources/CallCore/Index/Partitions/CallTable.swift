/// A partition's calls by row, held by reference into a shared array: a store of a million calls keeps one array
/// of call records, not one per organization plus the caller's.
struct CallTable: RandomAccessCollection, Sendable {
    /// The shared records.
    private let storage: [Call]
    /// Row → index in `storage`.
    private let positions: [UInt32]

    /// A table of `storage[positions[row]]` by row.
    init(storage: [Call], positions: [UInt32]) {
        // Records are read at `base + positions[row]` by unchecked pointer.
        assert(positions.allSatisfy { Int($0) < storage.count }, "every position names a record of the storage")
        self.storage = storage
        self.positions = positions
    }

    /// The first row.
    var startIndex: Int { 0 }
    /// One past the last row.
    var endIndex: Int { positions.count }

    /// The call of `row`.
    subscript(row: Int) -> Call { storage[Int(positions[row])] }

    /// Whether `row` holds the call whose key in the order of `field` is `key`: read in place, with no reference
    /// counted (a cursor's hint is checked on every page it continues).
    func holds(_ key: OrderKey, atRow row: Int, field: SortField) -> Bool {
        storage.withUnsafeBufferPointer { records in
            guard let first = records.baseAddress, row >= 0, row < positions.count else { return false }
            assert(Int(positions[row]) < records.count, "every position names a record of the storage")
            return Call.withBox(at: first + Int(positions[row])) { box in
                guard box.fields.id == key.id else { return false }
                switch (field, key.value) {
                case (.startTimestamp, .integer(let value)): return box.fields.startTimestamp == value
                case (.updatedTimestamp, .integer(let value)): return box.fields.updatedTimestamp == value
                case (.endTimestamp, .integer(let value)): return box.fields.endTimestamp == value
                case (.endTimestamp, .absent): return box.fields.endTimestamp == nil
                case (.callDuration, .integer(let value)): return box.fields.duration == value
                case (.callDuration, .absent): return box.fields.duration == nil
                case (.callID, .text(let value)): return box.fields.callID == value
                default: return false
                }
            }
        }
    }

    /// Calls `body` with each row and its record, in row order, reading the records in place (no copy of a
    /// record, so no reference counting of its strings).
    func forEachRecord(_ body: (Int, UnsafePointer<Call>) -> Void) {
        storage.withUnsafeBufferPointer { records in
            guard let base = records.baseAddress else { return }
            for (row, position) in positions.enumerated() { body(row, base + Int(position)) }
        }
    }

    /// Calls `body` with the address of the record of each of `rows`, in order (valid only during the call).
    func withRecords<R>(rows: [Int], _ body: (UnsafeBufferPointer<UnsafePointer<Call>>) -> R) -> R {
        assert(rows.allSatisfy { $0 >= 0 && $0 < positions.count }, "every row asked for is a row of the table")
        return storage.withUnsafeBufferPointer { records in
            positions.withUnsafeBufferPointer { positions in
                withUnsafeTemporaryAllocation(of: UnsafePointer<Call>.self, capacity: rows.count) { addresses in
                    assert(addresses.count == rows.count, "one address per row")
                    // No records means no rows to look up.
                    guard let first = records.baseAddress else { return body(UnsafeBufferPointer(rebasing: addresses[0..<0])) }
                    for (index, row) in rows.enumerated() {
                        addresses.initializeElement(at: index, to: first + Int(positions[row]))
                    }
                    return body(UnsafeBufferPointer(addresses))
                }
            }
        }
    }

    /// The transcript of `row`, without copying the rest of the record.
    func transcript(_ row: Int) -> String { storage[Int(positions[row])].transcript }

    /// The id of `row`, without copying the rest of the record.
    func id(_ row: Int) -> String { storage[Int(positions[row])].id }

    /// The end_timestamp of `row` (0 when it has none), without copying the rest of the record.
    func endTimestamp(_ row: Int) -> Int64 {
        storage.withUnsafeBufferPointer { $0[Int(positions[row])].endTimestamp ?? 0 }
    }

    /// The updated_timestamp of `row`, without copying the rest of the record.
    func updatedTimestamp(_ row: Int) -> Int64 {
        storage.withUnsafeBufferPointer { $0[Int(positions[row])].updatedTimestamp }
    }

    /// The call_id of `row`, without copying the rest of the record.
    func callID(_ row: Int) -> String { storage[Int(positions[row])].callID }
}
