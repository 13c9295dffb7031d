import Foundation
import Testing

@Suite struct ListCallsTests {
    @Test func listsOnlyTheCallersOrganizationWithExactTotals() throws {
        let fixture = try Fixture.get()
        let acme = try #require(try fixture.roundTrip(listRequest("{\"limit\":100}", credential: fixture.acmeReader)))
        #expect(acme.status == 200)
        let data = try #require(acme.json?["data"] as? [String: Any])
        #expect(data["organization_id"] as? String == "org-acme")
        let pagination = try #require(data["pagination"] as? [String: Any])
        #expect(pagination["total_count"] as? Int == Fixture.acmeCount)
        let calls = try #require(data["calls"] as? [[String: Any]])
        #expect(calls.allSatisfy { $0["organization_id"] as? String == "org-acme" })

        let globex = try #require(try fixture.roundTrip(listRequest("", credential: fixture.globexReader)))
        let globexData = try #require(globex.json?["data"] as? [String: Any])
        #expect((globexData["pagination"] as? [String: Any])?["total_count"] as? Int == Fixture.globexCount)
        #expect((globexData["calls"] as? [[String: Any]])?.count == Fixture.globexCount)
    }

    @Test func emptyBodyMeansDefaultsAndEnvelopeIsComplete() throws {
        let fixture = try Fixture.get()
        let response = try #require(try fixture.roundTrip(listRequest("", credential: fixture.acmeReader)))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let json = try #require(response.json)
        #expect(json["status"] as? String == "success")
        #expect(json["message"] as? String == "Calls retrieved successfully")
        #expect(json["error"] is NSNull)
        let data = try #require(json["data"] as? [String: Any])
        #expect(data["sort_by"] as? String == "start_timestamp")
        #expect(data["sort_order"] as? String == "descending")
        #expect(data["returned_count"] as? Int == 20)
        let calls = try #require(data["calls"] as? [[String: Any]])
        let starts = calls.compactMap { $0["start_timestamp"] as? Int }
        #expect(starts == starts.sorted(by: >))
        #expect(calls.first?["transcript"] == nil)
    }

    @Test func filtersByStatusAgentAndTranscriptWords() throws {
        let fixture = try Fixture.get()
        let body = #"{"filter_criteria":{"call_status":["Ended","ended"],"agent_id":["agent-a"],"transcript_search":"  cafe REFUND "},"include_transcript":true,"limit":100}"#
        let response = try #require(try fixture.roundTrip(listRequest(body, credential: fixture.acmeReader)))
        #expect(response.status == 200)
        let data = try #require(response.json?["data"] as? [String: Any])
        let calls = try #require(data["calls"] as? [[String: Any]])
        // ENDED is index % 5 == 0, agent-a is even, refund transcript is index % 3 == 0 → index % 30 == 0.
        #expect(calls.map { $0["call_id"] as? String } == ["acme-0"])
        #expect((calls.first?["transcript"] as? String)?.contains("refund") == true)
        let applied = try #require(data["applied_filters"] as? [String: Any])
        #expect(applied["call_status"] as? [String] == ["ended"])
        #expect(applied["transcript_search"] as? String == "cafe REFUND")
    }

    @Test func invalidBodyIsA400NamingTheField() throws {
        let fixture = try Fixture.get()
        let cases: [(String, String)] = [
            (#"{"limit":0}"#, "limit"),
            (#"{"limit":1.0}"#, "limit"),
            (#"{"page":-1}"#, "page"),
            (#"{"filter_critera":{}}"#, "filter_critera"),
            (#"{"filter_criteria":{"call_status":["ended",3]}}"#, "filter_criteria.call_status[1]"),
            (#"{"limit":5,"limit":6}"#, "limit"),
            (#"{"filter_criteria":{"duration_ms":{"lower_threshold":10,"upper_threshold":5}}}"#, "duration_ms"),
        ]
        for (body, field) in cases {
            let response = try #require(try fixture.roundTrip(listRequest(body, credential: fixture.acmeReader)))
            #expect(response.status == 400, "\(body)")
            let json = try #require(response.json)
            #expect(json["status"] as? String == "error")
            #expect(json["error"] as? String == "invalid_request")
            #expect(json["data"] is NSNull)
            #expect((json["message"] as? String)?.contains(field) == true, "\(body) → \(json["message"] ?? "")")
        }
        let malformed = try #require(try fixture.roundTrip(listRequest("{\"limit\":", credential: fixture.acmeReader)))
        #expect(malformed.status == 400)
        #expect(malformed.json?["error"] as? String == "invalid_request")
    }

    @Test func pagesPastTheEndAreEmpty() throws {
        let fixture = try Fixture.get()
        let response = try #require(try fixture.roundTrip(listRequest(#"{"page":9223372036854775807,"limit":100}"#, credential: fixture.acmeReader)))
        #expect(response.status == 200)
        let data = try #require(response.json?["data"] as? [String: Any])
        #expect((data["calls"] as? [Any])?.isEmpty == true)
        let pagination = try #require(data["pagination"] as? [String: Any])
        #expect(pagination["has_next_page"] as? Bool == false)
        #expect(pagination["has_previous_page"] as? Bool == true)
        #expect(pagination["total_pages"] as? Int == 1)
    }
}
