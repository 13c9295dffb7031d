/// One criterion of a filter, resolved against a partition: it knows how many rows it may select, how to
/// produce them (as a list or into a bitmap) and how to test a single row, so the matcher can start from the
/// most selective criterion and test the others only on its rows.
struct RowConstraint {
    enum Kind {
        /// The row's code in `column` is one of `codes` (a list filter on a column).
        case codes(CodeColumn, [UInt32])
        /// The row's value of a range-filtered field (call_duration, updated_timestamp) is known and in range: its
        /// rank in that field's order lies in this run of positions.
        case run(RangeOrder, positions: Range<Int>)
        /// The row is in a stored set (a word's rows, a word pair's rows).
        case rows(RowSource)
        /// The row contains a word numbered in the range (a prefix term): settled by the words' rows, never by
        /// reading transcripts.
        case anyWord(Range<Int>)
        /// The row's transcript contains the phrase; a test only, never a driver.
        case phrase(PhraseVerifier)
    }

    let kind: Kind
    /// An upper bound on the rows selected (exact for all but prefixes and phrases).
    let estimate: Int

    /// Whether this criterion can produce its rows (a phrase can only test them).
    var canDrive: Bool {
        if case .phrase = kind { return false }
        return true
    }

    /// The selected rows within `within`, ascending.
    func rows(_ partition: BasePartition, within: Range<Int>) -> [UInt32] {
        switch kind {
        case .codes(let column, let codes) where codes.count == 1:
            return column.postings.source(Int(codes[0])).rows(within: within)
        case .rows(let source):
            return source.rows(within: within)
        default:
            var bitmap = RowBitmap(rowCount: partition.rowCount)
            let words = RowBitmap.wordRange(within)
            add(partition, to: &bitmap, words: words)
            return bitmap.rows(in: words).filter { within.contains(Int($0)) }
        }
    }

    /// Adds the selected rows to `bitmap` (at least those inside `words`).
    func add(_ partition: BasePartition, to bitmap: inout RowBitmap, words: Range<Int>) {
        switch kind {
        case .codes(let column, let codes):
            for code in codes { column.postings.source(Int(code)).add(to: &bitmap, in: words) }
        case .run(let field, let positions):
            let order = partition.order(field).rows
            for position in positions { bitmap.insert(Int(order[position])) }
        case .rows(let source):
            source.add(to: &bitmap, in: words)
        case .anyWord(let range):
            for word in range { partition.transcript.wordRows.source(word).add(to: &bitmap, in: words) }
        case .phrase:
            // Not a driver: the matcher never asks. Selecting nothing keeps a misuse visible in tests.
            break
        }
    }

    /// This criterion as a factor of a word intersection (exact at least within `words`): stored bitmaps as they
    /// are, a run of an order's positions through its cut bitmaps, anything else as a bitmap made for the query.
    func factor(_ partition: BasePartition, words: Range<Int>) -> WordFactor {
        switch kind {
        case .rows(.bitmap(let stored, _)):
            return WordFactor(kind: .bitmap(stored))
        case .run(let field, let positions):
            return partition.cuts(field).factor(positions: positions, order: partition.order(field), rowCount: partition.rowCount)
        case .codes(let column, let codes):
            // Codes stored as bitmaps (one status, two agents): their union is taken word by word, never built.
            if codes.count == 1, case .bitmap(let words, _) = column.postings.source(Int(codes[0])) {
                return WordFactor(kind: .bitmap(words))
            }
            var stored: [RowBitmap] = []
            for code in codes {
                guard case .bitmap(let words, _) = column.postings.source(Int(code)) else { break }
                stored.append(words)
            }
            if stored.count == codes.count { return .union(of: stored) }
        default:
            break
        }
        var selected = RowBitmap(rowCount: partition.rowCount)
        add(partition, to: &selected, words: words)
        return WordFactor(kind: .bitmap(selected))
    }

    /// A per-row test for this criterion, for rows asked in ascending order.
    func tester(_ partition: BasePartition) -> RowTester {
        switch kind {
        case .codes(let column, let codes):
            return .codes(column.codes, codes.sorted())
        case .run(let field, let positions):
            return .rank(partition.order(field).ranks, positions)
        case .rows(.bitmap(let bitmap, _)):
            return .bitmap(bitmap)
        case .rows(.list(let list)):
            return .list(RowListCursor(list))
        case .anyWord:
            // The union of the words' rows, built once for the query: it costs the range's postings, where testing
            // a row against its transcript would read up to 256 KiB per row and term.
            var union = RowBitmap(rowCount: partition.rowCount)
            add(partition, to: &union, words: RowBitmap.wordRange(0..<partition.rowCount))
            return .bitmap(union)
        case .phrase(let verifier):
            return .phrase(verifier, WordFolder())
        }
    }
}
