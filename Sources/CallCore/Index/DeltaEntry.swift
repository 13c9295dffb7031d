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
    /// Where the call falls in each base order (`BasePartition.insertionPosition`).
    private let startPosition: Int
    private let endPosition: Int
    private let durationPosition: Int
    private let callIDPosition: Int
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
        startPosition = call.map { base.insertionPosition(of: $0, field: .startTimestamp) } ?? 0
        endPosition = call.map { base.insertionPosition(of: $0, field: .endTimestamp) } ?? 0
        durationPosition = call.map { base.insertionPosition(of: $0, field: .callDuration) } ?? 0
        callIDPosition = call.map { base.insertionPosition(of: $0, field: .callID) } ?? 0
        status = call?.status ?? .scheduled
        type = call?.type ?? .phoneCall
        direction = call?.direction ?? .inbound
        agentID = call?.agentID ?? ""
        fromNumber = call?.fromNumber
        toNumber = call?.toNumber
        startTimestamp = call?.startTimestamp ?? 0
        endTimestamp = call?.endTimestamp
        duration = call?.duration
        callIDKey = ByteOrder.prefixKey(callID)
        idKey = ByteOrder.prefixKey(call?.id ?? "")
    }

    /// Whether this call precedes `other` in the list of `field` in `order` (`CallOrdering` on the kept fields).
    func precedes(_ other: DeltaEntry, field: SortField, order: SortOrder) -> Bool {
        let descending = order == .descending
        func directed(_ ascending: Bool) -> Bool { ascending != descending }
        func compare(_ a: Int64?, _ b: Int64?) -> Bool? {
            switch (a, b) {
            case (nil, nil): return nil
            case (nil, _): return false  // missing values last, whatever the direction
            case (_, nil): return true
            case let (x?, y?): return x == y ? nil : directed(x < y)
            }
        }
        let byField: Bool?
        switch field {
        case .startTimestamp: byField = compare(startTimestamp, other.startTimestamp)
        case .endTimestamp: byField = compare(endTimestamp, other.endTimestamp)
        case .callDuration: byField = compare(duration, other.duration)
        case .callID:
            byField = callIDKey != other.callIDKey
                ? directed(callIDKey < other.callIDKey)
                : (callID == other.callID ? nil : directed(ByteOrder.precedes(callID, other.callID)))
        }
        if let byField { return byField }
        if idKey != other.idKey { return directed(idKey < other.idKey) }
        guard let id = call?.id, let otherID = other.call?.id else { return false }
        return directed(ByteOrder.precedes(id, otherID))
    }

    /// How many base rows precede this call in the list of `field` in `order`.
    func rowsBefore(in base: BasePartition, field: SortField, order: SortOrder) -> Int {
        switch field {
        case .startTimestamp: return base.rowsBefore(insertedAt: startPosition, hasValue: true, field: field, order: order)
        case .endTimestamp: return base.rowsBefore(insertedAt: endPosition, hasValue: endTimestamp != nil, field: field, order: order)
        case .callDuration: return base.rowsBefore(insertedAt: durationPosition, hasValue: duration != nil, field: field, order: order)
        case .callID: return base.rowsBefore(insertedAt: callIDPosition, hasValue: true, field: field, order: order)
        }
    }

    /// `CallFilter.matchesFields` on the copied fields (the record itself is not touched).
    func matchesFields(_ filter: CallFilter) -> Bool {
        if !filter.statuses.isEmpty, !filter.statuses.contains(status) { return false }
        if !filter.agentIDs.isEmpty, !filter.agentIDs.contains(agentID) { return false }
        if !filter.types.isEmpty, !filter.types.contains(type) { return false }
        if !filter.directions.isEmpty, !filter.directions.contains(direction) { return false }
        if !filter.fromNumbers.isEmpty {
            guard let fromNumber, filter.fromNumbers.contains(fromNumber) else { return false }
        }
        if !filter.toNumbers.isEmpty {
            guard let toNumber, filter.toNumbers.contains(toNumber) else { return false }
        }
        if let range = filter.duration, !range.isUnbounded {
            guard let duration, range.contains(duration) else { return false }
        }
        if let range = filter.startTimestamp, !range.contains(startTimestamp) { return false }
        return true
    }

    /// Whether the transcript contains every phrase; `ranges` are the terms resolved against the base vocabulary
    /// (`wordCount` words), the terms themselves decide for extra words.
    func matches(_ phrases: [[TranscriptQuery.Term]], ranges: [[Range<Int>]], wordCount: Int) -> Bool {
        // A term matching no base word can only match one of this transcript's extra words: usually none.
        for (phrase, phraseRanges) in zip(phrases, ranges) {
            for (term, range) in zip(phrase, phraseRanges) where range.isEmpty {
                if !extraWords.contains(where: term.matches) { return false }
            }
        }
        return tokens.withUnsafeBufferPointer { tokens in
            for (phrase, phraseRanges) in zip(phrases, ranges) {
                let length = phrase.count
                guard length <= tokens.count else { return false }
                var found = false
                var start = 0
                while !found, start <= tokens.count - length {
                    var offset = 0
                    while offset < length {
                        let token = Int(tokens[start + offset])
                        let accepted = token < wordCount
                            ? phraseRanges[offset].contains(token) : phrase[offset].matches(extraWords[token - wordCount])
                        if !accepted { break }
                        offset += 1
                    }
                    found = offset == length
                    start += 1
                }
                if !found { return false }
            }
            return true
        }
    }
}
