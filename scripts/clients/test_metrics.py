"""GET /metrics as Prometheus's own Python client parses it: every family API.md lists, with its type, and a
request counter that moves by exactly the requests made."""

import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from callserver import CallServer, binary

# Family names as the parser reports them: a counter's `_total` is its samples' suffix, not part of its name.
FAMILIES = {
    "callserver_http_requests": "counter",
    "callserver_http_request_duration_seconds": "histogram",
    "callserver_open_connections": "gauge",
    "callserver_calls": "gauge",
    "callserver_writes": "counter",
    "callserver_journal_bytes": "gauge",
    "callserver_journal_fsync_duration_seconds": "histogram",
    "callserver_refused": "counter",
    "callserver_slow_queue_depth": "gauge",
    "process_resident_memory_bytes": "gauge",
    "process_open_fds": "gauge",
    "process_cpu_seconds": "counter",
    "process_start_time_seconds": "gauge",
}
REASONS = {"connection_limit", "body_budget", "slow_queue", "rate_limit", "timeout"}


def scrape(server):
    with urllib.request.urlopen(server.base_url + "/metrics", timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        return {family.name: family for family in text_string_to_metric_families(response.read().decode())}


def requests_total(families, route, method, status):
    return sum(
        sample.value
        for sample in families["callserver_http_requests"].samples
        if sample.name == "callserver_http_requests_total"
        and sample.labels == {"route": route, "method": method, "status": status}
    )


def test_every_listed_family_is_present_with_its_type(server):
    families = scrape(server)
    for name, kind in FAMILIES.items():
        assert name in families, name
        assert families[name].type == kind, name
    reasons = {s.labels["reason"] for s in families["callserver_refused"].samples if s.name == "callserver_refused_total"}
    assert reasons == REASONS
    assert families["callserver_calls"].samples[0].value == len(server.calls)


def test_the_list_counter_moves_by_the_requests_made(server):
    before = requests_total(scrape(server), "/api/calls", "POST", "200")
    for _ in range(7):
        status, _, _ = server.request("POST", "/api/calls", {"limit": 1}, server.writer.headers)
        assert status == 200
    after = scrape(server)
    assert requests_total(after, "/api/calls", "POST", "200") - before == 7
    # Histograms parse as histograms: cumulative buckets ending in +Inf, whose count is `_count`.
    samples = after["callserver_http_request_duration_seconds"].samples
    buckets = [s for s in samples if s.name.endswith("_bucket") and s.labels["route"] == "/api/calls"]
    counts = [s.value for s in buckets]
    assert counts == sorted(counts) and buckets[-1].labels["le"] == "+Inf"
    (count,) = [s.value for s in samples if s.name.endswith("_count") and s.labels["route"] == "/api/calls"]
    assert count == counts[-1] >= 7


def test_raw_paths_never_become_labels(server):
    server.request("GET", "/no-such-route-7f3a", None, {})
    families = scrape(server)
    routes = {s.labels.get("route") for s in families["callserver_http_requests"].samples}
    assert "unmatched" in routes
    assert all(route == "unmatched" or route.startswith("/") and "7f3a" not in route for route in routes)


def test_metrics_off_is_a_404():
    running = CallServer(binary(), extra_args=["--metrics", "off"], count=5)
    try:
        status, _, body = running.request("GET", "/metrics")
        assert status == 404
        assert body["error"] == "not_found"
    finally:
        running.stop()
