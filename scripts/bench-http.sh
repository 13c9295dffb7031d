#!/usr/bin/env bash
# Request throughput of the release server: wrk (1 thread, 64 keep-alive connections, pinned to
# core 1) against CallServer (pinned to core 0, so one event loop) on demo data, per workload:
#   health    GET /healthz                                     → 200
#   unauth    POST /api/calls without credentials              → 401
#   page      POST /api/calls {"limit":20}                      → 200
#   filtered  status + two agents + duration range + two-word transcript search, limit 20 → 200
#   deep      the 2,000th page of 50 ({"page":1999,...}: pages count from 0) → 200
# With --nginx, nginx runs on the same core with the same pinning, answering GET /healthz and
# POST /api/calls with a fixed body (a real 20-call page saved from our `page` workload), and the
# table shows its requests/s and our ratio to it, nginx's run made right after ours for each workload.
#
# Installs nothing. Environment: DURATION (wrk -d, default 10s), CALLS (demo calls, default
# 200000: two organizations of 100,000 each; the benchmark uses org-acme), SERVER_BIN (a CallServer
# binary to measure instead of building this tree's, e.g. an older build for an A/B comparison),
# SERVER_ARGS (more server options, e.g. "--metrics off" to measure what metrics cost).
set -euo pipefail
cd "$(dirname "$0")/.."

with_nginx=0
for arg in "$@"; do
    case "$arg" in
        --nginx) with_nginx=1 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $arg (usage: $0 [--nginx])" >&2; exit 2 ;;
    esac
done
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }
command -v taskset >/dev/null || { echo "taskset is not installed: apt-get install util-linux" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed: apt-get install curl" >&2; exit 2; }
nginx_bin=""
if [ "$with_nginx" = 1 ]; then
    nginx_bin="$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)"
    [ -n "$nginx_bin" ] || { echo "nginx is not installed: apt-get install nginx" >&2; exit 2; }
fi
[ "$(nproc --all)" -ge 2 ] || { echo "needs two cores (server on core 0, wrk on core 1)" >&2; exit 2; }

duration="${DURATION:-10s}"
calls="${CALLS:-200000}"
if [ -n "${SERVER_BIN:-}" ]; then
    bin="$SERVER_BIN"
else
    swift build -c release --product CallServer >/dev/null
    bin="$(swift build -c release --show-bin-path)/CallServer"
fi
work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

echo "starting CallServer with $calls demo calls (core 0)..." >&2
taskset -c 0 "$bin" --demo "$calls" --port 0 --data-dir "$work/data" --keys "$work/keys.json" --quiet \
    ${SERVER_ARGS:-} > "$work/out" 2> "$work/err" &
pids+=($!)
for _ in $(seq 1 3000); do
    grep -q "listening on" "$work/out" 2>/dev/null && break
    kill -0 "${pids[0]}" 2>/dev/null || { echo "CallServer exited:" >&2; cat "$work/err" >&2; exit 1; }
    sleep 0.1
done
address="$(grep -o 'listening on http://[^ ]*' "$work/out" | cut -d' ' -f3)"
[ -n "$address" ] || { echo "CallServer did not start in time" >&2; exit 1; }
# Startup leaves background work behind (the snapshot of the demo data, which begins a moment after
# the server starts listening): wait until the server has been idle (under 2% of a core) for three
# seconds in a row, at most 2 minutes, so that work does not land in the first workload.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
idle=0
for _ in $(seq 1 240); do
    before="$(cpu_ticks "${pids[0]}")"; sleep 0.5; after="$(cpu_ticks "${pids[0]}")"
    if [ $((after - before)) -le 1 ]; then idle=$((idle + 1)); else idle=0; fi
    [ "$idle" -ge 6 ] && break
done
credentials="$(grep 'org-acme:' "$work/out")"
export BENCH_KEY_ACME="$(sed -n 's/.*X-API-KEY: \([^ ]*\).*/\1/p' <<< "$credentials")"
export BENCH_SECRET_ACME="$(sed -n 's/.*X-API-SECRET: \([^ ]*\).*/\1/p' <<< "$credentials")"
[ -n "$BENCH_KEY_ACME" ] && [ -n "$BENCH_SECRET_ACME" ] || { echo "no demo credentials in: $(cat "$work/out")" >&2; exit 1; }

filtered='{"limit":20,"filter_criteria":{"call_status":["ended"],"agent_id":["agent-support-1","agent-billing"],"duration_ms":{"lower_threshold":30000,"upper_threshold":600000},"transcript_search":"refund order"}}'
deep='{"page":1999,"limit":50}'
# name | method | path | body | credentials (yes/no) | expected status
workloads=(
    "health|GET|/healthz||no|200"
    "unauth|POST|/api/calls|{\"limit\":20}|no|401"
    "page|POST|/api/calls|{\"limit\":20}|yes|200"
    "filtered|POST|/api/calls|$filtered|yes|200"
    "deep|POST|/api/calls|$deep|yes|200"
)

# One request with curl: the status must be the expected one, and a list must return calls.
check() {
    local base="$1" name="$2" method="$3" path="$4" body="$5" auth="$6" expect="$7" out="$8"
    local args=(-s -o "$out" -w '%{http_code}' -X "$method" "$base$path")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    [ "$auth" = yes ] && args+=(-H "X-API-KEY: $BENCH_KEY_ACME" -H "X-API-SECRET: $BENCH_SECRET_ACME")
    local status
    status="$(curl "${args[@]}")"
    [ "$status" = "$expect" ] || { echo "$name: expected $expect, got $status: $(head -c 300 "$out")" >&2; exit 1; }
    if [ "$auth" = yes ]; then
        python3 - "$out" "$name" <<'PY' || exit 1
import json, sys
data = json.load(open(sys.argv[1]))["data"]
if data["returned_count"] == 0:
    sys.exit(f"{sys.argv[2]}: the page is empty (total_count {data['pagination']['total_count']})")
PY
    fi
}

# Runs wrk for one workload; prints "rps p50 p99 unexpected requests".
measure() {
    local base="$1" method="$2" path="$3" body="$4" auth="$5" expect="$6"
    local key="" secret=""
    [ "$auth" = yes ] && { key="$BENCH_KEY_ACME"; secret="$BENCH_SECRET_ACME"; }
    BENCH_METHOD="$method" BENCH_PATH="$path" BENCH_BODY="$body" BENCH_KEY="$key" BENCH_SECRET="$secret" \
        BENCH_EXPECT="$expect" taskset -c 1 wrk -t1 -c64 -d"$duration" -s scripts/bench/request.lua "$base" \
        | sed -n 's/^RESULT //p'
}

if [ "$with_nginx" = 1 ]; then
    check "$address" page POST /api/calls '{"limit":20}' yes 200 "$work/page.json"
    page_bytes="$(wc -c < "$work/page.json")"
    # Served as a static file: POST to a file is a 405 in nginx, which error_page turns into the
    # file with 200 (the redirect is a GET), the usual way to make nginx answer POST with a fixed body.
    mkdir -p "$work/nginx/html/api"
    cp "$work/page.json" "$work/nginx/html/api/calls"
    printf '{"status":"ok"}' > "$work/nginx/html/healthz"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
    cat > "$work/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/tmp/body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;
    keepalive_requests 100000000;
    open_file_cache max=16;
    server {
        listen 127.0.0.1:$port;
        root $work/nginx/html;
        default_type application/json;
        location = /healthz { }
        location = /api/calls { error_page 405 =200 \$uri; }
    }
}
EOF
    echo "starting nginx on port $port (core 0), fixed body of $page_bytes bytes..." >&2
    taskset -c 0 "$nginx_bin" -p "$work/nginx" -e "$work/nginx/logs/error.log" -c "$work/nginx/nginx.conf" &
    pids+=($!)
    nginx_base="http://127.0.0.1:$port"
    for _ in $(seq 1 100); do curl -s -o /dev/null "$nginx_base/healthz" && break; sleep 0.05; done
    curl -s -X POST -H 'Content-Type: application/json' --data-binary '{"limit":20}' "$nginx_base/api/calls" > "$work/nginx-page.json"
    cmp -s "$work/page.json" "$work/nginx-page.json" || { echo "nginx does not answer the saved page byte for byte" >&2; exit 1; }
fi

# With --nginx, each workload is followed at once by nginx's counterpart (GET /healthz for health, the
# fixed page for the others), so each ratio compares runs made moments apart: on a shared 2-core VM the
# machine's speed drifts by tens of percent over a few minutes.
declare -A ours theirs
for spec in "${workloads[@]}"; do
    IFS='|' read -r name method path body auth expect <<< "$spec"
    check "$address" "$name" "$method" "$path" "$body" "$auth" "$expect" "$work/$name.json"
    echo "measuring $name ($duration)..." >&2
    ours[$name]="$(measure "$address" "$method" "$path" "$body" "$auth" "$expect")"
    # The same request again after the run: the status must not have changed under load.
    check "$address" "$name" "$method" "$path" "$body" "$auth" "$expect" "$work/$name.after.json"
    if [ "$with_nginx" = 1 ]; then
        if [ "$name" = health ]; then
            echo "measuring nginx GET /healthz ($duration)..." >&2
            theirs[$name]="$(measure "$nginx_base" GET /healthz "" no 200)"
        else
            echo "measuring nginx fixed page ($duration)..." >&2
            theirs[$name]="$(measure "$nginx_base" POST /api/calls '{"limit":20}' yes 200)"
        fi
    fi
done

echo
echo "CallServer, $calls demo calls (100,000 per organization at the default), wrk -t1 -c64 -d$duration"
if [ "$with_nginx" = 1 ]; then
    printf '%-9s %10s %9s %9s %11s   %-22s %10s %9s %7s\n' workload req/s p50_ms p99_ms unexpected "nginx (same core)" req/s p99_ms ours/ng
else
    printf '%-9s %10s %9s %9s %11s\n' workload req/s p50_ms p99_ms unexpected
fi
for spec in "${workloads[@]}"; do
    IFS='|' read -r name _ <<< "$spec"
    read -r rps p50 p99 unexpected _ <<< "${ours[$name]}"
    if [ "$with_nginx" = 1 ]; then
        # health compares with nginx's fixed /healthz, every API workload with its fixed 20-call page.
        label="POST fixed page"
        [ "$name" = health ] && label="GET /healthz"
        read -r nrps _ np99 _ _ <<< "${theirs[$name]}"
        ratio="$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
        printf '%-9s %10s %9s %9s %11s   %-22s %10s %9s %7s\n' "$name" "$rps" "$p50" "$p99" "$unexpected" "$label" "$nrps" "$np99" "$ratio"
    else
        printf '%-9s %10s %9s %9s %11s\n' "$name" "$rps" "$p50" "$p99" "$unexpected"
    fi
done
