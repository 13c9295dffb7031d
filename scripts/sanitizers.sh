#!/usr/bin/env bash
# Runs the Swift test suite under AddressSanitizer, then ThreadSanitizer, each in a build folder of its own
# (.build-asan, .build-tsan), and fails on any report. Usage: scripts/sanitizers.sh [address|thread]...
# (default: both). Extra arguments after `--` go to `swift test` (e.g. `-- --filter ChangeLog`).
set -euo pipefail
cd "$(dirname "$0")/.."

kinds=()
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        address|thread) kinds+=("$1") ;;
        --) shift; extra=("$@"); break ;;
        *) echo "usage: $0 [address|thread]... [-- swift test arguments]" >&2; exit 2 ;;
    esac
    shift
done
[ ${#kinds[@]} -gt 0 ] || kinds=(address thread)

status=0
for kind in "${kinds[@]}"; do
    scratch=".build-${kind/address/asan}"
    scratch="${scratch/thread/tsan}"
    log="$(mktemp)"
    # Each instrumented process (the test runner and every server it starts) writes its reports to a file of its
    # own here: a child server's stderr goes to a pipe a test may never read.
    reports="$(mktemp -d)"
    echo "== swift test --sanitize=$kind (build folder $scratch)" >&2
    # halt_on_error makes the first report end the process that made it.
    if ! ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:log_path=$reports/report" \
        TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan-suppressions.txt:log_path=$reports/report" \
        swift test --sanitize="$kind" --scratch-path "$scratch" ${extra[@]+"${extra[@]}"} > "$log" 2>&1; then
        status=1
    fi
    if compgen -G "$reports/report.*" > /dev/null; then
        status=1
        for report in "$reports"/report.*; do
            echo "-- $report" >&2
            head -60 "$report" >&2
        done
    fi
    tail -3 "$log" >&2
    [ "$status" = 0 ] || { echo "== $kind: FAILED (full log: $log, reports: $reports)" >&2; continue; }
    echo "== $kind: no reports" >&2
    rm -rf "$log" "$reports"
done
exit "$status"
