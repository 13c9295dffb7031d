extension CallFilter {
    /// Writes API.md's `applied_filters` object: only criteria that are given and non-empty, in normalized form
    /// (enumeration lists lower case, every list de-duplicated in first-seen order, ranges with only their given
    /// bounds and left out when they have none, `transcript_search` trimmed and left out when it has no words).
    public func writeApplied(into writer: inout JSONWriter) {
        let statusNames = statuses.uniquedInOrder().map(\.lowercasedName)
        let typeNames = types.uniquedInOrder().map(\.lowercasedName)
        let directionNames = directions.uniquedInOrder().map(\.lowercasedName)
        let agents = agentIDs.uniquedInOrder()
        let froms = fromNumbers.uniquedInOrder()
        let tos = toNumbers.uniquedInOrder()
        // Room: names, brackets and both ranges take under 384 bytes; each list item adds its bytes and three more.
        var strings = transcriptSearch?.text.utf8.count ?? 0
        func count(_ list: [String]) {
            for item in list { strings += item.utf8.count + 3 }
        }
        count(statusNames)
        count(typeNames)
        count(directionNames)
        count(agents)
        count(froms)
        count(tos)
        writer.rawValue(estimatedBytes: 384 + strings + strings / 8, worstCaseBytes: 384 + 6 * strings) { out in
            var first = true
            func name(_ member: StaticString) {
                if !first { out.raw(",") }
                first = false
                out.raw(member)
            }
            func list(_ member: StaticString, _ values: [String]) {
                guard !values.isEmpty else { return }
                name(member)
                out.raw("[")
                for (index, value) in values.enumerated() {
                    if index > 0 { out.raw(",") }
                    out.string(value)
                }
                out.raw("]")
            }
            func range(_ member: StaticString, _ range: ThresholdRange?) {
                guard let range, !range.isUnbounded else { return }
                name(member)
                if let lower = range.lower {
                    out.member(#"{"lower_threshold":"#, lower)
                    if let upper = range.upper { out.member(#","upper_threshold":"#, upper) }
                } else if let upper = range.upper {
                    out.member(#"{"upper_threshold":"#, upper)
                }
                out.raw("}")
            }
            out.raw("{")
            list(#""call_status":"#, statusNames)
            list(#""agent_id":"#, agents)
            list(#""call_type":"#, typeNames)
            list(#""direction":"#, directionNames)
            list(#""from_number":"#, froms)
            list(#""to_number":"#, tos)
            range(#""duration_ms":"#, duration)
            range(#""start_timestamp":"#, startTimestamp)
            if let transcriptSearch {
                name(#""transcript_search":"#)
                out.string(transcriptSearch.text)
            }
            out.raw("}")
        }
    }

    /// The `applied_filters` object as bytes.
    public var appliedFiltersJSON: [UInt8] {
        var writer = JSONWriter()
        writeApplied(into: &writer)
        return writer.bytes
    }
}

extension Array where Element: Hashable {
    /// The elements without repeats, each kept where it first appears.
    func uniquedInOrder() -> [Element] {
        // Request lists are short: comparing with what was kept costs less than hashing.
        guard count > 16 else {
            var kept: [Element] = []
            kept.reserveCapacity(count)
            for element in self where !kept.contains(element) { kept.append(element) }
            return kept
        }
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
