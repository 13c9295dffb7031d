/// A call written since the base was built (or the mark of its deletion), prepared so that queries never copy
/// the record: its filter fields side by side, its transcript words numbered against the base vocabulary, and
/// its position in each base order (so merging it into a page compares integers, not records).
struct DeltaEntry: Sendable {
    /// Position in the partition's write history; later writes of the same call_id supersede it.
    let sequence: Int
    /// The call's call_id.
    let callID: String
    /// The call, or nil when this entry records a deletion.
    let call: Call?
    /// Whether `call` is there (a plain flag, so scans need not touch the record).
    let isCall: Bool
    /// The transcript's words: a base word number, or `wordCount + i` for `extraWords[i]` (a word the base lacks).
    let tokens: [UInt32]
    /// Words of this transcript that the base vocabulary lacks.
    let extraWords: [String]
    /// The distinct base word numbers of `tokens`, ascending: a word or prefix term is a binary search here,
    /// whatever the transcript's length.
    let distinctWords: [UInt32]
    /// Where the call falls in each base order (`BasePartition.insertionPosition`).
    private let startPosition: Int
    private let endPosition: Int
    private let durationPosition: Int
    private let callIDPosition: Int
    private let updatedPosition: Int
    // Filter fields, copied out of the call.
    private let status: CallStatus
    private let type: CallType
    private let direction: CallDirection
    private let agentID: String
    private let fromNumber: String?
    private let toNumber: String?
    private let startTimestamp: Int64
    private let endTimestamp: Int64?
    private let duration: Int64?
    private let updatedTimestamp: Int64
    /// The base's interned codes of `agentID`, `fromNumber` and `toNumber` (`CodeColumn.noCode` when the base lacks
    /// the value or it is nil), so a filter list is matched by code, not by comparing strings.
    let agentCode: UInt32
    let fromCode: UInt32
    let toCode: UInt32
    // Eight-byte prefixes of call_id and id, so most ties between entries compare integers.
    private let callIDKey: UInt64
    private let idKey: UInt64

    /// An entry for `call` (nil: a deletion of `callID`), tokenized against the base's vocabulary and placed in
    /// its orders.
    init(sequence: Int, callID: String, call: Call?, base: BasePartition, folder: inout WordFolder) {
        self.sequence = sequence
        self.callID = callID
        self.call = call
        isCall = call != nil
        var tokens: [UInt32] = []
        var extraWords: [String] = []
        if let call {
            let index = base.transcript
            let wordCount = index.words.count
            // Numbers of the words the base lacks, so a long transcript of new words stays linear.
            var extraNumbers: [String: Int] = [:]
            TextNormalizer.forEachFoldedWord(in: call.transcript, folder: &folder) { word in
                if let number = index.wordNumber(word) {
                    tokens.append(UInt32(truncatingIfNeeded: number))
                } else if let extra = extraNumbers[word] {
                    tokens.append(UInt32(truncatingIfNeeded: wordCount + extra))
                } else {
                    extraNumbers[word] = extraWords.count
                    tokens.append(UInt32(truncatingIfNeeded: wordCount + extraWords.count))
                    extraWords.append(word)
                }
            }
        }
        self.tokens = tokens
        self.extraWords = extraWords
        let wordCount = base.transcript.words.count
        assert(tokens.allSatisfy { Int($0) < wordCount + extraWords.count }, "a token numbers a base word or an extra word")
        var distinct = tokens.filter { Int($0) < wordCount }
        distinct.sort()
        distinctWords = distinct.uniquedSorted()
        startPosition = call.map { base.insertionPosition(of: $0, field: .startTimestamp) } ?? 0
        endPosition = call.map { base.insertionPosition(of: $0, field: .endTimestamp) } ?? 0
        durationPosition = call.map { base.insertionPosition(of: $0, field: .callDuration) } ?? 0
        callIDPosition = call.map { base.insertionPosition(of: $0, field: .callID) } ?? 0
        updatedPosition = call.map { base.insertionPosition(of: $0, field: .updatedTimestamp) } ?? 0
        status = call?.status ?? .scheduled
        type = call?.type ?? .phoneCall
        direction = call?.direction ?? .inbound
        agentID = call?.agentID ?? ""
        fromNumber = call?.fromNumber
        toNumber = call?.toNumber
        startTimestamp = call?.startTimestamp ?? 0
        endTimestamp = call?.endTimestamp
        duration = call?.duration
        updatedTimestamp = call?.updatedTimestamp ?? 0
        agentCode = call.flatMap { base.agent.codeOfValue[$0.agentID] } ?? CodeColumn.noCode
        fromCode = call?.fromNumber.flatMap { base.fromNumber.codeOfValue[$0] } ?? CodeColumn.noCode
        toCode = call?.toNumber.flatMap { base.toNumber.codeOfValue[$0] } ?? CodeColumn.noCode
        callIDKey = ByteOrder.prefixKey(callID)
        idKey = ByteOrder.prefixKey(call?.id ?? "")
    }

    /// Whether the call at `entry` precedes the one at `other` in the list of `field` in `order` (`CallOrdering`
    /// on the kept fields): their sort keys, then the full strings the keys only begin. The entries are read where
    /// they are stored: a list sorts many matches, and copying an entry would retain each of its strings and arrays.
    static func precedes(
        _ entry: UnsafePointer<DeltaEntry>, _ other: UnsafePointer<DeltaEntry>, field: SortField, order: SortOrder
    ) -> Bool {
        let descending = order == .descending
        if let decided = sortKey(entry, field: field).precedes(sortKey(other, field: field), descending: descending) {
            return decided
        }
        if field == .callID {
            // Equal call_id prefixes: the whole call_ids, then the id prefixes.
            let byCallID = ByteOrder.order(entry.pointee.callID, other.pointee.callID)
            if byCallID != 0 { return (byCallID < 0) != descending }
            if entry.pointee.idKey != other.pointee.idKey { return (entry.pointee.idKey < other.pointee.idKey) != descending }
        }
        guard let id = entry.pointee.call?.id, let otherID = other.pointee.call?.id else { return false }
        // Strict in both directions: an entry never precedes itself (a selection compares its pivot with itself).
        let byID = ByteOrder.order(id, otherID)
        return byID != 0 && (byID < 0) != descending
    }

    /// The integers that order entries in one sort field as far as they can: the field's value (or the call_id's
    /// first eight bytes) with missing values last, then the id's first eight bytes.
    struct SortKey {
        var hasValue: Bool
        /// The value, order-preserving as an unsigned integer.
        var value: UInt64
        /// Whether equal values still leave the order open before the id (call_id prefixes).
        var valueIsPrefix: Bool
        var idKey: UInt64

        /// The key of a list position, made the way an entry's is (a string value stands for its first bytes).
        init(_ position: OrderKey) {
            switch position.value {
            case .absent: (hasValue, value, valueIsPrefix) = (false, 0, false)
            case .integer(let number): (hasValue, value, valueIsPrefix) = (true, UInt64(bitPattern: number) ^ (1 << 63), false)
            case .text(let text): (hasValue, value, valueIsPrefix) = (true, ByteOrder.prefixKey(text), true)
            }
            idKey = ByteOrder.prefixKey(position.id)
        }

        init(hasValue: Bool, value: UInt64, valueIsPrefix: Bool, idKey: UInt64) {
            (self.hasValue, self.value, self.valueIsPrefix, self.idKey) = (hasValue, value, valueIsPrefix, idKey)
        }

        /// Whether the first call precedes the second, or nil when only the records can tell.
        func precedes(_ other: SortKey, descending: Bool) -> Bool? {
            if hasValue != other.hasValue { return hasValue }  // missing values last, whatever the direction
            if value != other.value { return (value < other.value) != descending }
            if valueIsPrefix { return nil }
            if idKey != other.idKey { return (idKey < other.idKey) != descending }
            return nil
        }
    }

    /// Whether the call at `entry` comes strictly after the list position `key` (whose sort key is `keyed`) in the
    /// list of `field` in `order`: integers decide, and the record only when they tie.
    static func follows(
        _ entry: UnsafePointer<DeltaEntry>, _ key: OrderKey, _ keyed: SortKey, field: SortField, order: SortOrder
    ) -> Bool {
        if let decided = keyed.precedes(sortKey(entry, field: field), descending: order == .descending) { return decided }
        guard let call = entry.pointee.call else { return false }
        return CallOrdering(field: field, order: order).precedes(key, OrderKey(call, field: field))
    }

    /// The sort key of the call at `entry` in `field`.
    static func sortKey(_ entry: UnsafePointer<DeltaEntry>, field: SortField) -> SortKey {
        func key(_ value: Int64?) -> SortKey {
            // Flipping the sign bit maps Int64 order onto UInt64 order.
            SortKey(
                hasValue: value != nil, value: value.map { UInt64(bitPattern: $0) ^ (1 << 63) } ?? 0, valueIsPrefix: false,
                idKey: entry.pointee.idKey)
        }
        switch field {
        case .startTimestamp: return key(entry.pointee.startTimestamp)
        case .endTimestamp: return key(entry.pointee.endTimestamp)
        case .callDuration: return key(entry.pointee.duration)
        case .callID: return SortKey(hasValue: true, value: entry.pointee.callIDKey, valueIsPrefix: true, idKey: entry.pointee.idKey)
        case .updatedTimestamp: return key(entry.pointee.updatedTimestamp)
        }
    }

    /// How many base rows precede the call at `entry` in the list of `field` in `order`.
    static func rowsBefore(_ entry: UnsafePointer<DeltaEntry>, in base: BasePartition, field: SortField, order: SortOrder) -> Int {
        switch field {
        case .startTimestamp:
            return base.rowsBefore(insertedAt: entry.pointee.startPosition, hasValue: true, field: field, order: order)
        case .endTimestamp:
            return base.rowsBefore(
                insertedAt: entry.pointee.endPosition, hasValue: entry.pointee.endTimestamp != nil, field: field, order: order)
        case .callDuration:
            return base.rowsBefore(
                insertedAt: entry.pointee.durationPosition, hasValue: entry.pointee.duration != nil, field: field, order: order)
        case .callID:
            return base.rowsBefore(insertedAt: entry.pointee.callIDPosition, hasValue: true, field: field, order: order)
        case .updatedTimestamp:
            return base.rowsBefore(insertedAt: entry.pointee.updatedPosition, hasValue: true, field: field, order: order)
        }
    }

    /// `CallFilter.matchesFields` on the entry's copied fields (the record itself is not touched), with the filter
    /// prepared once per query. Like the other queries on entries, it reads them where they are stored: a copy
    /// would retain every string and array.
    static func matchesFields(_ entry: UnsafePointer<DeltaEntry>, _ filter: DeltaFilter) -> Bool {
        if let statuses = filter.statuses, !statuses.contains(entry.pointee.status) { return false }
        if let agents = filter.agents, !agents.matches(entry.pointee.agentCode, entry.pointee.agentID) { return false }
        if let types = filter.types, !types.contains(entry.pointee.type) { return false }
        if let directions = filter.directions, !directions.contains(entry.pointee.direction) { return false }
        if let numbers = filter.fromNumbers, !numbers.matches(entry.pointee.fromCode, entry.pointee.fromNumber) { return false }
        if let numbers = filter.toNumbers, !numbers.matches(entry.pointee.toCode, entry.pointee.toNumber) { return false }
        if let range = filter.duration {
            guard let duration = entry.pointee.duration, range.contains(duration) else { return false }
        }
        if let range = filter.startTimestamp, !range.contains(entry.pointee.startTimestamp) { return false }
        if let range = filter.updatedTimestamp, !range.contains(entry.pointee.updatedTimestamp) { return false }
        return true
    }

    /// Whether the entry's transcript contains every phrase of `search` (prepared once per query).
    static func matches(_ entry: UnsafePointer<DeltaEntry>, _ search: DeltaTranscriptSearch) -> Bool {
        // A term matching no base word can only match one of this transcript's extra words: usually none.
        if search.hasUnknownTerm {
            for (term, range) in zip(search.terms, search.ranges) where range.isEmpty {
                if !entry.pointee.extraWords.contains(where: term.matches) { return false }
            }
        }
        let wordCount = search.wordCount
        // Single terms (words and prefixes, the usual search) first: a binary search each, no pass over the tokens.
        for (term, range) in zip(search.singleTerms, search.singleRanges) where !containsWord(entry, term, range) {
            return false
        }
        guard search.hasPhrase else { return true }
        // Phrase terms are read by position through the ranges' pointer: the phrases' ends index the terms.
        assert(
            search.ranges.count == search.terms.count && (search.phraseEnds.last ?? 0) == search.terms.count,
            "the phrases' ends index the terms and their ranges")
        return entry.pointee.tokens.withUnsafeBufferPointer { tokens in
            search.ranges.withUnsafeBufferPointer { ranges in
                var phraseStart = 0
                for phraseEnd in search.phraseEnds {
                    let length = phraseEnd - phraseStart
                    if length == 1 {
                        // Settled above.
                        phraseStart = phraseEnd
                        continue
                    }
                    guard length <= tokens.count else { return false }
                    var found = false
                    var start = 0
                    while !found, start <= tokens.count - length {
                        var offset = 0
                        while offset < length {
                            let token = Int(tokens[start + offset])
                            let accepted = token < wordCount
                                ? ranges[phraseStart + offset].contains(token)
                                : search.terms[phraseStart + offset].matches(entry.pointee.extraWords[token - wordCount])
                            if !accepted { break }
                            offset += 1
                        }
                        found = offset == length
                        start += 1
                    }
                    if !found { return false }
                    phraseStart = phraseEnd
                }
                return true
            }
        }
    }
}

extension DeltaEntry {
    /// Whether the entry's transcript has a word `term` accepts: a base word numbered in `range`, or (a prefix, or a
    /// word the base lacks) one of the entry's extra words.
    fileprivate static func containsWord(_ entry: UnsafePointer<DeltaEntry>, _ term: TranscriptQuery.Term, _ range: Range<Int>) -> Bool {
        if !range.isEmpty {
            let found = entry.pointee.distinctWords.withUnsafeBufferPointer { words in
                let low = partitionPoint(words.indices) { Int(words[$0]) < range.lowerBound }
                return low < words.count && Int(words[low]) < range.upperBound
            }
            // A whole word the base has cannot be among the words it lacks.
            if found || !term.isPrefix { return found }
        }
        return entry.pointee.extraWords.contains(where: term.matches)
    }
}

extension Array where Element: Equatable {
    /// A sorted array without its repeats.
    fileprivate func uniquedSorted() -> [Element] {
        var result: [Element] = []
        result.reserveCapacity(count)
        for element in self where result.last != element { result.append(element) }
        return result
    }
}
