@testable import HTTPKit
import Testing

/// The Prometheus text format as scrapers parse it: escaping, histograms, and the loops' counters summed.
@Suite struct MetricsExpositionTests {
    @Test func helpTextAndLabelValuesAreEscaped() {
        var text = PrometheusText()
        text.family("x_total", .counter, help: "a \\ b\nc \"d\"")
        text.sample("x_total", UInt64(3), labels: ["path": "a\"b\\c\nd"])
        #expect(text.text == """
            # HELP x_total a \\\\ b\\nc "d"
            # TYPE x_total counter
            x_total{path="a\\"b\\\\c\\nd"} 3

            """)
    }

    @Test func histogramBucketsAreCumulativeAndEndWithInfinity() {
        var text = PrometheusText()
        text.histogram("d_seconds", labels: ["route": "/r"], bounds: [0.1, 1], counts: [2, 3, 4], sum: 7.5)
        #expect(text.text == """
            d_seconds_bucket{route="/r",le="0.1"} 2
            d_seconds_bucket{route="/r",le="1.0"} 5
            d_seconds_bucket{route="/r",le="+Inf"} 9
            d_seconds_sum{route="/r"} 7.5
            d_seconds_count{route="/r"} 9

            """)
    }

    @Test func countersOfEveryLoopAreSummedWhenScraped() {
        let first = LoopMetrics(routeCount: 3)
        let second = LoopMetrics(routeCount: 3)
        let post = MetricLabels.methodSlot("POST")
        for _ in 0..<3 { first.countRequest(route: 1, method: post, status: 200, nanoseconds: 150_000) }
        for _ in 0..<2 { second.countRequest(route: 1, method: post, status: 200, nanoseconds: 3_000_000) }
        second.countRequest(route: 0, method: MetricLabels.methodSlot("BREW"), status: 404, nanoseconds: 20_000_000_000)
        first.countRefusal(.timeout)
        second.countRefusal(.timeout)
        second.countRefusal(.connectionLimit)
        let metrics = HTTPMetrics()
        metrics.attach(routeLabels: ["unmatched", "/a", "/b/{id}"], loops: [first, second], core: nil)
        metrics.countRateLimited()
        var text = PrometheusText()
        metrics.write(to: &text)
        let lines = Set(text.text.split(separator: "\n").map(String.init))

        #expect(lines.contains(#"callserver_http_requests_total{route="/a",method="POST",status="200"} 5"#))
        #expect(lines.contains(#"callserver_http_requests_total{route="unmatched",method="other",status="404"} 1"#))
        #expect(!text.text.contains("BREW"))
        #expect(text.text.components(separatedBy: "callserver_http_requests_total{").count == 3)
        // 150 µs falls in the 250 µs bucket, 3 ms in the 5 ms one; buckets are cumulative.
        #expect(lines.contains(#"callserver_http_request_duration_seconds_bucket{route="/a",le="0.0001"} 0"#))
        #expect(lines.contains(#"callserver_http_request_duration_seconds_bucket{route="/a",le="0.00025"} 3"#))
        #expect(lines.contains(#"callserver_http_request_duration_seconds_bucket{route="/a",le="0.0025"} 3"#))
        #expect(lines.contains(#"callserver_http_request_duration_seconds_bucket{route="/a",le="0.005"} 5"#))
        #expect(lines.contains(#"callserver_http_request_duration_seconds_count{route="/a"} 5"#))
        #expect(lines.contains(#"callserver_http_request_duration_seconds_sum{route="/a"} 0.00645"#))
        // 20 s is past the last bound: only `+Inf` holds it.
        #expect(lines.contains(#"callserver_http_request_duration_seconds_bucket{route="unmatched",le="10.0"} 0"#))
        #expect(lines.contains(#"callserver_http_request_duration_seconds_bucket{route="unmatched",le="+Inf"} 1"#))
        #expect(lines.contains(#"callserver_http_request_duration_seconds_count{route="/b/{id}"} 0"#))
        #expect(lines.contains(#"callserver_refused_total{reason="timeout"} 2"#))
        #expect(lines.contains(#"callserver_refused_total{reason="connection_limit"} 1"#))
        #expect(lines.contains(#"callserver_refused_total{reason="rate_limit"} 1"#))
        #expect(lines.contains(#"callserver_refused_total{reason="body_budget"} 0"#))
        #expect(lines.contains(#"callserver_refused_total{reason="slow_queue"} 0"#))
    }

    @Test func durationsFallInTheFirstBucketWhoseBoundTheyDoNotExceed() {
        let bounds = MetricLabels.durationBounds
        for (slot, bound) in bounds.enumerated() {
            #expect(MetricLabels.durationSlot(bound) == slot)
            #expect(MetricLabels.durationSlot(bound + 1) == slot + 1)
        }
        #expect(MetricLabels.durationSlot(0) == 0)
        #expect(MetricLabels.durationSlot(.max) == bounds.count)
    }

    @Test func everyMethodOutsideTheServersListIsOther() {
        for (slot, method) in MetricLabels.methods.enumerated() where method != "other" {
            #expect(MetricLabels.methodSlot(method) == slot)
        }
        for method in ["get", "BREW", "PROPFIND", "", "GET "] {
            #expect(MetricLabels.methods[MetricLabels.methodSlot(method)] == "other")
        }
    }

    @Test func routesAreLabelledByPatternInRegistrationOrder() {
        struct Nothing: HTTPHandler {
            func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission { HTTPAdmission(maxBodyBytes: 0) }
            func respond(to request: HTTPRequest) throws -> HTTPResponse { HTTPResponse(status: 204) }
        }
        var router = HTTPRouter()
        router.add("POST", "/api/calls", Nothing())
        router.add("GET", "/api/calls/{call_id}", Nothing())
        router.add("DELETE", "/api/calls/{call_id}", Nothing())
        #expect(router.routeLabels == ["unmatched", "/api/calls", "/api/calls/{call_id}"])
        guard case .handler(let route, _, _) = router.resolve(method: "DELETE", path: "/api/calls/abc") else {
            Issue.record("no route")
            return
        }
        #expect(route.labelIndex == 2)
        #expect(router.labelIndex(path: "/api/calls/abc") == 2)
        #expect(router.labelIndex(path: "/api/calls") == 1)
        #expect(router.labelIndex(path: "/elsewhere") == 0)
    }
}
