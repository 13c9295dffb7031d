#!/usr/bin/env bash
# Durable write throughput: 64 keep-alive connections PUT fresh calls for 10 s against the release
# server (fsync on, fresh data dir). Installs nothing: needs `wrk` (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }
swift build -c release --product CallServer >/dev/null
bin="$(swift build -c release --show-bin-path)/CallServer"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
created="$("$bin" keys create --org org-bench --scope calls:write --keys "$work/keys.json")"
export CALLSERVER_BENCH_KEY="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["key"])' "$created")"
export CALLSERVER_BENCH_SECRET="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["secret"])' "$created")"
"$bin" --port 0 --keys "$work/keys.json" --data-dir "$work/data" --quiet > "$work/out" 2> "$work/err" &
pid=$!
for _ in $(seq 1 200); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.05; done
port="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/out" | cut -d: -f3)"
wrk -t1 -c64 -d"${DURATION:-10s}" -s scripts/bench/put.lua "http://127.0.0.1:$port/" | tail -2
# A clean stop logs how many group commits (flushes) carried the acknowledged writes.
kill -TERM "$pid"
wait "$pid" || true
grep "journal:" "$work/err" || true
