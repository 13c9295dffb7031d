import CallCore
import Testing

/// The list response is written from constant pieces through one sink; it must be byte for byte what writing
/// each member through the general `JSONWriter` gives, for any query, organization and page.
@Suite("ListResponseWriter: constant pieces give the general writer's bytes")
struct ListResponseBytesTests {
    private typealias Generator = TestSupport.SeededGenerator

    @Test func randomResponsesMatchTheGeneralWriter() {
        var g = Generator(seed: 2024)
        let organizations = ["org-acme", "org-\"quoted\"", "org-ü\u{1}", String(repeating: "o\\", count: 40)]
        for round in 0..<400 {
            var query = RandomCalls.randomQuery(&g)
            query.includeTranscript = round % 3 == 0
            if round % 5 == 0 { query.filter.agentIDs += ["a\"b", "tab\there", "ünï"] }
            if round % 7 == 0 { query.filter.transcriptSearch = TranscriptQuery("  \"quoted phrase\" and\\ more ") }
            let organization = organizations[round % organizations.count]
            var calls = (0..<Int.random(in: 0...12, using: &g)).map { index in
                RandomCalls.randomCall(&g, organization: organization, callID: "c-\(round)-\(index)", id: TestSupport.uuid(for: "\(round)/\(index)"))
            }
            // Metadata past the per-call estimate, some of it escaped, so the page is written a second time.
            if round % 4 == 1, !calls.isEmpty {
                let long = String(repeating: round % 8 == 1 ? "\u{1}\"" : "metadata ", count: 200)
                calls[calls.count - 1].metadata = CallMetadata([(key: "notes", value: long), (key: "more", value: long)])
            }
            let page = CallPage(calls: calls, totalCount: calls.count + Int.random(in: 0...10_000, using: &g))
            let nextCursor = round % 3 == 0 ? nil : String(repeating: "Ab-_9", count: round % 90 + 1)
            let written = ListResponseWriter.envelope(query: query, organizationID: organization, page: page, nextCursor: nextCursor)
            let expected = reference(query: query, organizationID: organization, page: page, nextCursor: nextCursor)
            #expect(written == expected, "\(String(decoding: written, as: UTF8.self))\nvs\n\(String(decoding: expected, as: UTF8.self))")
        }
    }

    /// The response as API.md lays it out, every member written through the general writer.
    private func reference(query: ListQuery, organizationID: String, page: CallPage, nextCursor: String?) -> [UInt8] {
        let pagination = Pagination(page: query.page, limit: query.limit, totalCount: page.totalCount)
        var writer = JSONWriter()
        writer.object { envelope in
            envelope.member("message", ListResponseWriter.message)
            envelope.member("status", "success")
            envelope.nullMember("error")
            envelope.member("data") { value in
                value.object { data in
                    data.member("organization_id", organizationID)
                    data.member("calls") { value in
                        value.array { array in
                            for call in page.calls { array.rawValue(CallJSON.bytes(call, includeTranscript: query.includeTranscript)) }
                        }
                    }
                    data.member("pagination") { value in
                        value.object { object in
                            object.member("page", query.page)
                            object.member("limit", query.limit)
                            object.member("total_count", page.totalCount)
                            object.member("total_pages", pagination.totalPages)
                            object.member("has_next_page", pagination.hasNextPage)
                            object.member("has_previous_page", pagination.hasPreviousPage)
                            if let nextCursor { object.member("next_cursor", nextCursor) } else { object.nullMember("next_cursor") }
                        }
                    }
                    data.member("returned_count", page.calls.count)
                    data.member("sort_order", query.sortOrder.rawValue)
                    data.member("sort_by", query.sortBy.rawValue)
                    data.member("applied_filters") { value in applied(query.filter, into: &value) }
                }
            }
        }
        return writer.bytes
    }

    private func applied(_ filter: CallFilter, into writer: inout JSONWriter) {
        func list(_ name: String, _ values: [String], _ object: inout JSONWriter) {
            var unique: [String] = []
            for value in values where !unique.contains(value) { unique.append(value) }
            guard !unique.isEmpty else { return }
            object.member(name) { value in value.array { array in for item in unique { array.string(item) } } }
        }
        func range(_ name: String, _ range: ThresholdRange?, _ object: inout JSONWriter) {
            guard let range, !range.isUnbounded else { return }
            object.member(name) { value in
                value.object { bounds in
                    if let lower = range.lower { bounds.member("lower_threshold", lower) }
                    if let upper = range.upper { bounds.member("upper_threshold", upper) }
                }
            }
        }
        writer.object { object in
            list("call_status", filter.statuses.map { $0.rawValue.lowercased() }, &object)
            list("agent_id", filter.agentIDs, &object)
            list("call_type", filter.types.map { $0.rawValue.lowercased() }, &object)
            list("direction", filter.directions.map { $0.rawValue.lowercased() }, &object)
            list("from_number", filter.fromNumbers, &object)
            list("to_number", filter.toNumbers, &object)
            range("duration_ms", filter.duration, &object)
            range("start_timestamp", filter.startTimestamp, &object)
            if let search = filter.transcriptSearch { object.member("transcript_search", search.text) }
            range("updated_timestamp", filter.updatedTimestamp, &object)
        }
    }
}
