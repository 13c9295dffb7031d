/// Folds words with a cache, so each distinct non-ASCII word pays for Unicode normalization once, not once per occurrence
/// (Foundation's decomposition runs at about a million words a second: too slow for every word of every transcript).
public struct WordFolder: Sendable {
    /// Entries kept before the cache is emptied, bounding memory on text with endless distinct words.
    public static let cacheLimit = 1 << 16

    private var cache: [String: String] = [:]

    /// An empty folder.
    public init() {}

    /// The folded form of one word (see `TextNormalizer.fold`).
    public mutating func fold(_ word: String) -> String {
        if let folded = TextNormalizer.foldASCII(word) { return folded }
        if let folded = cache[word] { return folded }
        let folded = TextNormalizer.foldUnicode(word)
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[word] = folded
        return folded
    }
}
