/// A `CallFilter` prepared once per query for testing delta entries, so a test costs about the same however long
/// the lists are (a list may hold 1,000 items, a delta tens of thousands of entries): string lists become the
/// base's interned codes of their values plus the values the base lacks, enumeration lists stay as they are
/// (de-duplicated, they hold a few cases at most).
struct DeltaFilter {
    /// Accepted statuses, types and directions; nil when not given.
    let statuses: [CallStatus]?
    let types: [CallType]?
    let directions: [CallDirection]?
    /// Accepted agent ids, `from_number` and `to_number` values; nil when not given.
    let agents: DeltaValueSet?
    let fromNumbers: DeltaValueSet?
    let toNumbers: DeltaValueSet?
    /// Bounds on the duration (nil: none; a known duration is required otherwise), on the start and on the last
    /// update.
    let duration: ThresholdRange?
    let startTimestamp: ThresholdRange?
    let updatedTimestamp: ThresholdRange?

    /// Prepares `filter` against `base`, whose codes the delta entries carry.
    init(_ filter: CallFilter, base: BasePartition) {
        statuses = filter.statuses.isEmpty ? nil : filter.statuses
        types = filter.types.isEmpty ? nil : filter.types
        directions = filter.directions.isEmpty ? nil : filter.directions
        agents = filter.agentIDs.isEmpty ? nil : DeltaValueSet(filter.agentIDs, column: base.agent)
        fromNumbers = filter.fromNumbers.isEmpty ? nil : DeltaValueSet(filter.fromNumbers, column: base.fromNumber)
        toNumbers = filter.toNumbers.isEmpty ? nil : DeltaValueSet(filter.toNumbers, column: base.toNumber)
        duration = filter.duration.flatMap { $0.isUnbounded ? nil : $0 }
        startTimestamp = filter.startTimestamp
        updatedTimestamp = filter.updatedTimestamp
    }
}

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
