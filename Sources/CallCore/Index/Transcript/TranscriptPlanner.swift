/// Turns one phrase of a transcript search into criteria on a partition's transcript index.
enum TranscriptPlanner {
    /// Appends the criteria for `phrase` to `constraints`; false when no row can contain it (a word no row has, or an
    /// indexed pair of frequent words that never occurs), and then `constraints` may hold some of the phrase's
    /// criteria: the caller drops them all.
    static func add(_ phrase: [TranscriptQuery.Term], _ index: TranscriptIndex, to constraints: inout [RowConstraint]) -> Bool {
        // A single word (the usual search) is settled by its rows: no pairs, no phrase to verify, no arrays.
        if phrase.count == 1 {
            let range = index.wordRange(phrase[0])
            guard !range.isEmpty else { return false }
            constraints.append(wordConstraint(range, index))
            return true
        }
        let ranges = phrase.map { index.wordRange($0) }
        guard ranges.allSatisfy({ !$0.isEmpty }) else { return false }

        let start = constraints.count
        var covered = [Bool](repeating: false, count: ranges.count)
        var pairCovered = [Bool](repeating: false, count: ranges.count)
        var exact = false
        func single(_ offset: Int) -> Int? { ranges[offset].count == 1 ? ranges[offset].lowerBound : nil }
        // Triples first: one set settles three consecutive words exactly.
        if ranges.count >= 3 {
            for offset in 0..<(ranges.count - 2) {
                guard let first = single(offset), let second = single(offset + 1), let third = single(offset + 2) else { continue }
                switch index.tripleRows(first, second, third) {
                case .notIndexed:
                    continue
                case .rows(nil):
                    return false
                case .rows(let source?):
                    constraints.append(RowConstraint(kind: .rows(source), estimate: source.count))
                    for covering in offset..<(offset + 3) { covered[covering] = true }
                    pairCovered[offset] = true
                    pairCovered[offset + 1] = true
                    if ranges.count == 3 { exact = true }
                }
            }
        }
        for offset in 0..<(ranges.count - 1) where !pairCovered[offset] {
            guard let first = single(offset), let second = single(offset + 1) else { continue }
            switch index.pairRows(first, second) {
            case .notIndexed:
                continue
            case .rows(nil):
                return false
            case .rows(let source?):
                constraints.append(RowConstraint(kind: .rows(source), estimate: source.count))
                covered[offset] = true
                covered[offset + 1] = true
                if ranges.count == 2 { exact = true }
            }
        }
        // Single words not covered by a pair narrow the candidates cheaply; prefixes only when nothing else does.
        for (offset, range) in ranges.enumerated() where !covered[offset] && range.count == 1 {
            constraints.append(wordConstraint(range, index))
        }
        if constraints.count == start {
            let narrowest = ranges.indices.min { estimate(ranges[$0], index) < estimate(ranges[$1], index) } ?? 0
            constraints.append(wordConstraint(ranges[narrowest], index))
        }
        if !exact {
            constraints.append(RowConstraint(kind: .phrase(PhraseVerifier(phrase)), estimate: Int.max))
        }
        return true
    }

    /// The rows containing a word of `range` (one word, or a prefix's words).
    private static func wordConstraint(_ range: Range<Int>, _ index: TranscriptIndex) -> RowConstraint {
        if range.count == 1 {
            let source = index.wordRows.source(range.lowerBound)
            return RowConstraint(kind: .rows(source), estimate: source.count)
        }
        return RowConstraint(kind: .anyWord(range), estimate: estimate(range, index))
    }

    /// The sum of the words' row counts, capped at the row count: an upper bound on the union.
    private static func estimate(_ range: Range<Int>, _ index: TranscriptIndex) -> Int {
        var total = 0
        for word in range {
            total += index.wordRows.count(word)
            if total >= index.wordRows.rowCount { return index.wordRows.rowCount }
        }
        return total
    }
}
