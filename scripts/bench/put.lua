-- wrk script: every request PUTs a fresh call (unique call_id per connection and request).
local counter = 0
local prefix = ""

function setup(thread)
  thread:set("id", tostring(math.random(1, 1000000000)))
end

function init(args)
  prefix = "bench-" .. id .. "-"
end

-- Calls as a pipeline writes them: each with its own start time (spread over about a year), duration,
-- agent and number, so the store's orders see distinct values rather than one value repeated.
local agents = {"agent-sales-1", "agent-sales-2", "agent-support-1", "agent-support-2", "agent-billing-1"}

local function body()
  local start = 1700000000000 + math.random(0, 31536000) * 1000
  local finish = start + math.random(5, 900) * 1000
  return string.format('{"agent_id":"%s","call_status":"ENDED","call_type":"PHONE_CALL","direction":"INBOUND",' ..
    '"from_number":"+1555%07d","to_number":null,"start_timestamp":%d,"end_timestamp":%d,' ..
    '"transcript":"hello this is a benchmark call about a refund"}',
    agents[math.random(1, #agents)], math.random(0, 9999999), start, finish)
end

function request()
  counter = counter + 1
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["X-API-KEY"] = os.getenv("CALLSERVER_BENCH_KEY")
  headers["X-API-SECRET"] = os.getenv("CALLSERVER_BENCH_SECRET")
  return wrk.format("PUT", "/api/calls/" .. prefix .. counter, headers, body())
end

function done(summary, latency, requests)
  local ok = summary.requests - summary.errors.status - summary.errors.connect - summary.errors.read - summary.errors.write - summary.errors.timeout
  io.write(string.format("acknowledged writes: %d in %.1f s = %.0f/s (non-2xx: %d)\n",
    ok, summary.duration / 1e6, ok / (summary.duration / 1e6), summary.errors.status))
  io.write(string.format("latency p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
