-- wrk script: one fixed request, described by the environment (set by scripts/bench-http.sh):
-- BENCH_METHOD, BENCH_PATH, BENCH_BODY, BENCH_KEY/BENCH_SECRET (credentials, optional) and
-- BENCH_EXPECT (the status every response should have). No request()/response() callbacks, so
-- wrk formats the request once and Lua stays off the measured path.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.path = os.getenv("BENCH_PATH") or "/"
local body = os.getenv("BENCH_BODY") or ""
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
local key = os.getenv("BENCH_KEY") or ""
if key ~= "" then
  wrk.headers["X-API-KEY"] = key
  wrk.headers["X-API-SECRET"] = os.getenv("BENCH_SECRET") or ""
end
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")

function done(summary, latency, requests)
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  -- wrk only counts responses with a status of 400 or more (errors.status); a workload that
  -- expects such a status counts the others as unexpected.
  local unexpected
  if expect >= 400 then
    unexpected = summary.requests - e.status + socket
  else
    unexpected = e.status + socket
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %.0f %.3f %.3f %d %d\n", summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, unexpected, summary.requests))
end
