extension CallFilter {
    /// Writes API.md's `applied_filters` object: only criteria that are given and non-empty, in normalized form
    /// (enumeration lists lower case, every list de-duplicated in first-seen order, ranges with only their given
    /// bounds and left out when they have none, `transcript_search` trimmed and left out when it has no words).
    public func writeApplied(into writer: inout JSONWriter) {
        writer.object { object in
            Self.writeList("call_status", statuses.map(\.lowercasedName), into: &object)
            Self.writeList("agent_id", agentIDs, into: &object)
            Self.writeList("call_type", types.map(\.lowercasedName), into: &object)
            Self.writeList("direction", directions.map(\.lowercasedName), into: &object)
            Self.writeList("from_number", fromNumbers, into: &object)
            Self.writeList("to_number", toNumbers, into: &object)
            Self.writeRange("duration_ms", duration, into: &object)
            Self.writeRange("start_timestamp", startTimestamp, into: &object)
            if let transcriptSearch {
                object.member("transcript_search", transcriptSearch.text)
            }
        }
    }

    /// The `applied_filters` object as bytes.
    public var appliedFiltersJSON: [UInt8] {
        var writer = JSONWriter()
        writeApplied(into: &writer)
        return writer.bytes
    }

    private static func writeList(_ name: String, _ values: [String], into writer: inout JSONWriter) {
        let unique = values.uniquedInOrder()
        guard !unique.isEmpty else { return }
        writer.member(name) { list in
            list.array { array in
                for value in unique { array.string(value) }
            }
        }
    }

    private static func writeRange(_ name: String, _ range: ThresholdRange?, into writer: inout JSONWriter) {
        guard let range, !range.isUnbounded else { return }
        writer.member(name) { value in
            value.object { object in
                if let lower = range.lower { object.member("lower_threshold", lower) }
                if let upper = range.upper { object.member("upper_threshold", upper) }
            }
        }
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
