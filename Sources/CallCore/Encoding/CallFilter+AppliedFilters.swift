extension CallFilter {
    /// Writes API.md's `applied_filters` object: only criteria that are given and non-empty, in normalized form
    /// (enumeration lists lower case, every list de-duplicated in first-seen order, ranges with only their given
    /// bounds and left out when they have none, `transcript_search` trimmed and left out when it has no words).
    public func writeApplied(into writer: inout JSONWriter) {
        let statusList = statuses.uniquedInOrder()
        let typeList = types.uniquedInOrder()
        let directionList = directions.uniquedInOrder()
        let agents = agentIDs.uniquedInOrder()
        let froms = fromNumbers.uniquedInOrder()
        let tos = toNumbers.uniquedInOrder()
        writer.rawValue { out in
            var first = true
            func name(_ member: StaticString) {
                if !first { out.raw(",") }
                first = false
                out.raw(member)
            }
            func list<Item>(_ member: StaticString, _ values: [Item], _ write: (Item, inout JSONByteSink) -> Void) {
                guard !values.isEmpty else { return }
                name(member)
                out.raw("[")
                for (index, value) in values.enumerated() {
                    if index > 0 { out.raw(",") }
                    write(value, &out)
                }
                out.raw("]")
            }
            func strings(_ member: StaticString, _ values: [String]) {
                list(member, values) { value, out in out.string(value) }
            }
            func names<Value: CallEnumeration>(_ member: StaticString, _ values: [Value]) {
                list(member, values) { value, out in out.lowercasedName(value.rawValue) }
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
            names(#""call_status":"#, statusList)
            strings(#""agent_id":"#, agents)
            names(#""call_type":"#, typeList)
            names(#""direction":"#, directionList)
            strings(#""from_number":"#, froms)
            strings(#""to_number":"#, tos)
            range(#""duration_ms":"#, duration)
            range(#""start_timestamp":"#, startTimestamp)
            if let transcriptSearch {
                name(#""transcript_search":"#)
                out.string(transcriptSearch.text)
            }
            range(#""updated_timestamp":"#, updatedTimestamp)
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
        // Request lists are short: comparing with what was kept costs less than hashing, and a list without
        // repeats (the usual one) is returned as it is, with no copy.
        guard count > 16 else {
            guard indices.contains(where: { index in self[..<index].contains(self[index]) }) else { return self }
            var kept: [Element] = []
            kept.reserveCapacity(count)
            for element in self where !kept.contains(element) { kept.append(element) }
            return kept
        }
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
