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
        // The operands' words are read by unchecked pointer at these indices: `WordIntersection` checks that every
        // factor covers the result's words.
        assert(words.lowerBound >= 0 && words.upperBound <= out.count, "the block lies within the result")
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
        assert(words.count <= scratch.count, "scratch has room for the block")
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

extension WordOperation {
    /// The words of a factor's bitmaps combined one at a time, so a loop over them is specialized per shape.
    fileprivate protocol WordSource {
        func word(_ index: Int) -> UInt64
    }

    /// Every row: the partner of a factor that has its pass to itself.
    fileprivate struct EveryRow: WordSource {
        @inline(__always) func word(_ index: Int) -> UInt64 { .max }
    }

    fileprivate struct OneBitmap: WordSource {
        let a: UnsafePointer<UInt64>
        @inline(__always) func word(_ index: Int) -> UInt64 { a[index] }
    }

    fileprivate struct EitherBitmap: WordSource {
        let a: UnsafePointer<UInt64>, b: UnsafePointer<UInt64>
        @inline(__always) func word(_ index: Int) -> UInt64 { a[index] | b[index] }
    }

    fileprivate struct AndNotBitmap: WordSource {
        let a: UnsafePointer<UInt64>, b: UnsafePointer<UInt64>
        @inline(__always) func word(_ index: Int) -> UInt64 { a[index] & ~b[index] }
    }
}
