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

    /// Whether every bitmap of this factor holds `wordCount` words, and the excluded positions lie within their
    /// order: what reading the opened words by unchecked pointer relies on (for asserts).
    func covers(wordCount: Int) -> Bool {
        let bitmaps: [RowBitmap?]
        switch kind {
        case .bitmap(let bitmap): bitmaps = [bitmap]
        case .anyOf(let all): bitmaps = all
        case .between(let inside, let outside): bitmaps = [inside, outside]
        }
        guard bitmaps.allSatisfy({ $0 == nil || $0?.words.count == wordCount }) else { return false }
        guard let excluded else { return true }
        return [excluded.lower, excluded.upper].allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= excluded.order.count }
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
