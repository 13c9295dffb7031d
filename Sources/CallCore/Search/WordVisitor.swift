import Foundation

/// Receives the words of a text from `TextNormalizer.forEachWord`.
protocol WordVisitor {
    /// An all-ASCII word (letters and digits), not yet lower-cased.
    mutating func ascii(_ word: UnsafeBufferPointer<UInt8>)
    /// Any other word, folded.
    mutating func folded(_ word: UnsafeBufferPointer<UInt8>)
}
