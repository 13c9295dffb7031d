/// The accepted values of one string list, for testing delta entries: values the base has by their code (a
/// short list of codes, or a bit per code for long lists), the others by string (a short list, or a set).
struct DeltaValueSet {
    private enum Codes {
        case few([UInt32])
        case bits([UInt64])
    }

    private enum Strings {
        case few([String])
        case set(Set<String>)
    }

    /// Lists up to this long are searched item by item: for the usual one or two values that beats hashing.
    static let shortList = 8

    private let codes: Codes
    private let others: Strings

    /// The values of `list` split by whether `column` (the base's) interns them.
    init(_ list: [String], column: CodeColumn) {
        var known: [UInt32] = []
        var unknown: [String] = []
        for value in list {
            if let code = column.codeOfValue[value] { known.append(code) } else { unknown.append(value) }
        }
        if known.count <= Self.shortList {
            codes = .few(known)
        } else {
            var bits = [UInt64](repeating: 0, count: (column.postings.keyCount + 63) >> 6)
            for code in known where Int(code) >> 6 < bits.count { bits[Int(code) >> 6] |= 1 << UInt64(code & 63) }
            codes = .bits(bits)
        }
        others = unknown.count <= Self.shortList ? .few(unknown) : .set(Set(unknown))
    }

    /// Whether an entry whose value is `value`, with the base's code `code`, is accepted.
    func matches(_ code: UInt32, _ value: String?) -> Bool {
        if code != CodeColumn.noCode {
            switch codes {
            case .few(let codes): return codes.contains(code)
            case .bits(let bits):
                let word = Int(code) >> 6
                return word < bits.count && bits[word] & (1 << UInt64(code & 63)) != 0
            }
        }
        // A value the base lacks can only be one of the list's values the base lacks (usually none).
        guard let value else { return false }
        switch others {
        case .few(let others): return others.contains(value)
        case .set(let others): return others.contains(value)
        }
    }
}
