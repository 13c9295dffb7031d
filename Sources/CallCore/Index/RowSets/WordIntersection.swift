/// Intersects several factors over a range of rows in one pass over the result, a block of words at a time: the
/// block stays in the first-level cache while each factor narrows it, where a pass per factor over the whole result
/// would read and write it once per factor.
enum WordIntersection {
    /// Words per block: 2 KiB of result, small enough to stay cached beside the factors' words.
    static let blockWords = 256

    /// The rows of `rows` (below `rowCount`) that every factor holds, and how many there are. Only the words of
    /// `RowBitmap.wordRange(rows)` can hold members; the others are zero. Every factor's bitmaps cover `rowCount` rows.
    static func intersect(_ factors: [WordFactor], rows: Range<Int>, rowCount: Int) -> (bitmap: RowBitmap, count: Int) {
        assert(rows.isEmpty || rows.lowerBound >= 0 && rows.upperBound <= rowCount, "the rows lie below rowCount")
        assert(
            factors.allSatisfy { $0.covers(wordCount: RowBitmap.wordCount(rowCount)) },
            "every factor's bitmaps cover rowCount rows")
        var operations: [WordOperation] = []
        operations.reserveCapacity(factors.count)
        var (bitmap, count) = opening(factors[...], &operations) { intersect($0, rows: rows, rowCount: rowCount) }
        for factor in factors {
            guard let excluded = factor.excluded, count > 0 else { continue }
            excluded.order.withUnsafeBufferPointer { order in
                count -= bitmap.remove(rows: order[excluded.lower])
                count -= bitmap.remove(rows: order[excluded.upper])
            }
        }
        return (bitmap, count)
    }

    /// Opens each factor in turn (nested calls), appending its operation, then calls `body` with all of them.
    private static func opening<R>(
        _ factors: ArraySlice<WordFactor>, _ opened: inout [WordOperation], _ body: ([WordOperation]) -> R
    ) -> R {
        guard let factor = factors.first else { return body(opened) }
        return factor.withOperation { operation in
            opened.append(operation)
            return opening(factors.dropFirst(), &opened, body)
        }
    }

    private static func intersect(_ operations: [WordOperation], rows: Range<Int>, rowCount: Int) -> (bitmap: RowBitmap, count: Int) {
        let wordCount = RowBitmap.wordCount(rowCount)
        let words = RowBitmap.wordRange(rows)
        var counter = PopulationCounter()
        assert(words.upperBound <= wordCount, "the range's words lie within the result")
        let result = [UInt64](unsafeUninitializedCapacity: wordCount) { out, initialized in
            // Every word is written: the range by the blocks below, the rest zeroed here.
            for index in 0..<words.lowerBound { out[index] = 0 }
            for index in words.upperBound..<wordCount { out[index] = 0 }
            initialized = wordCount
            operations.withUnsafeBufferPointer { operations in
                // Room for a union of many built a block at a time; taken once for all blocks.
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: blockWords) { scratch in
                    assert(scratch.count == blockWords, "scratch holds one block")
                    var start = words.lowerBound
                    while start < words.upperBound {
                        let block = start..<min(start + blockWords, words.upperBound)
                        if operations.isEmpty {
                            for index in block { out[index] = .max }
                        }
                        for position in stride(from: 0, to: operations.count, by: 2) {
                            let next = position + 1 < operations.count ? operations[position + 1] : nil
                            operations[position].apply(and: next, to: out, words: block, first: position == 0, scratch: scratch)
                        }
                        if block.lowerBound == words.lowerBound {
                            out[block.lowerBound] &= RowBitmap.mask(word: block.lowerBound, within: rows)
                        }
                        if block.upperBound == words.upperBound {
                            out[block.upperBound - 1] &= RowBitmap.mask(word: block.upperBound - 1, within: rows)
                        }
                        counter.add(UnsafeBufferPointer(rebasing: out[block]))
                        start = block.upperBound
                    }
                }
            }
        }
        return (RowBitmap(words: result), counter.total)
    }
}
