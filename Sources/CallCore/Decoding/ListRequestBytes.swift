/// Decodes a well-formed list request straight from its bytes: no JSON tree, no string for a key, and a `String`
/// only per string value the query keeps (and a small one per enumeration name, to look it up).
///
/// It accepts only bodies that `ListRequestDecoder`'s full path accepts, and gives the same query for them. Anything
/// else (malformed JSON, an unknown or repeated field, a wrong type, an out-of-range value, a string with an escape
/// or a control character, a negative zero) makes it give up with nil, and the full path then decodes the body and
/// words the error. Giving up is always safe, so each rule here only has to be right about what it accepts.
struct ListRequestBytes {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The query in `body`, or nil when the full decoder must look at it.
    static func decode(_ body: UnsafeRawBufferPointer) -> ListQuery? {
        var reader = ListRequestBytes(body)
        return reader.document()
    }

    // MARK: - The request

    private mutating func document() -> ListQuery? {
        skipWhitespace()
        var query = ListQuery()
        var seen: UInt32 = 0
        var pageGiven = false
        let read = members(into: &query) { reader, key, query in
            guard let field = TopField(key, in: reader.bytes), seen & field.bit == 0 else { return false }
            seen |= field.bit
            if reader.takeNull() { return true }
            pageGiven = pageGiven || field == .page
            return reader.value(of: field, into: &query)
        }
        skipWhitespace()
        // A cursor with a page is an error the full decoder words.
        guard read && index == bytes.count, !(pageGiven && query.cursor != nil) else { return nil }
        return query
    }

    private mutating func value(of field: TopField, into query: inout ListQuery) -> Bool {
        switch field {
        case .page:
            guard let page = integer() else { return false }
            query.page = page
        case .limit:
            guard let limit = integer(), ListQuery.limitRange.contains(limit) else { return false }
            query.limit = Int(limit)
        case .sortBy:
            guard let name = string(), let sortBy = SortField(rawValue: name) else { return false }
            query.sortBy = sortBy
        case .sortOrder:
            guard let name = string(), let order = SortOrder(wireName: name) else { return false }
            query.sortOrder = order
        case .includeTranscript:
            guard let flag = boolean() else { return false }
            query.includeTranscript = flag
        case .filterCriteria:
            guard let filter = filter() else { return false }
            query.filter = filter
        case .cursor:
            guard let token = string(), let cursor = ListCursor(token: token) else { return false }
            query.cursor = cursor
        }
        return true
    }

    private mutating func filter() -> CallFilter? {
        var filter = CallFilter()
        var seen: UInt32 = 0
        let read = members(into: &filter) { reader, key, filter in
            guard let field = FilterField(key, in: reader.bytes), seen & field.bit == 0 else { return false }
            seen |= field.bit
            return reader.takeNull() || reader.value(of: field, into: &filter)
        }
        guard read else { return nil }
        return filter
    }

    private mutating func value(of field: FilterField, into filter: inout CallFilter) -> Bool {
        switch field {
        case .callStatus:
            guard let statuses = enumerationList(CallStatus.self) else { return false }
            filter.statuses = statuses
        case .agentID:
            guard let agents = stringList() else { return false }
            filter.agentIDs = agents
        case .callType:
            guard let types = enumerationList(CallType.self) else { return false }
            filter.types = types
        case .direction:
            guard let directions = enumerationList(CallDirection.self) else { return false }
            filter.directions = directions
        case .fromNumber:
            guard let numbers = stringList() else { return false }
            filter.fromNumbers = numbers
        case .toNumber:
            guard let numbers = stringList() else { return false }
            filter.toNumbers = numbers
        case .durationMS:
            guard let range = range() else { return false }
            filter.duration = range.isUnbounded ? nil : range
        case .startTimestamp:
            guard let range = range() else { return false }
            filter.startTimestamp = range.isUnbounded ? nil : range
        case .updatedTimestamp:
            guard let range = range() else { return false }
            filter.updatedTimestamp = range.isUnbounded ? nil : range
        case .transcriptSearch:
            guard let text = string(), CallRecordRules.hasLength(text, in: 0...ListRequestDecoder.maxTranscriptSearchLength)
            else { return false }
            let search = TranscriptQuery(text)
            // Too many terms: the full decoder words the error.
            if let search, search.phrases.count > TranscriptQuery.maxTerms { return false }
            filter.transcriptSearch = search
        }
        return true
    }

    private mutating func range() -> ThresholdRange? {
        var range = ThresholdRange()
        var seenLower = false
        var seenUpper = false
        let read = members(into: &range) { reader, key, range in
            let isLower = reader.equals(key, "lower_threshold")
            guard isLower || reader.equals(key, "upper_threshold") else { return false }
            if isLower {
                guard !seenLower else { return false }
                seenLower = true
            } else {
                guard !seenUpper else { return false }
                seenUpper = true
            }
            if reader.takeNull() { return true }
            guard let value = reader.integer() else { return false }
            if isLower { range.lower = value } else { range.upper = value }
            return true
        }
        guard read else { return nil }
        if let lower = range.lower, let upper = range.upper, lower > upper { return nil }
        return range
    }

    private mutating func stringList() -> [String]? {
        list { $0.string() }
    }

    private mutating func enumerationList<Value: CallEnumeration>(_ type: Value.Type) -> [Value]? {
        list { reader in reader.rawString().flatMap { reader.enumeration(Value.self, $0) } }
    }

    /// A JSON array of items read by `item`, without repeats in first-seen order; nil when an item or the
    /// array is malformed, or holds more than `ListQuery.maxListItems` items (the full decoder words that error).
    private mutating func list<Item: Hashable>(_ item: (inout ListRequestBytes) -> Item?) -> [Item]? {
        var items: [Item] = []
        guard enterArray() else { return nil }
        if takeArrayEnd() { return items }
        // Lists are short: one allocation for the usual few items, not one per doubling.
        items.reserveCapacity(4)
        while true {
            guard items.count < ListQuery.maxListItems, let next = item(&self) else { return nil }
            items.append(next)
            guard let more = arraySeparator() else { return nil }
            if !more { return items.uniquedInOrder() }
        }
    }

    /// The value whose wire name the bytes of `range` spell in any ASCII case, as the full decoder parses it.
    private func enumeration<Value: CallEnumeration>(_ type: Value.Type, _ range: Range<Int>) -> Value? {
        Value(caseInsensitiveBytes: UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    // MARK: - Tokens

    /// Reads an object: for each member, its key's bytes go to `member` with the reader on the member's value, which
    /// `member` must consume, and `value` to fill in. False when the object is malformed or `member` gives up.
    /// (`value` is passed rather than captured: a captured result could not be moved out afterwards, and copying a
    /// filter retains each of its lists.)
    private mutating func members<Value>(
        into value: inout Value, _ member: (inout ListRequestBytes, Range<Int>, inout Value) -> Bool
    ) -> Bool {
        guard peek == UInt8(ascii: "{") else { return false }
        index += 1
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            index += 1
            return true
        }
        while true {
            guard let key = rawString() else { return false }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            guard member(&self, key, &value) else { return false }
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","):
                // `{"a":1,}` gives up at the next key: one must follow a comma.
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return true
            default:
                return false
            }
        }
    }

    private mutating func enterArray() -> Bool {
        guard peek == UInt8(ascii: "[") else { return false }
        index += 1
        skipWhitespace()
        return true
    }

    private mutating func takeArrayEnd() -> Bool {
        guard peek == UInt8(ascii: "]") else { return false }
        index += 1
        return true
    }

    /// After an element: true past a comma (another element follows), false past `]`, nil for anything else.
    private mutating func arraySeparator() -> Bool? {
        skipWhitespace()
        switch peek {
        case UInt8(ascii: ","):
            index += 1
            skipWhitespace()
            return true
        case UInt8(ascii: "]"):
            index += 1
            return false
        default:
            return nil
        }
    }

    /// The byte at the read position, or 0 (which no rule accepts) at the end.
    private var peek: UInt8 { index < bytes.count ? bytes[index] : 0 }

    /// RFC 8259 §2 white space, as the full reader has it.
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Consumes `null` if it is next.
    private mutating func takeNull() -> Bool { takeLiteral("null") }

    private mutating func boolean() -> Bool? {
        if takeLiteral("true") { return true }
        if takeLiteral("false") { return false }
        return nil
    }

    private mutating func takeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count, equals(index..<(index + count), literal) else { return false }
        index += count
        return true
    }

    /// A non-negative integer literal that fits in Int64: `0` or `[1-9][0-9]*` not followed by a fraction or an
    /// exponent (those, a sign, a leading zero and overflow are left to the full decoder).
    private mutating func integer() -> Int64? {
        let start = index
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            index += 1
        }
        let length = index - start
        guard length > 0, length == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        switch peek {
        case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
        default: return value
        }
    }

    /// A string value without escapes or control characters, its UTF-8 validated.
    private mutating func string() -> String? {
        guard let range = rawString() else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        // ASCII (ids, numbers, most searches) is valid UTF-8 as it stands; anything else is validated.
        if !raw.contains(where: { $0 >= 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        return String(validating: raw, as: UTF8.self)
    }

    /// The bytes between a string's quotes, when it has no escape and no control character.
    private mutating func rawString() -> Range<Int>? {
        guard peek == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var position = start
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                index = position + 1
                return start..<position
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// Whether the bytes of `range` are exactly `literal`.
    private func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        Self.equals(range, literal, in: bytes)
    }

    fileprivate static func equals(_ range: Range<Int>, _ literal: StaticString, in bytes: UnsafeRawBufferPointer) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        assert(literal.hasPointerRepresentation, "the literal is text, read through its pointer")
        assert(range.lowerBound >= 0 && range.upperBound <= bytes.count, "the range lies within the body")
        let start = literal.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != start[offset] { return false }
        return true
    }
}

extension ListRequestBytes {
    /// The members of a list request, recognized by their key's bytes (a switch on the length, then one comparison).
    private enum TopField: UInt32 {
        case page, limit, sortBy, sortOrder, includeTranscript, filterCriteria, cursor

        init?(_ key: Range<Int>, in bytes: UnsafeRawBufferPointer) {
            let candidate: (StaticString, TopField)
            switch key.count {
            case 4: candidate = ("page", .page)
            case 5: candidate = ("limit", .limit)
            case 6: candidate = ("cursor", .cursor)
            case 7: candidate = ("sort_by", .sortBy)
            case 10: candidate = ("sort_order", .sortOrder)
            case 15: candidate = ("filter_criteria", .filterCriteria)
            case 18: candidate = ("include_transcript", .includeTranscript)
            default: return nil
            }
            guard ListRequestBytes.equals(key, candidate.0, in: bytes) else { return nil }
            self = candidate.1
        }

        var bit: UInt32 { 1 << rawValue }
    }
}

extension ListRequestBytes {
    /// The members of `filter_criteria`, recognized by their key's bytes.
    private enum FilterField: UInt32 {
        case callStatus, agentID, callType, direction, fromNumber, toNumber, durationMS, startTimestamp, transcriptSearch
        case updatedTimestamp

        init?(_ key: Range<Int>, in bytes: UnsafeRawBufferPointer) {
            func matches(_ name: StaticString) -> Bool { ListRequestBytes.equals(key, name, in: bytes) }
            switch key.count {
            case 8 where matches("agent_id"): self = .agentID
            case 9 where matches("call_type"): self = .callType
            case 9 where matches("direction"): self = .direction
            case 9 where matches("to_number"): self = .toNumber
            case 11 where matches("call_status"): self = .callStatus
            case 11 where matches("from_number"): self = .fromNumber
            case 11 where matches("duration_ms"): self = .durationMS
            case 15 where matches("start_timestamp"): self = .startTimestamp
            case 17 where matches("transcript_search"): self = .transcriptSearch
            case 17 where matches("updated_timestamp"): self = .updatedTimestamp
            default: return nil
            }
        }

        var bit: UInt32 { 1 << rawValue }
    }
}
