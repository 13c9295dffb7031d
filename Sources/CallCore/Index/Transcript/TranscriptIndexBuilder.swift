/// Builds a `TranscriptIndex` from a partition's transcripts (in row order): tokenizes chunks of rows on every
/// core into chunk-local vocabularies, merges and sorts the vocabulary, then fills the word, pair and triple
/// postings. The word sequences are needed only here and are dropped at the end.
enum TranscriptIndexBuilder {
    /// One chunk of rows tokenized against a chunk-local vocabulary.
    private struct Chunk: Sendable {
        var words = ByteInterner()
        /// Rows of the chunk containing each local word (counted here, in parallel, rather than in a later pass).
        var rowCounts: [UInt32] = []
        var tokens: [UInt32] = []
        /// Offsets of each row's first token, plus the total (rows + 1 entries).
        var rowStarts: [Int] = [0]
    }

    /// Pairs need both words in at least this many rows (see `TranscriptIndex.pairWordThreshold`).
    static func pairWordThreshold(rowCount: Int) -> Int { min(256, max(2, rowCount / 512)) }

    /// Triples need both pairs in at least this many rows (see `TranscriptIndex.triplePairThreshold`).
    static func triplePairThreshold(rowCount: Int) -> Int { min(256, max(2, rowCount / 512)) }

    /// Builds the index; rows are numbered by position in `transcripts`.
    static func build(transcripts: [String], parallel: Bool = true) -> TranscriptIndex {
        let rowCount = transcripts.count
        let chunkRows = max(512, rowCount / (Parallel.coreCount * 8) + 1)
        let chunkCount = (rowCount + chunkRows - 1) / chunkRows
        let tokenizeChunk: @Sendable (Int) -> Chunk = { chunk in
            tokenize(transcripts, rows: (chunk * chunkRows)..<min(rowCount, (chunk + 1) * chunkRows))
        }
        var chunks = parallel ? Parallel.map(chunkCount, tokenizeChunk) : (0..<chunkCount).map(tokenizeChunk)
        let (words, finalNumbers) = mergeVocabularies(chunks)
        var wordCounts = [UInt32](repeating: 0, count: words.count)
        for (chunk, numbers) in zip(chunks, finalNumbers) {
            for (local, count) in chunk.rowCounts.enumerated() { wordCounts[Int(numbers[local])] += count }
        }
        var (tokens, tokenStarts) = concatenate(&chunks, finalNumbers: finalNumbers)
        let wordRows = postings(rowCount: rowCount, counts: wordCounts, keyAt: tokens, tokenStarts: tokenStarts)
        // From here on the word sequence is rewritten in place (pair numbers, then triple numbers), so the build
        // holds one number per token at a time.
        let threshold = pairWordThreshold(rowCount: rowCount)
        let (pairNumbers, pairRows) = adjacentPostings(
            rowCount: rowCount, keyRows: wordRows, threshold: threshold, sequence: &tokens, tokenStarts: tokenStarts)
        let tripleThreshold = triplePairThreshold(rowCount: rowCount)
        let (tripleNumbers, tripleRows) = adjacentPostings(
            rowCount: rowCount, keyRows: pairRows, threshold: tripleThreshold, sequence: &tokens, tokenStarts: tokenStarts)
        return TranscriptIndex(
            words: words, wordRows: wordRows, pairWordThreshold: threshold, pairNumbers: pairNumbers, pairRows: pairRows,
            triplePairThreshold: tripleThreshold, tripleNumbers: tripleNumbers, tripleRows: tripleRows)
    }

    private static func tokenize(_ transcripts: [String], rows: Range<Int>) -> Chunk {
        var tokenizer = ChunkTokenizer(expectedTokens: rows.count * 96)
        var folder = WordFolder()
        for row in rows {
            tokenizer.startRow(row)
            TextNormalizer.forEachWord(in: transcripts[row], folder: &folder, visitor: &tokenizer)
            tokenizer.endRow()
        }
        return Chunk(words: tokenizer.words, rowCounts: tokenizer.rowCounts, tokens: tokenizer.tokens, rowStarts: tokenizer.rowStarts)
    }

    /// Numbers the words of a chunk's rows and counts each word's rows.
    private struct ChunkTokenizer: WordVisitor {
        var words = ByteInterner(expected: 4096)
        var tokens: [UInt32] = []
        var rowStarts: [Int] = [0]
        var rowCounts: [UInt32] = []
        private var lastRow: [Int32] = []
        private var marker: Int32 = 0

        init(expectedTokens: Int) {
            tokens.reserveCapacity(expectedTokens)
        }

        mutating func startRow(_ row: Int) { marker = Int32(truncatingIfNeeded: row) }

        mutating func endRow() { rowStarts.append(tokens.count) }

        mutating func ascii(_ word: UnsafeBufferPointer<UInt8>) { take(words.internLowercasingASCII(word)) }

        mutating func folded(_ word: UnsafeBufferPointer<UInt8>) { take(words.intern(word)) }

        /// Counts each distinct word of the row once (document frequency).
        private mutating func take(_ number: UInt32) {
            let index = Int(number)
            if index == lastRow.count {
                lastRow.append(marker)
                rowCounts.append(1)
            } else if lastRow[index] != marker {
                lastRow[index] = marker
                rowCounts[index] += 1
            }
            tokens.append(number)
        }
    }

    /// The sorted global vocabulary and, per chunk, each local word number's final number.
    private static func mergeVocabularies(_ chunks: [Chunk]) -> ([String], [[UInt32]]) {
        var merged = ByteInterner(expected: chunks.first?.words.count ?? 1024)
        var mergedNumbers: [[UInt32]] = []
        for chunk in chunks {
            mergedNumbers.append((0..<chunk.words.count).map { merged.intern(chunk.words.word($0)) })
        }
        let sorted = merged.sortedNumbers()
        var finalOfMerged = [UInt32](repeating: 0, count: merged.count)
        for (position, number) in sorted.enumerated() { finalOfMerged[Int(number)] = UInt32(truncatingIfNeeded: position) }
        let words = sorted.map { merged.string(Int($0)) }
        return (words, mergedNumbers.map { locals in locals.map { finalOfMerged[Int($0)] } })
    }

    /// One word sequence in final numbers; each chunk is released once copied, so the two never coexist whole.
    private static func concatenate(_ chunks: inout [Chunk], finalNumbers: [[UInt32]]) -> ([UInt32], [Int]) {
        var tokens: [UInt32] = []
        tokens.reserveCapacity(chunks.reduce(0) { $0 + $1.tokens.count })
        var starts: [Int] = [0]
        starts.reserveCapacity(chunks.reduce(1) { $0 + $1.rowStarts.count - 1 })
        for index in chunks.indices {
            let base = tokens.count
            finalNumbers[index].withUnsafeBufferPointer { numbers in
                for token in chunks[index].tokens { tokens.append(numbers[Int(token)]) }
            }
            for start in chunks[index].rowStarts.dropFirst() { starts.append(base + start) }
            chunks[index] = Chunk()
        }
        return (tokens, starts)
    }

    /// Marks a token position where no indexed pair (or triple) starts.
    private static let none = UInt32.max

    /// Postings of adjacent key pairs: the pair at position p is the key at p followed by the key at p + 1 (both
    /// in the row, both frequent, i.e. in at least `threshold` rows). Run on word numbers it gives word pairs; run
    /// again on the pair numbers it leaves, triples (two overlapping pairs). Rewrites `sequence` in place to the
    /// number of the pair starting at each position (or `none`): position p is last read when the pair at p forms.
    private static func adjacentPostings(
        rowCount: Int, keyRows: PostingTable, threshold: Int, sequence: inout [UInt32], tokenStarts: [Int]
    ) -> (PairTable, PostingTable) {
        assert(tokenStarts.count == rowCount + 1 && tokenStarts.last == sequence.count, "token starts bound every row's tokens")
        var frequent = [Bool](repeating: false, count: keyRows.keyCount)
        for key in 0..<keyRows.keyCount { frequent[key] = keyRows.count(key) >= threshold }
        var table = PairTable(expected: 1 << 16)
        var counter = RowCounter()
        sequence.withUnsafeMutableBufferPointer { at in
            frequent.withUnsafeBufferPointer { frequent in
                for row in 0..<rowCount {
                    let end = tokenStarts[row + 1]
                    var position = tokenStarts[row]
                    while position < end {
                        var pair = none
                        if position + 1 < end {
                            let head = at[position]
                            let tail = at[position + 1]
                            if head != none, tail != none, frequent[Int(head)], frequent[Int(tail)] {
                                pair = table.intern(PairTable.key(head, tail))
                                counter.count(Int(pair), row: row)
                            }
                        }
                        at[position] = pair
                        position += 1
                    }
                }
            }
        }
        return (table, postings(rowCount: rowCount, counts: counter.counts, keyAt: sequence, tokenStarts: tokenStarts))
    }

    /// Postings of keys recorded per token position (`none` where no key starts), each row once per key;
    /// `counts` holds each key's number of rows.
    private static func postings(rowCount: Int, counts: [UInt32], keyAt: [UInt32], tokenStarts: [Int]) -> PostingTable {
        assert(tokenStarts.count == rowCount + 1 && tokenStarts.last == keyAt.count, "token starts bound every row's tokens")
        var lastRow = [Int32](repeating: -1, count: counts.count)
        return PostingTable(rowCount: rowCount, counts: counts) { emit in
            keyAt.withUnsafeBufferPointer { keyAt in
                lastRow.withUnsafeMutableBufferPointer { lastRow in
                    for row in 0..<rowCount {
                        let marker = Int32(truncatingIfNeeded: row)
                        for position in tokenStarts[row]..<tokenStarts[row + 1] {
                            let key = keyAt[position]
                            guard key != none, lastRow[Int(key)] != marker else { continue }
                            lastRow[Int(key)] = marker
                            emit(Int(key), row)
                        }
                    }
                }
            }
        }
    }
}

extension TranscriptIndexBuilder {
    /// Counts the rows of keys numbered as they appear (a key met twice in one row counts once).
    fileprivate struct RowCounter {
        /// Per key: the last row counted (high 32 bits) and the count (low 32 bits), in one word so a key costs
        /// one memory access.
        private var state: [UInt64] = []

        /// Each key's number of rows.
        var counts: [UInt32] { state.map { UInt32(truncatingIfNeeded: $0) } }

        mutating func count(_ key: Int, row: Int) {
            let marker = UInt64(UInt32(truncatingIfNeeded: row)) << 32
            if key == state.count {
                state.append(marker | 1)
                return
            }
            let current = state[key]
            if current & 0xFFFF_FFFF_0000_0000 != marker {
                state[key] = marker | ((current & 0xFFFF_FFFF) + 1)
            }
        }
    }
}
