/// Answers a list query on one partition version: the base through its indexes, the (small) delta by testing
/// each live entry, and the page as a merge of the two orders that touches only the base rows the page can reach.
enum PartitionQuery {
    /// The page and total count of `query` on `version`.
    static func list(_ query: ListQuery, on version: PartitionVersion) -> CallPage {
        let base = version.base
        let delta = DeltaView(version.runs)
        let matches = PartitionMatcher.matches(query.filter, in: base, sortBy: query.sortBy)
        // Base rows in list order from position `from` on: the unfiltered case keeps its slice arithmetic. A local
        // function rather than a stored closure, which would copy the query into a context on every request.
        let killed = delta.killedBaseRows
        var everyRow = false
        if case .range(let rows) = matches, rows.count == base.rowCount, !killed.isEmpty { everyRow = true }
        let live = everyRow ? matches : matches.removing(killed, rowCount: base.rowCount, order: base.order(query.sortBy))
        let baseCount = everyRow ? base.rowCount - killed.count : live.count
        let (sortBy, sortOrder) = (query.sortBy, query.sortOrder)
        func baseRows(_ from: Int, _ to: Int) -> [Int] {
            everyRow
                ? PageSelector.allRows(except: killed, in: base, sortBy: sortBy, order: sortOrder, offset: from, take: to - from)
                : PageSelector.rows(live, in: base, sortBy: sortBy, order: sortOrder, offset: from, take: to - from)
        }
        let added = deltaMatches(query, delta, base: base)
        let total = baseCount + added.count
        guard let offset = query.offset, offset < total else { return CallPage(calls: [], totalCount: total) }
        let end = offset + min(query.limit, total - offset)
        guard !added.isEmpty else { return CallPage(rows: baseRows(offset, end), of: base.calls, totalCount: total) }
        func addedCall(_ index: Int) -> Call? { delta.call(run: added[index].run, index: added[index].index) }

        // A base match at base position j sits at merged position j + (delta matches before it) ≤ j + added.count,
        // so base positions below offset - added.count end before the page and positions from `end` after it.
        let firstBase = max(0, offset - added.count)
        let lastBase = min(baseCount, end)
        if firstBase >= lastBase {
            // The page holds delta matches only: the merged order ends with them.
            let first = offset - baseCount
            return CallPage(calls: (first..<min(added.count, first + end - offset)).compactMap(addedCall), totalCount: total)
        }
        let window = baseRows(firstBase, lastBase)
        // A delta call precedes a base row exactly when fewer base rows precede the call than precede the row.
        let windowPositions = window.map { base.listPosition(ofRow: $0, field: query.sortBy, order: query.sortOrder) }
        var nextAdded = 0
        var position = 0
        if firstBase > 0, let first = windowPositions.first {
            // Delta matches before the window's first row: binary search on the sorted keys. Here offset exceeds
            // the delta's matches, so `deltaMatches` (which sorts the first offset + limit) sorted all of them.
            let low = partitionPoint(added.indices) { added[$0].rowsBefore <= first }
            nextAdded = low
            position = firstBase + low
        }
        var page: [Call] = []
        page.reserveCapacity(end - offset)
        var nextBase = 0
        while position < end {
            let takeAdded: Bool
            if nextBase >= window.count {
                guard nextAdded < added.count else { break }
                takeAdded = true
            } else if nextAdded >= added.count {
                takeAdded = false
            } else {
                takeAdded = added[nextAdded].rowsBefore <= windowPositions[nextBase]
            }
            if position >= offset, let call = takeAdded ? addedCall(nextAdded) : base.calls[window[nextBase]] {
                page.append(call)
            }
            if takeAdded { nextAdded += 1 } else { nextBase += 1 }
            position += 1
        }
        return CallPage(calls: page, totalCount: total)
    }

    /// A live delta call that matches a query: where it falls among the base rows, its sort key, and where it
    /// is stored.
    private struct DeltaMatch {
        var rowsBefore: Int
        var key: DeltaEntry.SortKey
        var run: Int
        var index: Int
    }

    /// The live delta calls that satisfy the query's filter, the first `offset + limit` of them in list order and
    /// the rest after them unordered.
    private static func deltaMatches(_ query: ListQuery, _ delta: DeltaView, base: BasePartition) -> [DeltaMatch] {
        guard !delta.isEmpty else { return [] }
        let filter = DeltaFilter(query.filter, base: base)
        let search = query.filter.transcriptSearch.map { DeltaTranscriptSearch($0.phrases, index: base.transcript) }
        var matches: [DeltaMatch] = []
        delta.forEachLiveEntry { run, index, entry in
            guard DeltaEntry.matchesFields(entry, filter) else { return }
            if let search, !DeltaEntry.matches(entry, search) { return }
            matches.append(DeltaMatch(
                rowsBefore: DeltaEntry.rowsBefore(entry, in: base, field: query.sortBy, order: query.sortOrder),
                key: DeltaEntry.sortKey(entry, field: query.sortBy), run: run, index: index))
        }
        // Calls between the same two base rows are ordered by their integer keys, and by the records themselves
        // only when those tie: comparing in the records would touch shared objects' reference counts per
        // comparison, which two loops sorting the same delta contend on.
        // Only the first offset + limit can reach the page (each delta match's merged position is at least its
        // own rank), so only those are sorted; the rest are counted.
        let ordering = CallOrdering(field: query.sortBy, order: query.sortOrder)
        let (reach, overflow) = (query.offset ?? 0).addingReportingOverflow(query.limit)
        matches.sortPrefix(overflow ? Int.max : reach) { a, b in
            if a.rowsBefore != b.rowsBefore { return a.rowsBefore < b.rowsBefore }
            if let decided = a.key.precedes(b.key, descending: ordering.order == .descending) { return decided }
            return delta.precedes((a.run, a.index), (b.run, b.index), in: ordering)
        }
        return matches
    }
}
