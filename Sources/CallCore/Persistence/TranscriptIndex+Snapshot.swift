extension TranscriptIndex {
    /// Writes the vocabulary and the word, pair and triple tables (the thresholds follow from the row count);
    /// each pair table follows the postings it numbers, so the loader can check one against the other.
    func write(to writer: inout SnapshotSectionWriter) throws(JournalError) {
        try SnapshotStrings.write(words, to: &writer)
        try wordRows.write(to: &writer)
        try pairRows.write(to: &writer)
        try pairNumbers.write(to: &writer)
        try tripleRows.write(to: &writer)
        try tripleNumbers.write(to: &writer)
    }

    /// The index `write` wrote, for `rowCount` rows; every table must agree with the one it numbers.
    init(snapshot cursor: inout SnapshotCursor, rowCount: Int) throws(StoreSnapshotError) {
        let words = try SnapshotStrings.read(&cursor)
        let wordRows = try PostingTable(snapshot: &cursor, rowCount: rowCount)
        guard wordRows.keyCount == words.count else { throw cursor.corrupt("word postings do not match the vocabulary") }
        let pairRows = try PostingTable(snapshot: &cursor, rowCount: rowCount)
        let pairNumbers = try PairTable(snapshot: &cursor, numbers: pairRows.keyCount)
        let tripleRows = try PostingTable(snapshot: &cursor, rowCount: rowCount)
        let tripleNumbers = try PairTable(snapshot: &cursor, numbers: tripleRows.keyCount)
        self.init(
            words: words, wordRows: wordRows,
            pairWordThreshold: TranscriptIndexBuilder.pairWordThreshold(rowCount: rowCount),
            pairNumbers: pairNumbers, pairRows: pairRows,
            triplePairThreshold: TranscriptIndexBuilder.triplePairThreshold(rowCount: rowCount),
            tripleNumbers: tripleNumbers, tripleRows: tripleRows)
    }
}
