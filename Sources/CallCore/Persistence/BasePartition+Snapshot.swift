extension BasePartition {
    /// Writes the partition: its size and order counts, its calls in row order (in blocks), the four field
    /// orders, the three string columns and the transcript index. Everything cheap to derive from the calls
    /// (start and duration columns, enumeration columns, ranks, ranked bitmaps, column postings) is rebuilt on load.
    func write(to writer: inout SnapshotSectionWriter) throws(JournalError) {
        try writer.put(.partition, [UInt64(rowCount), UInt64(endOrder.valuedCount), UInt64(durationOrder.valuedCount)])
        try CallBinaryCodec.forEachBlock(count: rowCount, call: { calls[$0] }) { block, callCount throws(JournalError) in
            try writer.put(.calls, block, chunk: callCount)
        }
        for order in [endOrder, durationOrder, callIDOrder, updatedOrder] { try writer.put(.order, order.rows) }
        for column in [agent, fromNumber, toNumber] { try column.writeStrings(to: &writer) }
        try transcript.write(to: &writer)
    }

    /// The partition `write` wrote, its calls being `storage[firstCall...]` (already decoded from its blocks);
    /// without `holdsUpdatedOrder` (a version 1 snapshot) the updated_timestamp order is built from the calls.
    static func load(
        _ cursor: inout SnapshotCursor, storage: [Call], firstCall: Int, holdsUpdatedOrder: Bool
    ) throws(StoreSnapshotError) -> BasePartition {
        let sizes = try cursor.words64(.partition)
        guard sizes.count == 3, sizes[0] <= UInt64(storage.count - firstCall), sizes[1] <= sizes[0], sizes[2] <= sizes[0] else {
            throw cursor.corrupt("bad partition sizes")
        }
        let rowCount = Int(sizes[0])
        var blockRows = 0
        while cursor.isNext(.calls) { blockRows += try cursor.callBlock() }
        guard blockRows == rowCount else { throw cursor.corrupt("partition has \(blockRows) calls, not \(rowCount)") }
        let calls = CallTable(
            storage: storage, positions: (firstCall..<(firstCall + rowCount)).map { UInt32(truncatingIfNeeded: $0) })
        let endRows = try cursor.words32(.order)
        let durationRows = try cursor.words32(.order)
        let callIDRows = try cursor.words32(.order)
        let updated: FieldOrder? = if holdsUpdatedOrder {
            FieldOrder(snapshot: try cursor.words32(.order), valuedCount: rowCount, rowCount: rowCount)
        } else {
            BasePartitionBuilder.updatedOrder(of: calls)
        }
        guard let endOrder = FieldOrder(snapshot: endRows, valuedCount: Int(sizes[1]), rowCount: rowCount),
            let durationOrder = FieldOrder(snapshot: durationRows, valuedCount: Int(sizes[2]), rowCount: rowCount),
            let callIDOrder = FieldOrder(snapshot: callIDRows, valuedCount: rowCount, rowCount: rowCount),
            let updatedOrder = updated
        else { throw cursor.corrupt("an order is not a permutation of the rows") }
        let agent = try CodeColumn(snapshotStrings: &cursor, rowCount: rowCount)
        let fromNumber = try CodeColumn(snapshotStrings: &cursor, rowCount: rowCount)
        let toNumber = try CodeColumn(snapshotStrings: &cursor, rowCount: rowCount)
        let transcript = try TranscriptIndex(snapshot: &cursor, rowCount: rowCount)
        var starts: [Int64] = []
        var durations: [Int64] = []
        var statuses: [CallStatus] = []
        var types: [CallType] = []
        var directions: [CallDirection] = []
        starts.reserveCapacity(rowCount)
        durations.reserveCapacity(rowCount)
        statuses.reserveCapacity(rowCount)
        types.reserveCapacity(rowCount)
        directions.reserveCapacity(rowCount)
        calls.forEachRecord { _, call in
            starts.append(call.pointee.startTimestamp)
            durations.append(call.pointee.duration ?? 0)
            statuses.append(call.pointee.status)
            types.append(call.pointee.type)
            directions.append(call.pointee.direction)
        }
        return BasePartition(
            calls: calls, startTimestamps: starts, durations: durations,
            status: CodeColumn(rowCount: rowCount, values: statuses), type: CodeColumn(rowCount: rowCount, values: types),
            direction: CodeColumn(rowCount: rowCount, values: directions), agent: agent, fromNumber: fromNumber,
            toNumber: toNumber, endOrder: endOrder, durationOrder: durationOrder, callIDOrder: callIDOrder,
            updatedOrder: updatedOrder, transcript: transcript)
    }
}

extension FieldOrder {
    /// The order of `rows` if they are a permutation of `0..<rowCount` (ranks index by row), else nil.
    init?(snapshot rows: [UInt32], valuedCount: Int, rowCount: Int) {
        guard rows.count == rowCount, valuedCount <= rowCount else { return nil }
        var seen = RowBitmap(rowCount: rowCount)
        for row in rows {
            guard Int(row) < rowCount, !seen.contains(Int(row)) else { return nil }
            seen.insert(Int(row))
        }
        self.init(sortedRows: rows, valuedCount: valuedCount)
    }
}
