/// One organization's calls, immutable and fully indexed. Rows are numbered in ascending (start_timestamp, id)
/// order, so the default sort is the row order itself and a start_timestamp range is a contiguous row range.
final class BasePartition: Sendable {
    /// The calls, by row.
    let calls: CallTable
    /// start_timestamp by row (ascending, by construction).
    let startTimestamps: [Int64]
    /// call_duration by row (meaningful where `durationOrder` says the row has one).
    let durations: [Int64]
    /// call_status by row, with the rows of each status.
    let status: CodeColumn
    /// call_type by row, with the rows of each type.
    let type: CodeColumn
    /// direction by row, with the rows of each direction.
    let direction: CodeColumn
    /// agent_id (interned) by row, with the rows of each agent.
    let agent: CodeColumn
    /// from_number (interned) by row, with the rows of each number.
    let fromNumber: CodeColumn
    /// to_number (interned) by row, with the rows of each number.
    let toNumber: CodeColumn
    /// The end_timestamp order.
    let endOrder: FieldOrder
    /// The call_duration order.
    let durationOrder: FieldOrder
    /// The call_id order.
    let callIDOrder: FieldOrder
    /// The updated_timestamp order.
    let updatedOrder: FieldOrder
    /// The enumeration filters as bitmaps over the end_timestamp order's positions.
    let rankedEnd: RankedCodeBitmaps
    /// The same over the call_duration order's positions.
    let rankedDuration: RankedCodeBitmaps
    /// The same over the call_id order's positions.
    let rankedCallID: RankedCodeBitmaps
    /// The same over the updated_timestamp order's positions.
    let rankedUpdated: RankedCodeBitmaps
    /// Rows below evenly spaced cuts of the duration order, for duration ranges on bitmaps.
    let durationCuts: OrderCutBitmaps
    /// The same for the updated_timestamp order, for updated_timestamp ranges.
    let updatedCuts: OrderCutBitmaps
    /// The transcript search index.
    let transcript: TranscriptIndex

    /// The number of rows.
    var rowCount: Int { calls.count }

    init(
        calls: CallTable, startTimestamps: [Int64], durations: [Int64], status: CodeColumn, type: CodeColumn,
        direction: CodeColumn, agent: CodeColumn, fromNumber: CodeColumn, toNumber: CodeColumn,
        endOrder: FieldOrder, durationOrder: FieldOrder, callIDOrder: FieldOrder, updatedOrder: FieldOrder,
        transcript: TranscriptIndex
    ) {
        // Columns and orders are read by row and by position through unchecked pointers and bitmaps sized by the
        // row count.
        assert(startTimestamps.count == calls.count && durations.count == calls.count, "every column has one value per row")
        assert(
            [status, type, direction, agent, fromNumber, toNumber].allSatisfy { $0.codes.count == calls.count },
            "every code column has one code per row")
        assert(
            [endOrder, durationOrder, callIDOrder, updatedOrder].allSatisfy {
                $0.rows.count == calls.count && $0.ranks.count == calls.count && $0.valuedCount <= calls.count
            }, "every order holds each row once")
        assert(transcript.wordRows.rowCount == calls.count, "the transcript postings cover the partition's rows")
        self.calls = calls
        self.startTimestamps = startTimestamps
        self.durations = durations
        self.status = status
        self.type = type
        self.direction = direction
        self.agent = agent
        self.fromNumber = fromNumber
        self.toNumber = toNumber
        self.endOrder = endOrder
        self.durationOrder = durationOrder
        self.callIDOrder = callIDOrder
        self.updatedOrder = updatedOrder
        rankedEnd = RankedCodeBitmaps(order: endOrder, status: status, type: type, direction: direction)
        rankedDuration = RankedCodeBitmaps(order: durationOrder, status: status, type: type, direction: direction)
        rankedCallID = RankedCodeBitmaps(order: callIDOrder, status: status, type: type, direction: direction)
        rankedUpdated = RankedCodeBitmaps(order: updatedOrder, status: status, type: type, direction: direction)
        durationCuts = OrderCutBitmaps(order: durationOrder, positions: durationOrder.valuedCount)
        updatedCuts = OrderCutBitmaps(order: updatedOrder, positions: updatedOrder.valuedCount)
        self.transcript = transcript
    }

    /// An empty partition (an organization whose calls all live in the delta so far).
    static let empty = BasePartitionBuilder.build(storage: [], members: [])

    /// The row of `callID`, by binary search in the call_id order.
    func row(callID: String) -> Int? {
        let low = partitionPoint(0..<rowCount) { ByteOrder.precedes(calls.callID(Int(callIDOrder.rows[$0])), callID) }
        guard low < rowCount else { return nil }
        let row = Int(callIDOrder.rows[low])
        return calls.callID(row) == callID ? row : nil
    }

    /// How many rows precede `call` in `field`'s ascending order (rows with a value by value then id, then rows
    /// without by id): where the call would be inserted. Lets a delta call be merged with base rows by position.
    func insertionPosition(of call: Call, field: SortField) -> Int {
        insertionPosition(of: OrderKey(call, field: field), field: field)
    }

    /// How many rows precede `key` in `field`'s ascending order; with `inclusive`, the row with the key's own value
    /// and id counts too. (A key whose value is of another kind than the field's, which no signed cursor holds,
    /// still gets a position, never a trap.)
    func insertionPosition(of key: OrderKey, field: SortField, inclusive: Bool = false) -> Int {
        // A write costs five of these, so they compare columns and strings in place rather than whole records.
        func tieBreak(_ row: Int) -> Bool {
            let order = ByteOrder.order(calls.id(row), key.id)
            return inclusive ? order <= 0 : order < 0
        }
        switch field {
        case .startTimestamp:
            guard case .integer(let start) = key.value else { return key.value == .absent ? rowCount : 0 }
            // Rows themselves are in (start_timestamp, id) order.
            return startTimestamps.withUnsafeBufferPointer { starts in
                partitionPoint(0..<rowCount) { row in starts[row] != start ? starts[row] < start : tieBreak(row) }
            }
        case .callID:
            guard case .text(let callID) = key.value else { return key.value == .absent ? rowCount : 0 }
            return callIDOrder.rows.withUnsafeBufferPointer { rows in
                partitionPoint(0..<rowCount) { position in
                    let row = Int(rows[position])
                    let order = ByteOrder.order(calls.callID(row), callID)
                    return order != 0 ? order < 0 : tieBreak(row)
                }
            }
        case .callDuration:
            return durations.withUnsafeBufferPointer { durations in
                optionalValuePosition(key.value.integer, order: durationOrder, tieBreak: tieBreak) { durations[$0] }
            }
        case .endTimestamp:
            return optionalValuePosition(key.value.integer, order: endOrder, tieBreak: tieBreak) { calls.endTimestamp($0) }
        case .updatedTimestamp:
            return optionalValuePosition(key.value.integer, order: updatedOrder, tieBreak: tieBreak) {
                calls.updatedTimestamp($0)
            }
        }
    }

    /// How many rows come at or before `key` in the list of `field` in `order`: the list position where the
    /// calls after the key begin.
    func listPosition(after key: OrderKey, field: SortField, order direction: SortOrder) -> Int {
        // The key's own row, when it still holds the key: the position right after it, with no search.
        if let row = key.baseRow, calls.holds(key, atRow: row, field: field) {
            return listPosition(ofRow: row, field: field, order: direction) + 1
        }
        guard direction == .descending else { return insertionPosition(of: key, field: field, inclusive: true) }
        // Descending, a row at or before the key is one at or after it ascending, in the key's segment.
        let position = insertionPosition(of: key, field: field)
        return min(rowCount, rowsBefore(insertedAt: position, hasValue: key.value != .absent, field: field, order: direction))
    }

    /// `insertionPosition` in the order of an optional field: rows with a value first (by value, then id),
    /// then the rest by id. `valueAt` reads a valued row's value.
    private func optionalValuePosition(
        _ value: Int64?, order: FieldOrder, tieBreak: (Int) -> Bool, valueAt: (Int) -> Int64
    ) -> Int {
        let valued = order.valuedCount
        return order.rows.withUnsafeBufferPointer { rows in
            partitionPoint(0..<rowCount) { position in
                let row = Int(rows[position])
                guard let value else { return position < valued || tieBreak(row) }
                guard position < valued else { return false }
                let other = valueAt(row)
                return other != value ? other < value : tieBreak(row)
            }
        }
    }

    /// The position of `row` in the list of `field` in `order` (0 = first).
    func listPosition(ofRow row: Int, field: SortField, order direction: SortOrder) -> Int {
        let rank: Int
        switch field {
        case .startTimestamp: return direction == .ascending ? row : rowCount - 1 - row
        case .endTimestamp: rank = Int(endOrder.ranks[row])
        case .callDuration: rank = Int(durationOrder.ranks[row])
        case .callID: rank = Int(callIDOrder.ranks[row])
        case .updatedTimestamp: rank = Int(updatedOrder.ranks[row])
        }
        return FieldOrder.listPosition(rank, rowCount: rowCount, valuedCount: valuedCount(field), descending: direction == .descending)
    }

    /// How many rows have a value for `field` (read without copying the order).
    func valuedCount(_ field: SortField) -> Int {
        switch field {
        case .startTimestamp, .callID, .updatedTimestamp: return rowCount
        case .endTimestamp: return endOrder.valuedCount
        case .callDuration: return durationOrder.valuedCount
        }
    }

    /// How many rows precede, in the list of `field` in `order`, a call inserted at ascending `position`.
    func rowsBefore(insertedAt position: Int, hasValue: Bool, field: SortField, order direction: SortOrder) -> Int {
        guard direction == .descending else { return position }
        let valuedCount = valuedCount(field)
        // Descending walks each segment backwards: a valued call follows the valued rows above it; a call
        // without a value follows every valued row and the valueless rows with a greater id.
        return hasValue ? valuedCount - position : valuedCount + (rowCount - position)
    }

    /// The rows whose start_timestamp lies in `range` (a contiguous run, rows being in start order).
    func rows(startingIn range: ThresholdRange) -> Range<Int> {
        let lower = range.lower.map { bound in firstRow { startTimestamps[$0] >= bound } } ?? 0
        let upper = range.upper.map { bound in firstRow { startTimestamps[$0] > bound } } ?? rowCount
        return lower..<max(lower, upper)
    }

    private func firstRow(_ isPast: (Int) -> Bool) -> Int {
        partitionPoint(0..<rowCount) { !isPast($0) }
    }

    /// The positions of `durationOrder` whose duration lies in `range` (rows without a duration never do).
    func durationPositions(in range: ThresholdRange) -> Range<Int> {
        durations.withUnsafeBufferPointer { durations in Self.positions(of: durationOrder, in: range) { durations[$0] } }
    }

    /// The positions of `updatedOrder` whose updated_timestamp lies in `range`.
    func updatedPositions(in range: ThresholdRange) -> Range<Int> {
        Self.positions(of: updatedOrder, in: range) { calls.updatedTimestamp($0) }
    }

    /// The run of `order`'s valued positions (sorted by value) whose value, read by `valueAt` from a row, lies in
    /// `range`.
    private static func positions(of order: FieldOrder, in range: ThresholdRange, valueAt: (Int) -> Int64) -> Range<Int> {
        func firstPosition(_ isPast: (Int64) -> Bool) -> Int {
            partitionPoint(0..<order.valuedCount) { !isPast(valueAt(Int(order.rows[$0]))) }
        }
        let lower = range.lower.map { bound in firstPosition { $0 >= bound } } ?? 0
        let upper = range.upper.map { bound in firstPosition { $0 > bound } } ?? order.valuedCount
        return lower..<max(lower, upper)
    }

    /// The enumeration bitmaps over `field`'s order positions, or nil for start_timestamp (rows are its positions).
    func ranked(_ field: SortField) -> RankedCodeBitmaps? {
        switch field {
        case .startTimestamp: return nil
        case .endTimestamp: return rankedEnd
        case .callDuration: return rankedDuration
        case .callID: return rankedCallID
        case .updatedTimestamp: return rankedUpdated
        }
    }

    /// The order for `field`, or nil for start_timestamp (the row order itself).
    func order(_ field: SortField) -> FieldOrder? {
        switch field {
        case .startTimestamp: return nil
        case .endTimestamp: return endOrder
        case .callDuration: return durationOrder
        case .callID: return callIDOrder
        case .updatedTimestamp: return updatedOrder
        }
    }

    /// Approximate heap bytes of each index structure (the calls themselves not counted), for reports.
    var byteCounts: [(String, Int)] {
        [
            ("columns", startTimestamps.count * 8 + durations.count * 8),
            ("filter postings", [status, type, direction, agent, fromNumber, toNumber].reduce(0) { $0 + $1.byteCount }),
            ("sort orders", endOrder.byteCount + durationOrder.byteCount + callIDOrder.byteCount + updatedOrder.byteCount
                + rankedEnd.byteCount + rankedDuration.byteCount + rankedCallID.byteCount + rankedUpdated.byteCount
                + durationCuts.byteCount + updatedCuts.byteCount),
        ] + transcript.byteCounts
    }
}
