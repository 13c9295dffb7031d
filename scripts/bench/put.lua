-- wrk script: every request PUTs a fresh call (unique call_id per connection and request).
local counter = 0
local prefix = ""

function setup(thread)
  thread:set("id", tostring(math.random(1, 1000000000)))
end

function init(args)
  prefix = "bench-" .. id .. "-"
end

local body = '{"agent_id":"agent-bench","call_status":"ENDED","call_type":"PHONE_CALL","direction":"INBOUND",' ..
  '"from_number":"+15551234567","to_number":null,"start_timestamp":1700000000000,"end_timestamp":1700000060000,' ..
  '"transcript":"hello this is a benchmark call about a refund"}'

function request()
  counter = counter + 1
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["X-API-KEY"] = os.getenv("CALLSERVER_BENCH_KEY")
  headers["X-API-SECRET"] = os.getenv("CALLSERVER_BENCH_SECRET")
  return wrk.format("PUT", "/api/calls/" .. prefix .. counter, headers, body)
end

function done(summary, latency, requests)
  local ok = summary.requests - summary.errors.status - summary.errors.connect - summary.errors.read - summary.errors.write - summary.errors.timeout
  io.write(string.format("acknowledged writes: %d in %.1f s = %.0f/s (non-2xx: %d)\n",
    ok, summary.duration / 1e6, ok / (summary.duration / 1e6), summary.errors.status))
  io.write(string.format("latency p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
