/// One factor of an intersection of row sets stored as bitmaps: a row is kept only when every factor holds it.
struct WordFactor {
    enum Kind {
        /// The members of one bitmap.
        case bitmap(RowBitmap)
        /// The members of any of two or more bitmaps (codes of a column).
        case anyOf([RowBitmap])
        /// The members of `inside` that are not in `outside` (the rows below one cut and not below another).
        case between(inside: RowBitmap, outside: RowBitmap?)
    }

    /// Rows of an order, at positions `lower` and `upper`, that `kind` holds and the factor does not.
    struct Exclusion {
        let order: [UInt32]
        let lower: Range<Int>
        let upper: Range<Int>
    }

    let kind: Kind
    /// Rows taken out of the intersection's result afterwards (a duration run's cuts reach past its ends).
    var excluded: Exclusion?

    init(kind: Kind, excluded: Exclusion? = nil) {
        self.kind = kind
        self.excluded = excluded
    }

    /// The rows in any of `bitmaps` (at least one).
    static func union(of bitmaps: [RowBitmap]) -> WordFactor {
        WordFactor(kind: bitmaps.count == 1 ? .bitmap(bitmaps[0]) : .anyOf(bitmaps))
    }

    /// Calls `body` with this factor's words opened for reading (valid only during the call).
    func withOperation<R>(_ body: (WordOperation) -> R) -> R {
        // Opened with nested calls and no arrays for the common shapes: this runs for every factor of every query.
        switch kind {
        case .bitmap(let bitmap):
            return Self.opening(bitmap) { body($0.map(WordOperation.all) ?? .nothing) }
        case .anyOf(let bitmaps) where bitmaps.count == 2:
            return Self.opening(bitmaps[0]) { a in
                Self.opening(bitmaps[1]) { b in
                    guard let a, let b else { return body(.anyOf([a, b].compactMap { $0 })) }
                    return body(.either(a, b))
                }
            }
        case .anyOf(let bitmaps):
            var opened: [UnsafePointer<UInt64>] = []
            opened.reserveCapacity(bitmaps.count)
            return Self.opening(bitmaps[...], &opened) { body(.anyOf($0)) }
        case .between(let inside, let outside):
            // An absent bitmap is no operand; the inside one without words (no rows) makes the factor empty.
            return Self.opening(inside) { a in
                Self.opening(outside) { b in
                    guard let a else { return body(.nothing) }
                    guard let b else { return body(.all(a)) }
                    return body(.andNot(a, b))
                }
            }
        }
    }

    /// Calls `body` with the address of `bitmap`'s words (nil when it is absent or has none).
    private static func opening<R>(_ bitmap: RowBitmap?, _ body: (UnsafePointer<UInt64>?) -> R) -> R {
        guard let bitmap else { return body(nil) }
        return bitmap.words.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    /// Opens each bitmap in turn (nested calls), then calls `body` with all their words (a bitmap without words
    /// is left out).
    private static func opening<R>(
        _ bitmaps: ArraySlice<RowBitmap>, _ opened: inout [UnsafePointer<UInt64>], _ body: ([UnsafePointer<UInt64>]) -> R
    ) -> R {
        guard let bitmap = bitmaps.first else { return body(opened) }
        return bitmap.words.withUnsafeBufferPointer { words in
            if let address = words.baseAddress { opened.append(address) }
            return opening(bitmaps.dropFirst(), &opened, body)
        }
    }
}

/// A factor's words, opened for reading during one intersection (so the block loop retains nothing).
enum WordOperation {
    /// Holds no row.
    case nothing
    /// The members of one bitmap.
    case all(UnsafePointer<UInt64>)
    /// The members of either bitmap.
    case either(UnsafePointer<UInt64>, UnsafePointer<UInt64>)
    /// The members of any bitmap.
    case any([UnsafePointer<UInt64>])
    /// The members of the first bitmap that are not in the second.
    case andNot(UnsafePointer<UInt64>, UnsafePointer<UInt64>)

    /// The union of opened bitmaps, in the cheapest shape.
    static func anyOf(_ bitmaps: [UnsafePointer<UInt64>]) -> WordOperation {
        switch bitmaps.count {
        case 0: .nothing
        case 1: .all(bitmaps[0])
        case 2: .either(bitmaps[0], bitmaps[1])
        default: .any(bitmaps)
        }
    }

    /// Sets `out[words]` to the words this operation and `other` both hold (`first`), or keeps there only what both
    /// also hold. Two shapes that come straight from bitmaps share one pass, so the result is loaded and stored once
    /// for both (one loop per pair of shapes, each specialized and vectorizable); no rows, or a union of many, take a
    /// pass of their own.
    func apply(
        and other: WordOperation?, to out: UnsafeMutableBufferPointer<UInt64>, words: Range<Int>, first: Bool, scratch: UnsafeMutableBufferPointer<UInt64>
    ) {
        switch self {
        case .all(let a): Self.apply(OneBitmap(a: a), and: other, to: out, words: words, first: first, scratch: scratch)
        case .either(let a, let b): Self.apply(EitherBitmap(a: a, b: b), and: other, to: out, words: words, first: first, scratch: scratch)
        case .andNot(let a, let b): Self.apply(AndNotBitmap(a: a, b: b), and: other, to: out, words: words, first: first, scratch: scratch)
        case .nothing, .any:
            apply(alone: out, words: words, first: first, scratch: scratch)
            other?.apply(and: nil, to: out, words: words, first: false, scratch: scratch)
        }
    }

    private static func apply<X: WordSource>(
        _ x: X, and other: WordOperation?, to out: UnsafeMutableBufferPointer<UInt64>, words: Range<Int>, first: Bool,
        scratch: UnsafeMutableBufferPointer<UInt64>
    ) {
        switch other {
        case nil: pass(x, EveryRow(), out, words, first)
        case .all(let a)?: pass(x, OneBitmap(a: a), out, words, first)
        case .either(let a, let b)?: pass(x, EitherBitmap(a: a, b: b), out, words, first)
        case .andNot(let a, let b)?: pass(x, AndNotBitmap(a: a, b: b), out, words, first)
        case let other?:
            pass(x, EveryRow(), out, words, first)
            other.apply(alone: out, words: words, first: false, scratch: scratch)
        }
    }

    @inline(__always) private static func pass<X: WordSource, Y: WordSource>(
        _ x: X, _ y: Y, _ out: UnsafeMutableBufferPointer<UInt64>, _ words: Range<Int>, _ first: Bool
    ) {
        if first {
            for index in words { out[index] = x.word(index) & y.word(index) }
        } else {
            for index in words { out[index] &= x.word(index) & y.word(index) }
        }
    }

    /// `apply` for the shapes that do not stream: no rows, or a union of many, built first in `scratch` (room for
    /// `words.count` words).
    private func apply(
        alone out: UnsafeMutableBufferPointer<UInt64>, words: Range<Int>, first: Bool, scratch: UnsafeMutableBufferPointer<UInt64>
    ) {
        switch self {
        case .any(let bitmaps):
            let base = words.lowerBound
            for index in words { scratch[index - base] = 0 }
            for a in bitmaps {
                for index in words { scratch[index - base] |= a[index] }
            }
            if first {
                for index in words { out[index] = scratch[index - base] }
            } else {
                for index in words { out[index] &= scratch[index - base] }
            }
        case .nothing:
            for index in words { out[index] = 0 }
        case .all, .either, .andNot:
            apply(and: nil, to: out, words: words, first: first, scratch: scratch)
        }
    }
}

/// The words of a factor's bitmaps combined one at a time, so a loop over them is specialized per shape.
private protocol WordSource {
    func word(_ index: Int) -> UInt64
}

/// Every row: the partner of a factor that has its pass to itself.
private struct EveryRow: WordSource {
    @inline(__always) func word(_ index: Int) -> UInt64 { .max }
}

private struct OneBitmap: WordSource {
    let a: UnsafePointer<UInt64>
    @inline(__always) func word(_ index: Int) -> UInt64 { a[index] }
}

private struct EitherBitmap: WordSource {
    let a: UnsafePointer<UInt64>, b: UnsafePointer<UInt64>
    @inline(__always) func word(_ index: Int) -> UInt64 { a[index] | b[index] }
}

private struct AndNotBitmap: WordSource {
    let a: UnsafePointer<UInt64>, b: UnsafePointer<UInt64>
    @inline(__always) func word(_ index: Int) -> UInt64 { a[index] & ~b[index] }
}

/// Intersects several factors over a range of rows in one pass over the result, a block of words at a time: the
/// block stays in the first-level cache while each factor narrows it, where a pass per factor over the whole result
/// would read and write it once per factor.
enum WordIntersection {
    /// Words per block: 2 KiB of result, small enough to stay cached beside the factors' words.
    static let blockWords = 256

    /// The rows of `rows` (below `rowCount`) that every factor holds, and how many there are. Only the words of
    /// `RowBitmap.wordRange(rows)` can hold members; the others are zero. Every factor's bitmaps cover `rowCount` rows.
    static func intersect(_ factors: [WordFactor], rows: Range<Int>, rowCount: Int) -> (bitmap: RowBitmap, count: Int) {
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
        let result = [UInt64](unsafeUninitializedCapacity: wordCount) { out, initialized in
            // Every word is written: the range by the blocks below, the rest zeroed here.
            for index in 0..<words.lowerBound { out[index] = 0 }
            for index in words.upperBound..<wordCount { out[index] = 0 }
            initialized = wordCount
            operations.withUnsafeBufferPointer { operations in
                // Room for a union of many built a block at a time; taken once for all blocks.
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: blockWords) { scratch in
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
