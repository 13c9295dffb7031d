/// Computes the rows of a base partition that satisfy a filter, without visiting rows that cannot match: the
/// criteria become sets (bitmaps or lists), and either the smallest set's rows are tested against the others, or
/// all sets are intersected word by word.
enum PartitionMatcher {
    /// A driver list at most this fraction of the partition is tested row by row; larger ones are intersected
    /// as bitmaps (a bitmap pass costs one word per 64 rows, a row test several nanoseconds).
    static let sparseDivisor = 64

    /// The rows of `partition` matching `filter`; in the positions of `sortBy`'s order when only enumeration
    /// filters (and a range of the sort field itself: duration or updated_timestamp) are given and that order keeps
    /// bitmaps for them.
    static func matches(_ filter: CallFilter, in partition: BasePartition, sortBy: SortField) -> MatchSet {
        if let ranked = rankedMatches(filter, in: partition, sortBy: sortBy) { return ranked }
        return matches(filter, in: partition)
    }

    /// `filter` evaluated on `sortBy`'s order positions, or nil when it needs more than the ranked bitmaps.
    private static func rankedMatches(_ filter: CallFilter, in partition: BasePartition, sortBy: SortField) -> MatchSet? {
        guard let ranked = partition.ranked(sortBy),
            filter.agentIDs.isEmpty, filter.fromNumbers.isEmpty, filter.toNumbers.isEmpty, filter.transcriptSearch == nil,
            filter.startTimestamp?.isUnbounded ?? true,
            !filter.statuses.isEmpty || !filter.types.isEmpty || !filter.directions.isEmpty
        else { return nil }
        var positions = 0..<partition.rowCount
        // An order's valued positions are sorted by value: a range of the sort field is a run of them.
        if let duration = filter.duration, !duration.isUnbounded {
            guard sortBy == .callDuration else { return nil }
            positions = partition.durationPositions(in: duration)
        }
        if let updated = filter.updatedTimestamp, !updated.isUnbounded {
            guard sortBy == .updatedTimestamp else { return nil }
            positions = partition.updatedPositions(in: updated)
        }
        var factors: [WordFactor] = []
        for (bitmaps, codes) in [
            (ranked.status, CodeColumn.codes(of: filter.statuses)), (ranked.type, CodeColumn.codes(of: filter.types)),
            (ranked.direction, CodeColumn.codes(of: filter.directions)),
        ] where !codes.isEmpty {
            factors.append(.union(of: codes.map { bitmaps[Int($0)] }))
        }
        // Bits over positions rather than rows, intersected the same way.
        let (bitmap, count) = WordIntersection.intersect(factors, rows: positions, rowCount: partition.rowCount)
        return .ranked(bitmap, words: RowBitmap.wordRange(positions), count: count)
    }

    /// The rows of `partition` matching `filter`.
    static func matches(_ filter: CallFilter, in partition: BasePartition) -> MatchSet {
        var rows = 0..<partition.rowCount
        if let range = filter.startTimestamp, !range.isUnbounded { rows = partition.rows(startingIn: range) }
        guard !rows.isEmpty, var constraints = constraints(filter, partition) else { return .empty }
        guard !constraints.isEmpty else { return .range(rows) }
        // Most selective first; phrases (tests only) last.
        constraints.sort { a, b in
            if a.canDrive != b.canDrive { return a.canDrive }
            return a.estimate < b.estimate
        }
        let driverEstimate = min(constraints[0].canDrive ? constraints[0].estimate : Int.max, rows.count)
        if driverEstimate * sparseDivisor <= partition.rowCount {
            return .list(testRows(constraints, rows: rows, partition: partition))
        }
        return intersectBitmaps(constraints, rows: rows, partition: partition)
    }

    /// The criteria of `filter` other than start_timestamp, or nil when one of them can match nothing.
    static func constraints(_ filter: CallFilter, _ partition: BasePartition) -> [RowConstraint]? {
        var constraints: [RowConstraint] = []
        // Room for the usual criteria, so appending them allocates once.
        constraints.reserveCapacity(8)
        func codes(_ column: CodeColumn, _ codes: [UInt32]) -> Bool {
            guard !codes.isEmpty else { return false }
            let estimate = codes.reduce(0) { $0 + column.postings.count(Int($1)) }
            guard estimate > 0 else { return false }
            constraints.append(RowConstraint(kind: .codes(column, codes), estimate: estimate))
            return true
        }
        if !filter.statuses.isEmpty, !codes(partition.status, CodeColumn.codes(of: filter.statuses)) { return nil }
        if !filter.agentIDs.isEmpty, !codes(partition.agent, partition.agent.codes(of: filter.agentIDs)) { return nil }
        if !filter.types.isEmpty, !codes(partition.type, CodeColumn.codes(of: filter.types)) { return nil }
        if !filter.directions.isEmpty, !codes(partition.direction, CodeColumn.codes(of: filter.directions)) { return nil }
        if !filter.fromNumbers.isEmpty, !codes(partition.fromNumber, partition.fromNumber.codes(of: filter.fromNumbers)) { return nil }
        if !filter.toNumbers.isEmpty, !codes(partition.toNumber, partition.toNumber.codes(of: filter.toNumbers)) { return nil }
        if let range = filter.duration, !range.isUnbounded {
            let positions = partition.durationPositions(in: range)
            guard !positions.isEmpty else { return nil }
            constraints.append(RowConstraint(kind: .run(.duration, positions: positions), estimate: positions.count))
        }
        if let range = filter.updatedTimestamp, !range.isUnbounded {
            let positions = partition.updatedPositions(in: range)
            guard !positions.isEmpty else { return nil }
            constraints.append(RowConstraint(kind: .run(.updated, positions: positions), estimate: positions.count))
        }
        if let search = filter.transcriptSearch {
            for phrase in search.phrases {
                guard TranscriptPlanner.add(phrase, partition.transcript, to: &constraints) else { return nil }
            }
        }
        return constraints
    }

    /// Driver mode: the smallest criterion's rows (or the start range), each tested against the rest.
    private static func testRows(_ constraints: [RowConstraint], rows: Range<Int>, partition: BasePartition) -> [UInt32] {
        var candidates: [UInt32]
        var others = constraints[...]
        if constraints[0].canDrive, constraints[0].estimate <= rows.count {
            candidates = constraints[0].rows(partition, within: rows)
            others = constraints.dropFirst()
        } else {
            candidates = rows.map { UInt32(truncatingIfNeeded: $0) }
        }
        for constraint in others where !candidates.isEmpty {
            var tester = constraint.tester(partition)
            tester.keepPassing(&candidates, partition)
        }
        return candidates
    }

    /// Bitmap mode: intersect every set over the words of the start range in one pass, then test what only tests
    /// can check.
    private static func intersectBitmaps(_ constraints: [RowConstraint], rows: Range<Int>, partition: BasePartition) -> MatchSet {
        let words = RowBitmap.wordRange(rows)
        var factors: [WordFactor] = []
        factors.reserveCapacity(constraints.count)
        var deferred: [RowConstraint] = []
        for constraint in constraints {
            if case .phrase = constraint.kind {
                deferred.append(constraint)
            } else {
                factors.append(constraint.factor(partition, words: words))
            }
        }
        var (bitmap, count) = WordIntersection.intersect(factors, rows: rows, rowCount: partition.rowCount)
        if count == 0 { return .empty }
        for constraint in deferred {
            var tester = constraint.tester(partition)
            count = bitmap.filter(in: words) { tester.passes(UInt32(truncatingIfNeeded: $0), partition) }
            if count == 0 { return .empty }
        }
        return .bitmap(bitmap, words: words, count: count)
    }
}
