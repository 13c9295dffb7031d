/// Builds a `BasePartition` from one organization's calls (already free of duplicates).
enum BasePartitionBuilder {
    /// Builds from all of `calls`; `parallel: false` keeps the whole build on the calling thread.
    static func build(calls: [Call], parallel: Bool = true) -> BasePartition {
        build(storage: calls, members: (0..<calls.count).map { UInt32(truncatingIfNeeded: $0) }, parallel: parallel)
    }

    /// Sorts the calls `storage[members]` into row order and builds every column, order and index; the partition
    /// refers to `storage` rather than copying the records.
    static func build(storage: [Call], members: [UInt32], parallel: Bool = true) -> BasePartition {
        let input = CallTable(storage: storage, positions: members)
        let count = members.count
        // One pass over the records in input order for the sort keys.
        var idKeys = [UInt64](repeating: 0, count: count)
        var starts = [Int64](repeating: 0, count: count)
        input.forEachRecord { index, call in
            idKeys[index] = ByteOrder.prefixKey(call.pointee.id)
            starts[index] = call.pointee.startTimestamp
        }
        let idRanks = ranks(keys: idKeys) { input.id($0) }
        var rowOrder = (0..<count).map { UInt32(truncatingIfNeeded: $0) }
        rowOrder.sort { a, b in
            let sa = starts[Int(a)]
            let sb = starts[Int(b)]
            return sa != sb ? sa < sb : idRanks[Int(a)] < idRanks[Int(b)]
        }
        let calls = CallTable(storage: storage, positions: rowOrder.map { members[Int($0)] })
        let idRank = rowOrder.map { idRanks[Int($0)] }

        // One pass over the records in row order for every column.
        var columns = RecordColumns(count: count)
        calls.forEachRecord { _, call in columns.take(call) }
        let transcript = TranscriptIndexBuilder.build(transcripts: columns.transcripts, parallel: parallel)
        return BasePartition(
            calls: calls,
            startTimestamps: columns.starts,
            durations: columns.durations.map { $0 ?? 0 },
            status: CodeColumn(rowCount: count, values: columns.statuses),
            type: CodeColumn(rowCount: count, values: columns.types),
            direction: CodeColumn(rowCount: count, values: columns.directions),
            agent: CodeColumn(rowCount: count, strings: columns.agents),
            fromNumber: CodeColumn(rowCount: count, strings: columns.fromNumbers),
            toNumber: CodeColumn(rowCount: count, strings: columns.toNumbers),
            endOrder: optionalOrder(columns.ends, idRank: idRank),
            durationOrder: optionalOrder(columns.durations, idRank: idRank),
            callIDOrder: FieldOrder(
                sortedRows: sortedIndices(keys: columns.callIDKeys, then: columns.callIDKeys2) { calls.callID($0) },
                valuedCount: count),
            updatedOrder: valueOrder(columns.updates, idRank: idRank),
            transcript: transcript)
    }

    /// The updated_timestamp order of `calls` (rows by value, then id): for a partition loaded from a snapshot
    /// written before that field existed.
    static func updatedOrder(of calls: CallTable) -> FieldOrder {
        var idKeys = [UInt64](repeating: 0, count: calls.count)
        var updates = [Int64](repeating: 0, count: calls.count)
        calls.forEachRecord { row, call in
            idKeys[row] = ByteOrder.prefixKey(call.pointee.id)
            updates[row] = call.pointee.updatedTimestamp
        }
        return valueOrder(updates, idRank: ranks(keys: idKeys) { calls.id($0) })
    }

    /// The record fields a partition keeps as columns, gathered in one pass.
    private struct RecordColumns {
        var starts: [Int64] = []
        var updates: [Int64] = []
        var ends: [Int64?] = []
        var durations: [Int64?] = []
        var statuses: [CallStatus] = []
        var types: [CallType] = []
        var directions: [CallDirection] = []
        var agents: [String?] = []
        var fromNumbers: [String?] = []
        var toNumbers: [String?] = []
        var callIDKeys: [UInt64] = []
        var callIDKeys2: [UInt64] = []
        var transcripts: [String] = []

        init(count: Int) {
            starts.reserveCapacity(count)
            updates.reserveCapacity(count)
            ends.reserveCapacity(count)
            durations.reserveCapacity(count)
            statuses.reserveCapacity(count)
            types.reserveCapacity(count)
            directions.reserveCapacity(count)
            agents.reserveCapacity(count)
            fromNumbers.reserveCapacity(count)
            toNumbers.reserveCapacity(count)
            callIDKeys.reserveCapacity(count)
            callIDKeys2.reserveCapacity(count)
            transcripts.reserveCapacity(count)
        }

        /// Reads the fields through the pointer, so the record itself is never copied.
        mutating func take(_ call: UnsafePointer<Call>) {
            starts.append(call.pointee.startTimestamp)
            updates.append(call.pointee.updatedTimestamp)
            ends.append(call.pointee.endTimestamp)
            durations.append(call.pointee.duration)
            statuses.append(call.pointee.status)
            types.append(call.pointee.type)
            directions.append(call.pointee.direction)
            agents.append(call.pointee.agentID)
            fromNumbers.append(call.pointee.fromNumber)
            toNumbers.append(call.pointee.toNumber)
            callIDKeys.append(ByteOrder.prefixKey(call.pointee.callID))
            callIDKeys2.append(ByteOrder.prefixKey(call.pointee.callID, skipping: 8))
            transcripts.append(call.pointee.transcript)
        }
    }

    /// Each index's rank among all sorted by (prefix key, full string); `string` gives the full string.
    private static func ranks(keys: [UInt64], _ string: (Int) -> String) -> [UInt32] {
        let sorted = sortedIndices(keys: keys, string)
        var ranks = [UInt32](repeating: 0, count: keys.count)
        for (rank, index) in sorted.enumerated() { ranks[Int(index)] = UInt32(truncatingIfNeeded: rank) }
        return ranks
    }

    /// Indices sorted byte-wise by their strings: by the prefix keys (bytes 0..<8, then 8..<16 when given) as
    /// integers, then each run that ties on them by its next eight bytes, and so on. Strings that share a long
    /// prefix (call ids from one source) are ordered by integer keys too, never by whole-string comparisons.
    private static func sortedIndices(keys: [UInt64], then second: [UInt64]? = nil, _ string: (Int) -> String) -> [UInt32] {
        var indices = (0..<keys.count).map { UInt32(truncatingIfNeeded: $0) }
        let second = second ?? []
        assert(second.isEmpty || second.count == keys.count, "the second keys, when given, are one per index")
        keys.withUnsafeBufferPointer { keys in
            second.withUnsafeBufferPointer { second in
                func tied(_ a: UInt32, _ b: UInt32) -> Bool {
                    keys[Int(a)] == keys[Int(b)] && (second.isEmpty || second[Int(a)] == second[Int(b)])
                }
                indices.sort { a, b in
                    let ka = keys[Int(a)]
                    let kb = keys[Int(b)]
                    if ka != kb { return ka < kb }
                    return !second.isEmpty && second[Int(a)] < second[Int(b)]
                }
                indices.withUnsafeMutableBufferPointer { sorted in
                    forEachTiedRun(count: sorted.count, tied: { tied(sorted[$0], sorted[$1]) }) { run in
                        orderTies(UnsafeMutableBufferPointer(rebasing: sorted[run]), from: second.isEmpty ? 8 : 16, string)
                    }
                }
            }
        }
        return indices
    }

    /// Calls `body` with each run of two or more adjacent positions below `count` that `tied` says are equal
    /// (`tied(first, later)` compares a run's first position with a later one).
    private static func forEachTiedRun(count: Int, tied: (Int, Int) -> Bool, _ body: (Range<Int>) -> Void) {
        var start = 0
        while start < count {
            var end = start + 1
            while end < count, tied(start, end) { end += 1 }
            if end - start > 1 { body(start..<end) }
            start = end
        }
    }

    /// Orders `run`, whose strings agree on their first `offset` bytes, by the eight bytes from `offset`, then
    /// each run still tied by the next eight. Once every string of a run ends by `offset`, whole strings decide.
    private static func orderTies(_ run: UnsafeMutableBufferPointer<UInt32>, from offset: Int, _ string: (Int) -> String) {
        var keyed: [(key: UInt64, index: UInt32)] = []
        keyed.reserveCapacity(run.count)
        var longer = false
        for index in run {
            string(Int(index)).withContiguousUTF8 { bytes in
                longer = longer || bytes.count > offset
                keyed.append((ByteOrder.prefixKey(UnsafeBufferPointer(rebasing: bytes[min(offset, bytes.count)...])), index))
            }
        }
        guard longer else {
            var run = run
            run.sort { ByteOrder.precedes(string(Int($0)), string(Int($1))) }
            return
        }
        keyed.sort { $0.key < $1.key }
        for (position, element) in keyed.enumerated() { run[position] = element.index }
        forEachTiedRun(count: keyed.count, tied: { keyed[$0].key == keyed[$1].key }) { tiedRun in
            orderTies(UnsafeMutableBufferPointer(rebasing: run[tiedRun]), from: offset + 8, string)
        }
    }

    /// Rows by (value, id), every row having a value.
    private static func valueOrder(_ values: [Int64], idRank: [UInt32]) -> FieldOrder {
        var rows = (0..<values.count).map { UInt32(truncatingIfNeeded: $0) }
        assert(idRank.count == values.count, "one id rank per row")
        values.withUnsafeBufferPointer { values in
            idRank.withUnsafeBufferPointer { idRank in
                rows.sort { a, b in
                    let ka = values[Int(a)]
                    let kb = values[Int(b)]
                    return ka != kb ? ka < kb : idRank[Int(a)] < idRank[Int(b)]
                }
            }
        }
        return FieldOrder(sortedRows: rows, valuedCount: rows.count)
    }

    /// Rows with a value by (value, id), then rows without one by id.
    private static func optionalOrder(_ values: [Int64?], idRank: [UInt32]) -> FieldOrder {
        assert(idRank.count == values.count, "one id rank per row")
        var valued: [UInt32] = []
        var missing: [UInt32] = []
        for (row, value) in values.enumerated() {
            if value == nil { missing.append(UInt32(truncatingIfNeeded: row)) } else { valued.append(UInt32(truncatingIfNeeded: row)) }
        }
        let keys = values.map { $0 ?? 0 }
        valued.sort { a, b in
            let ka = keys[Int(a)]
            let kb = keys[Int(b)]
            return ka != kb ? ka < kb : idRank[Int(a)] < idRank[Int(b)]
        }
        missing.sort { idRank[Int($0)] < idRank[Int($1)] }
        return FieldOrder(sortedRows: valued + missing, valuedCount: valued.count)
    }
}
