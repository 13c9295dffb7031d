/// Answers a list query on one partition version: the base through its indexes, the (small) delta by testing
/// each live entry, and the page as a merge of the two orders that touches only the base rows the page can reach.
enum PartitionQuery {
    /// The page and total count of `query` on `version`: its numbered page, or with `after`, the first `limit`
    /// matches after that position.
    static func list(_ query: ListQuery, after key: OrderKey? = nil, on version: PartitionVersion) -> CallPage {
        let base = version.base
        let delta = DeltaView(version.runs)
        let matches = PartitionMatcher.matches(query.filter, in: base, sortBy: query.sortBy)
        let killed = delta.killedBaseRows
        var everyRow = false
        if case .range(let rows) = matches, rows.count == base.rowCount, !killed.isEmpty { everyRow = true }
        let live = everyRow ? matches : matches.removing(killed, rowCount: base.rowCount, order: base.order(query.sortBy))
        let baseCount = everyRow ? base.rowCount - killed.count : live.count
        if let key {
            let start = base.listPosition(after: key, field: query.sortBy, order: query.sortOrder)
            let (rank, window) = everyRow
                ? allRows(except: killed, in: base, query, from: start)
                : CursorSelector.rows(live, in: base, sortBy: query.sortBy, order: query.sortOrder, from: start, take: query.limit)
            return continuing(query, after: key, base: base, delta: delta, baseCount: baseCount, rank: rank, window: window)
        }
        var page = numbered(query, base: base, delta: delta, live: live, everyRow: everyRow, baseCount: baseCount)
        page.firstPosition = min(query.offset ?? page.totalCount, page.totalCount)
        return page
    }

    /// The numbered page of `query`: a window of base rows around its offset merged with the delta's matches.
    private static func numbered(
        _ query: ListQuery, base: BasePartition, delta: DeltaView, live: MatchSet, everyRow: Bool, baseCount: Int
    ) -> CallPage {
        // Base rows in list order from position `from` on: the unfiltered case keeps its slice arithmetic. A local
        // function rather than a stored closure, which would copy the query into a context on every request.
        let killed = delta.killedBaseRows
        let (sortBy, sortOrder) = (query.sortBy, query.sortOrder)
        func baseRows(_ from: Int, _ to: Int) -> [Int] {
            everyRow
                ? PageSelector.allRows(except: killed, in: base, sortBy: sortBy, order: sortOrder, offset: from, take: to - from)
                : PageSelector.rows(live, in: base, sortBy: sortBy, order: sortOrder, offset: from, take: to - from)
        }
        let (added, _) = deltaMatches(query, delta, base: base)
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

    /// The live delta calls that satisfy the query's filter (with `after`, only those after it, and how many
    /// come at or before it), the first `offset + limit` of them in list order (with `after`, the first `limit`)
    /// and the rest after them unordered.
    private static func deltaMatches(
        _ query: ListQuery, _ delta: DeltaView, base: BasePartition, after key: OrderKey? = nil
    ) -> (matches: [DeltaMatch], before: Int) {
        guard !delta.isEmpty else { return ([], 0) }
        let filter = DeltaFilter(query.filter, base: base)
        let search = query.filter.transcriptSearch.map { DeltaTranscriptSearch($0.phrases, index: base.transcript) }
        let keyed = key.map(DeltaEntry.SortKey.init)
        var before = 0
        var matches: [DeltaMatch] = []
        delta.forEachLiveEntry { run, index, entry in
            guard DeltaEntry.matchesFields(entry, filter) else { return }
            if let search, !DeltaEntry.matches(entry, search) { return }
            if let key, let keyed, !DeltaEntry.follows(entry, key, keyed, field: query.sortBy, order: query.sortOrder) {
                before += 1
                return
            }
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
        let (reach, overflow) = (key == nil ? query.offset ?? 0 : 0).addingReportingOverflow(query.limit)
        matches.sortPrefix(overflow ? Int.max : reach) { a, b in
            if a.rowsBefore != b.rowsBefore { return a.rowsBefore < b.rowsBefore }
            if let decided = a.key.precedes(b.key, descending: ordering.order == .descending) { return decided }
            return delta.precedes((a.run, a.index), (b.run, b.index), in: ordering)
        }
        return (matches, before)
    }

    /// The page after `key`: the base's first `limit` matches after it (`window`, `rank` of them before it) merged
    /// with the delta's.
    private static func continuing(
        _ query: ListQuery, after key: OrderKey, base: BasePartition, delta: DeltaView, baseCount: Int, rank: Int, window: [Int]
    ) -> CallPage {
        let (added, addedBefore) = deltaMatches(query, delta, base: base, after: key)
        let total = baseCount + addedBefore + added.count
        let first = rank + addedBefore
        guard !added.isEmpty else { return CallPage(rows: window, of: base.calls, totalCount: total, firstPosition: first) }
        var page: [Call] = []
        page.reserveCapacity(query.limit)
        var (nextBase, nextAdded) = (0, 0)
        // A delta call precedes a base row exactly when fewer base rows precede the call than precede the row.
        var nextBasePosition = window.first.map { base.listPosition(ofRow: $0, field: query.sortBy, order: query.sortOrder) }
        while page.count < query.limit, nextBase < window.count || nextAdded < added.count {
            if nextAdded < added.count, nextBasePosition.map({ added[nextAdded].rowsBefore <= $0 }) ?? true {
                if let call = delta.call(run: added[nextAdded].run, index: added[nextAdded].index) { page.append(call) }
                nextAdded += 1
            } else {
                page.append(base.calls[window[nextBase]])
                nextBase += 1
                nextBasePosition = nextBase < window.count
                    ? base.listPosition(ofRow: window[nextBase], field: query.sortBy, order: query.sortOrder) : nil
            }
        }
        return CallPage(calls: page, totalCount: total, firstPosition: first)
    }

    /// The page of "every row but `killed`" from list position `start`: how many live rows precede it, and the
    /// first `limit` from it.
    private static func allRows(except killed: [UInt32], in base: BasePartition, _ query: ListQuery, from start: Int) -> (Int, [Int]) {
        let killedBefore = killed.reduce(0) { count, row in
            count + (base.listPosition(ofRow: Int(row), field: query.sortBy, order: query.sortOrder) < start ? 1 : 0)
        }
        let rank = start - killedBefore
        let rows = PageSelector.allRows(
            except: killed, in: base, sortBy: query.sortBy, order: query.sortOrder, offset: rank, take: query.limit)
        return (rank, rows)
    }
}
