/// A call's metadata: string keys to string values, in the order they were given.
public struct CallMetadata: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The entries in order; keys are unique.
    public private(set) var entries: [(key: String, value: String)]

    /// Empty metadata.
    public init() {
        entries = []
    }

    /// Metadata from entries in order; a later duplicate key replaces the earlier value in place.
    public init(_ entries: [(key: String, value: String)]) {
        self.entries = []
        for entry in entries { self[entry.key] = entry.value }
    }

    /// Metadata from a literal, in literal order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }

    /// Whether there are no entries (such calls are written without a `metadata` member).
    public var isEmpty: Bool { entries.isEmpty }

    /// The number of entries.
    public var count: Int { entries.count }

    /// The value for `key`, or nil; setting nil removes the entry, setting a new key appends it.
    public subscript(key: String) -> String? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let position = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[position].value = newValue } else { entries.remove(at: position) }
            } else if let newValue {
                entries.append((key: key, value: newValue))
            }
        }
    }

    /// Order-sensitive equality of the entries.
    public static func == (lhs: CallMetadata, rhs: CallMetadata) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension CallMetadata {
    /// Builds metadata from already-unique entries without the per-key lookup (the JSON reader guarantees uniqueness).
    init(uniqueEntries: [(key: String, value: String)]) {
        entries = uniqueEntries
    }
}
