#!/usr/bin/env bash
# Black-box run against a real CallServer binary.
#
# Usage: scripts/blackbox/run.sh [SERVER_BINARY]   (default: .build/debug/CallServer)
# Environment: BLACKBOX_CALLS (dataset size, 3000), BLACKBOX_REQUESTS (random list
# requests, 3000), BLACKBOX_WRITES (random writes interleaved with lists, 100),
# BLACKBOX_SEED (1).
#
# Makes a temporary directory, generates the dataset, creates keys with the server's own
# CLI, starts the server on an ephemeral port and waits for its ready line, runs
# test_model.py (offline), conformance.py, api_diff.py and key_reload.py, then
# conformance.py --shutdown-pid, which stops the server with SIGTERM (expecting 503 on
# open connections); checks that the server exits 0, cleans up, and prints a final `N passed, N failed` summing everything.  Exits
# non-zero when anything failed.
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${1:-$ROOT/.build/debug/CallServer}"
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
CALLS="${BLACKBOX_CALLS:-3000}"
REQUESTS="${BLACKBOX_REQUESTS:-3000}"
SEED="${BLACKBOX_SEED:-1}"
WRITES="${BLACKBOX_WRITES:-100}"
READY_TIMEOUT=120
STOP_TIMEOUT=15

WORK="$(mktemp -d)"
SERVER_PID=""
PASSED=0
FAILED=0

cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -KILL "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

die() {
    echo "blackbox: $*" >&2
    if [ -s "$WORK/server.err" ]; then
        echo "--- server stderr (last 30 lines) ---" >&2
        tail -n 30 "$WORK/server.err" >&2
    fi
    echo "$PASSED passed, $((FAILED + 1)) failed"
    exit 1
}

# Adds the counts of a log's final `N passed, N failed` line (a missing line is a failure).
add_counts() {
    local line
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)"
    if [ -z "$line" ]; then
        echo "blackbox: $2 printed no summary line" >&2
        FAILED=$((FAILED + 1))
        return
    fi
    PASSED=$((PASSED + $(echo "$line" | cut -d' ' -f1)))
    FAILED=$((FAILED + $(echo "$line" | cut -d' ' -f3)))
}

[ -x "$BIN" ] || die "no server binary at $BIN"

echo "=== test_model.py (offline) ==="
if python3 "$HERE/test_model.py" >"$WORK/test_model.log" 2>&1; then
    PASSED=$((PASSED + 1))
else
    echo "FAIL the reference model's own unit checks"
    cat "$WORK/test_model.log"
    FAILED=$((FAILED + 1))
fi

python3 "$HERE/gen_data.py" --count "$CALLS" --out "$WORK/calls.ndjson" || die "gen_data.py failed"

create_key() {
    local out
    out="$("$BIN" keys create --org "$1" "${@:2}" --keys "$WORK/keys.json")" \
        || die "keys create --org $1 failed"
    printf '%s\n' "$out" >> "$WORK/credentials.ndjson"
}
for org in org-alpha org-beta org-gamma org-empty; do
    create_key "$org" --scope calls:read
done
create_key org-alpha --scope calls:write

# Starts the server and waits for its ready line (polling the output file, no fixed
# sleep).  Sets SERVER_PID and PORT; returns 1 when the server exits before it is ready.
start_server() {
    rm -rf "$WORK/data"
    # Run from $WORK so that anything the server writes beside itself (./data) stays there.
    (cd "$WORK" && exec "$BIN" --host 127.0.0.1 --port 0 --keys "$WORK/keys.json" \
        --import "$WORK/calls.ndjson" --quiet >"$WORK/server.out" 2>"$WORK/server.err") &
    SERVER_PID=$!
    PORT=""
    local start=$SECONDS
    while [ -z "$PORT" ]; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            wait "$SERVER_PID"
            echo "FAIL server exited with status $? before its ready line"
            grep -m 3 -E 'crashed|Fatal error|CallServer' "$WORK/server.err" | head -n 3
            grep -m 1 -E ' in CallServer at ' "$WORK/server.err"
            SERVER_PID=""
            return 1
        fi
        [ $((SECONDS - start)) -lt "$READY_TIMEOUT" ] || die "no ready line within ${READY_TIMEOUT}s"
        PORT="$(sed -n 's#^CallServer listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$#\1#p' \
            "$WORK/server.out" | head -n 1)"
        [ -n "$PORT" ] || sleep 0.05
    done
}

# No updated_timestamp the server gives may be earlier than this (api_diff.py checks).
SINCE_MS="$(date +%s%3N)"
# A crash at startup is a failure; retry twice so that the rest still runs.
for attempt in 1 2 3; do
    start_server && break
    FAILED=$((FAILED + 1))
    [ "$attempt" -lt 3 ] || die "the server never became ready"
done
echo "blackbox: server ready on port $PORT"

echo "=== conformance.py ==="
python3 "$HERE/conformance.py" --host 127.0.0.1 --port "$PORT" \
    --keys "$WORK/credentials.ndjson" | tee "$WORK/conformance.log"
add_counts "$WORK/conformance.log" conformance.py

echo "=== api_diff.py ==="
python3 "$HERE/api_diff.py" --base "http://127.0.0.1:$PORT" --data "$WORK/calls.ndjson" \
    --keys "$WORK/credentials.ndjson" --requests "$REQUESTS" --seed "$SEED" \
    --writes "$WRITES" --single-call --since-ms "$SINCE_MS" \
    | tee "$WORK/api_diff.log"
add_counts "$WORK/api_diff.log" api_diff.py

echo "=== key_reload.py ==="
python3 "$HERE/key_reload.py" --base "http://127.0.0.1:$PORT" --server "$BIN" \
    --keys-file "$WORK/keys.json" --credentials "$WORK/credentials.ndjson" \
    | tee "$WORK/key_reload.log"
add_counts "$WORK/key_reload.log" key_reload.py

echo "=== shutdown (conformance.py --shutdown-pid sends SIGTERM) ==="
python3 "$HERE/conformance.py" --host 127.0.0.1 --port "$PORT" \
    --keys "$WORK/credentials.ndjson" --shutdown-pid "$SERVER_PID" | tee "$WORK/shutdown.log"
add_counts "$WORK/shutdown.log" "conformance.py --shutdown-pid"
START=$SECONDS
while kill -0 "$SERVER_PID" 2>/dev/null && [ $((SECONDS - START)) -lt "$STOP_TIMEOUT" ]; do
    sleep 0.05
done
if kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "FAIL server still running ${STOP_TIMEOUT}s after SIGTERM"
    FAILED=$((FAILED + 1))
else
    wait "$SERVER_PID"
    STATUS=$?
    SERVER_PID=""
    if [ "$STATUS" -eq 0 ]; then
        PASSED=$((PASSED + 1))
    else
        echo "FAIL server exited with status $STATUS after SIGTERM"
        tail -n 30 "$WORK/server.err"
        FAILED=$((FAILED + 1))
    fi
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
