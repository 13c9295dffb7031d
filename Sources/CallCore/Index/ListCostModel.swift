/// The cost model behind `ListCost`: each part of a query's work as the count of its inner steps, weighted by
/// their relative price.
enum ListCostModel {
    /// A prefix spanning more words than this is not summed (summing is work too): it is slow outright.
    static let maxSummedWords = 4096
    /// A stored bitmap's union or intersection costs a word per 64 rows, about an eighth of a posting insert each.
    static let rowsPerBitmapOperation = 512

    /// Decoding a list item a second time and writing it back in `applied_filters` (measured: about a microsecond).
    static let perListItem = 330
    /// Placing one matching delta entry among the base rows of each sort field (measured: an integer key for
    /// start_timestamp, rank look-ups and record comparisons for the others).
    static func perMatchingEntry(_ field: SortField) -> Int {
        switch field {
        case .startTimestamp: return 8
        case .endTimestamp, .updatedTimestamp: return 16
        case .callID: return 22
        case .callDuration: return 26
        }
    }

    /// The estimated operations of `query` on `version` (`Int.max`: it reads transcripts).
    static func operations(_ query: ListQuery, on version: PartitionVersion) -> Int {
        let filter = query.filter
        let base = version.base
        var total = 0
        var criteria = 0
        var perEntry = 3  // a live entry's visit and its field tests
        // The share of the delta expected to match, from the base's share for a short list (long lists: all).
        var matchingShare = 1.0
        // Three calls rather than a loop over an array of the lists: this runs on every list request, and the
        // array would be allocated each time.
        func list(_ values: [String], _ column: CodeColumn) {
            guard !values.isEmpty else { return }
            criteria += 1
            perEntry += 1
            total = total.addingSaturating(values.count.multipliedSaturating(perListItem))
            // A list of several values unions their rows (each row at most once).
            if values.count > 1 { total = total.addingSaturating(base.rowCount) }
            if values.count <= DeltaValueSet.shortList, base.rowCount > 0 {
                let rows = values.reduce(0) { $0 + (column.codeOfValue[$1].map { column.postings.count(Int($0)) } ?? 0) }
                matchingShare = min(matchingShare, Double(rows) / Double(base.rowCount))
            }
        }
        list(filter.agentIDs, base.agent)
        list(filter.fromNumbers, base.fromNumber)
        list(filter.toNumbers, base.toNumber)
        if !filter.statuses.isEmpty { criteria += 1 }
        if !filter.types.isEmpty { criteria += 1 }
        if !filter.directions.isEmpty { criteria += 1 }
        if filter.duration != nil { criteria += 1 }
        if filter.updatedTimestamp != nil { criteria += 1 }
        var prefixTerms = 0
        if let search = filter.transcriptSearch {
            for phrase in search.phrases {
                // A phrase of several words is verified against transcripts (or their token lists in the delta).
                guard phrase.count == 1 else { return .max }
                criteria += 1
                // Each single term is a binary search in an entry's distinct words.
                perEntry += 12
                guard phrase[0].isPrefix else { continue }
                prefixTerms += 1
                let range = base.transcript.wordRange(phrase[0])
                guard range.count <= maxSummedWords else { return .max }
                total = total.addingSaturating(unionCost(range, base.transcript.wordRows))
            }
        }
        // Every criterion is a pass over the partition's bitmaps at worst.
        total = total.addingSaturating((criteria + 1) * (base.rowCount / rowsPerBitmapOperation + 1))
        // The delta: each entry (and each replaced base row) is visited, the matching ones placed among the base
        // rows; prefixes also test the words the base lacks.
        let delta = version.deltaSize
        total = total.addingSaturating(delta.multipliedSaturating(perEntry))
        let entries = version.runs.reduce(0) { $0 + $1.entries.count }
        let matching = Int((Double(entries) * matchingShare).rounded(.up))
        total = total.addingSaturating(matching.multipliedSaturating(perMatchingEntry(query.sortBy)))
        if prefixTerms > 0 {
            let extraWords = version.runs.reduce(0) { $0 + $1.extraWordCount }
            total = total.addingSaturating(extraWords.multipliedSaturating(2 * prefixTerms))
        }
        // The delta matches that can reach the page are sorted: at most all of them, log-many compares each.
        let reach = min(matching, (query.offset ?? matching).addingSaturating(query.limit))
        total = total.addingSaturating(reach.multipliedSaturating(2 * (Int.bitWidth - matching.leadingZeroBitCount)))
        return total
    }

    /// The work of the union of a prefix's word rows: an insert per listed row, a pass per stored bitmap.
    static func unionCost(_ range: Range<Int>, _ rows: PostingTable) -> Int {
        var total = 0
        let bitmapCost = rows.rowCount / rowsPerBitmapOperation + 1
        for word in range {
            total += rows.bitmapIndex[word] >= 0 ? bitmapCost : rows.count(word)
        }
        return total
    }
}

extension Int {
    /// The sum, or `Int.max` when it overflows.
    fileprivate func addingSaturating(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    /// The product, or `Int.max` when it overflows.
    fileprivate func multipliedSaturating(_ other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }
}
