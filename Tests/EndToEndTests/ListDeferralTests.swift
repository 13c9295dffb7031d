@testable import CallServer
import Testing

/// Which list bodies leave the event loop for a worker: any with an escape (a phrase's quotes are escaped) or
/// naming `include_transcript`, wherever they sit in the body; no others.
@Suite struct ListDeferralTests {
    @Test func escapesAndIncludeTranscriptDeferAndNothingElseDoes() {
        let slow = [
            #"{"include_transcript":true}"#,
            #"{"limit":5,"include_transcript":false}"#,
            #"{"filter_criteria":{"transcript_search":"\"thank you\""}}"#,
            #"{"filter_criteria":{"transcript_search":"\u0022a b\u0022"}}"#,
            #"include_transcript"#,
            #"{"sort_by":"call_duration","include_transcript":true}"#,
            #"{"a_":1,"include_transcript":true}"#,
            #"\"#,
        ]
        let quick = [
            "", "{}", #"{"limit":20}"#,
            #"{"limit":20,"filter_criteria":{"call_status":["ended"],"agent_id":["a_b"],"transcript_search":"refund order"}}"#,
            #"{"include_transcrip":true}"#, #"{"nclude_transcript":true}"#, "_", "include_", "_transcript",
            #"{"sort_by":"start_timestamp","sort_order":"desc"}"#,
        ]
        for body in slow { #expect(ListCallsHandler.mayBeSlow(Array(body.utf8)), "\(body)") }
        for body in quick { #expect(!ListCallsHandler.mayBeSlow(Array(body.utf8)), "\(body)") }
    }
}
