import CallCore
import Foundation
import Testing

@Suite("ListResponseWriter and CallJSON")
struct ListResponseWriterTests {
    private let ended = TestSupport.call("call-456", id: "0b6a1c1e-7c2f-4f9a-9d4e-1234567890ab", organization: "org-789",
                                         agent: "agent-123", status: .ended, type: .phoneCall, direction: .outbound,
                                         from: "+0987654321", to: "+1234567890", start: 1_703_097_600_000,
                                         end: 1_703_097_780_000, transcript: "hi \"there\"", metadata: ["k": "v"])
    private let ongoing = TestSupport.call("call-2", id: "0b6a1c1e-7c2f-4f9a-9d4e-000000000002", organization: "org-789",
                                           status: .ongoing, from: nil, to: nil, start: 5)

    private func keys(_ value: JSONValue?) -> [String] {
        guard case .object(let members)? = value else { return [] }
        return members.map(\.key)
    }

    @Test func callHasEveryFieldInOrderWithNullsPresent() throws {
        let value = try JSONReader.parse(CallJSON.bytes(ongoing, includeTranscript: false))
        #expect(keys(value) == ["id", "call_id", "agent_id", "organization_id", "call_status", "call_type", "direction",
                                "from_number", "to_number", "start_timestamp", "end_timestamp", "call_duration",
                                "updated_timestamp"])
        #expect(value["from_number"] == .null && value["end_timestamp"] == .null && value["call_duration"] == .null)
        #expect(value["call_status"] == .string("ONGOING"))
    }

    @Test func callCarriesTranscriptOnlyWhenAskedAndMetadataOnlyWhenPresent() throws {
        let with = try JSONReader.parse(CallJSON.bytes(ended, includeTranscript: true))
        #expect(with["transcript"] == .string("hi \"there\""))
        #expect(with["metadata"] == .object([(key: "k", value: .string("v"))]))
        #expect(with["call_duration"] == .integer(180_000))
        let without = try JSONReader.parse(CallJSON.bytes(ended, includeTranscript: false))
        #expect(without["transcript"] == nil)
        let bare = try JSONReader.parse(CallJSON.bytes(ongoing, includeTranscript: true))
        #expect(bare["metadata"] == nil && bare["transcript"] == .string(""))
    }

    @Test func envelopeMatchesTheContractShape() throws {
        let query = ListQuery(limit: 50, sortOrder: .descending, filter: CallFilter(statuses: [.ongoing, .ended]))
        let bytes = ListResponseWriter.envelope(query: query, organizationID: "org-789", page: CallPage(calls: [ended], totalCount: 1))
        let value = try JSONReader.parse(bytes)
        #expect(keys(value) == ["message", "status", "error", "data"])
        #expect(value["message"] == .string("Calls retrieved successfully"))
        #expect(value["status"] == .string("success") && value["error"] == .null)
        let data = value["data"]
        #expect(keys(data) == ["organization_id", "calls", "pagination", "returned_count", "sort_order", "sort_by", "applied_filters"])
        #expect(data?["organization_id"] == .string("org-789"))
        #expect(data?["returned_count"] == .integer(1))
        #expect(data?["sort_order"] == .string("descending"))
        #expect(data?["sort_by"] == .string("start_timestamp"))
        #expect(data?["applied_filters"] == .object([(key: "call_status", value: .array([.string("ongoing"), .string("ended")]))]))
        let pagination = data?["pagination"]
        #expect(keys(pagination) == ["page", "limit", "total_count", "total_pages", "has_next_page", "has_previous_page", "next_cursor"])
        #expect(pagination?["limit"] == .integer(50) && pagination?["total_pages"] == .integer(1))
        #expect(pagination?["has_next_page"] == .bool(false) && pagination?["has_previous_page"] == .bool(false))
        // The page reaches the end: nothing to continue.
        #expect(pagination?["next_cursor"] == .null)
        // Foundation agrees it is JSON.
        #expect(try JSONSerialization.jsonObject(with: Data(bytes)) is [String: Any])
    }

    @Test func sortOrderIsEchoedInLongForm() throws {
        let query = try ListRequestDecoder.decode(Array(#"{"sort_order":"asc","sort_by":"call_id"}"#.utf8))
        let value = try JSONReader.parse(ListResponseWriter.envelope(query: query, organizationID: "o", page: CallPage(calls: [], totalCount: 0)))
        #expect(value["data"]?["sort_order"] == .string("ascending"))
        #expect(value["data"]?["sort_by"] == .string("call_id"))
    }

    @Test func paginationArithmetic() {
        #expect(Pagination(page: 0, limit: 20, totalCount: 0) == Pagination(page: 0, limit: 20, totalCount: 0))
        let none = Pagination(page: 0, limit: 20, totalCount: 0)
        #expect(none.totalPages == 0 && !none.hasNextPage && !none.hasPreviousPage)
        let exact = Pagination(page: 1, limit: 10, totalCount: 20)
        #expect(exact.totalPages == 2 && !exact.hasNextPage && exact.hasPreviousPage)
        let partial = Pagination(page: 0, limit: 10, totalCount: 21)
        #expect(partial.totalPages == 3 && partial.hasNextPage)
        let past = Pagination(page: 7, limit: 10, totalCount: 21)
        #expect(!past.hasNextPage && past.hasPreviousPage)
        let huge = Pagination(page: Int64.max, limit: 1, totalCount: Int.max)
        #expect(huge.totalPages == Int64.max && !huge.hasNextPage)
        let almost = Pagination(page: Int64.max - 2, limit: 1, totalCount: Int.max)
        #expect(almost.hasNextPage)
    }

    @Test func hugePageRendersWithoutTrapping() throws {
        let query = ListQuery(page: Int64.max, limit: 100)
        let value = try JSONReader.parse(ListResponseWriter.envelope(query: query, organizationID: "o", page: CallPage(calls: [], totalCount: 3)))
        let pagination = value["data"]?["pagination"]
        #expect(pagination?["page"] == .integer(Int64.max))
        #expect(pagination?["total_pages"] == .integer(1))
        #expect(pagination?["has_next_page"] == .bool(false))
        #expect(pagination?["has_previous_page"] == .bool(true))
        #expect(value["data"]?["returned_count"] == .integer(0))
    }

    @Test func listedCallsIncludeTranscriptsOnlyWhenRequested() throws {
        for include in [false, true] {
            let query = ListQuery(includeTranscript: include)
            let value = try JSONReader.parse(ListResponseWriter.envelope(query: query, organizationID: "org-789", page: CallPage(calls: [ended, ongoing], totalCount: 2)))
            guard case .array(let calls)? = value["data"]?["calls"] else {
                Issue.record("calls missing")
                return
            }
            #expect(calls.count == 2)
            #expect(calls.allSatisfy { ($0["transcript"] != nil) == include })
        }
    }
}
