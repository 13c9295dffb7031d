#!/usr/bin/env bash
# Coverage-guided fuzzing of the code that reads hostile bytes: builds the libFuzzer targets (Fuzz/<Target>/, with
# -sanitize=fuzzer,address, in .build-fuzz) and runs each for SECONDS, one after another, from a working copy of
# its committed corpus (Fuzz/Corpus/<name>/), so runs never change the git tree. Any crash, failed invariant,
# hang, leak or out-of-memory fails the run; with `all` every target still runs, and every failure is reported at
# the end with the target's name and the input (path, hex, base64).
#
# Usage: scripts/fuzz.sh TARGET|all SECONDS     (TARGET: a name below)
# Reproduce a failure: the printed command runs the target on the saved input once.
set -euo pipefail
cd "$(dirname "$0")/.."

# name               executable target (Fuzz/<target>/<target>.swift; seeds in Fuzz/Corpus/<name>/, tokens in
#                    Fuzz/Corpus/<name>.dict when there is one)
TARGETS=(
    "http-parser       FuzzHTTPParser"
    "chunked           FuzzChunked"
    "list-request      FuzzListRequest"
    "transcript-query  FuzzTranscriptQuery"
    "call-record       FuzzCallRecord"
    "json              FuzzJSON"
    "snapshot          FuzzSnapshot"
    "journal           FuzzJournal"
)

usage() {
    echo "usage: $0 TARGET|all SECONDS" >&2
    echo "targets: $(for entry in "${TARGETS[@]}"; do set -- $entry; printf '%s ' "$1"; done)" >&2
    exit 2
}
[ $# -eq 2 ] || usage
which="$1"
seconds="$2"
[[ "$seconds" =~ ^[0-9]+$ ]] || usage

selected=()
products=()
for entry in "${TARGETS[@]}"; do
    set -- $entry
    products+=("$2")
    if [ "$which" = all ] || [ "$which" = "$1" ]; then selected+=("$entry"); fi
done
[ ${#selected[@]} -gt 0 ] || usage

# Package.swift declares the fuzz targets only when this names them; always all of them, so switching between
# one target and `all` does not change the package graph.
export CALLSERVER_FUZZ_TARGETS="${products[*]}"
scratch=.build-fuzz
build_flags=(--scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address)
# The Swift runtime's crash backtracer would hold the run's output open after libFuzzer has reported; libFuzzer
# and AddressSanitizer print the stack themselves.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
if symbolizer="$(command -v llvm-symbolizer)"; then export ASAN_SYMBOLIZER_PATH="$symbolizer"; fi

mkdir -p "$scratch/logs"
failures=()
started=$SECONDS
for entry in "${selected[@]}"; do
    set -- $entry
    name="$1"
    product="$2"
    echo "== fuzz $name ($product): building"
    build_start=$SECONDS
    if ! swift build "${build_flags[@]}" --product "$product" >"$scratch/logs/$name.build.log" 2>&1; then
        grep -v "Cannot export local symbol" "$scratch/logs/$name.build.log" | tail -40
        failures+=("$name: the build failed (log: $scratch/logs/$name.build.log)")
        continue
    fi
    binary="$(swift build "${build_flags[@]}" --show-bin-path)/$product"
    echo "   built in $((SECONDS - build_start)) s"

    corpus="$scratch/corpus/$name"
    artifacts="$scratch/artifacts/$name"
    mkdir -p "$corpus" "$artifacts"
    rm -f "$artifacts"/*
    if [ -d "Fuzz/Corpus/$name" ]; then cp -R "Fuzz/Corpus/$name/." "$corpus/"; fi
    log="$scratch/logs/$name.log"
    # A dictionary of the grammar's tokens, when the target has one, helps mutations reach deep paths sooner.
    dictionary=()
    if [ -f "Fuzz/Corpus/$name.dict" ]; then dictionary=(-dict="Fuzz/Corpus/$name.dict"); fi

    echo "   running for $seconds s"
    run_start=$SECONDS
    status=0
    # -timeout: seconds one input may take before it counts as a hang; -rss_limit_mb also limits single mallocs.
    "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1 \
        "${dictionary[@]}" -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || status=$?
    stats="$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)"
    echo "   ran $((SECONDS - run_start)) s, ${stats:-?} inputs, exit status $status"
    if [ "$status" -ne 0 ]; then
        grep -vE '^(#[0-9]+|INFO:|MS:|\s+NEW_FUNC)|Cannot export local symbol' "$log" | tail -60 | sed 's/^/   | /'
        found=0
        for input in "$artifacts"/*; do
            [ -f "$input" ] || continue
            found=1
            failures+=("$name: $(basename "$input" | cut -d- -f1) on input $input
      hex:    $(od -An -tx1 -v "$input" | tr -d ' \n' | cut -c1-4096)
      base64: $(base64 -w0 "$input" | cut -c1-4096)
      reproduce: CALLSERVER_FUZZ_TARGETS='${products[*]}' swift build ${build_flags[*]} --product $product && $binary $input")
        done
        if [ "$found" -eq 0 ]; then failures+=("$name: exit status $status without a saved input (log: $log)"); fi
    fi
done

echo "== fuzz: ${#selected[@]} target(s) in $((SECONDS - started)) s"
if [ ${#failures[@]} -gt 0 ]; then
    echo "== fuzz: ${#failures[@]} failure(s):"
    for failure in "${failures[@]}"; do echo "  - $failure"; done
    exit 1
fi
echo "== fuzz: no failures"
