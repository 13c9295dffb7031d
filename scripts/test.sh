#!/usr/bin/env bash
# Runs every test: the import-direction, doc-name and file-name checks, the Swift suites (unit and end-to-end, warnings are errors), then the black-box
# HTTP conformance and API-model runs against the freshly built server, then the crash and damage trials, then the
# reference clients (MCP SDK, FastMCP, schemathesis, the OpenAPI validator, the Prometheus parser) against
# the release server, from pinned PyPI packages in a virtual environment of their own, then a short fuzzing run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Which way the modules' imports run (CallCore and HTTPKit never meet; every target imports only what it lists).
python3 scripts/check-imports.py
# Every path, file and type docs/architecture.md names (and README's Sources/ paths) still exists.
python3 scripts/check-doc-names.py
# Every top-level type in Sources/ lives in a file its name covers.
python3 scripts/check-file-names.py
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build

server="$(swift build --show-bin-path)/CallServer"
if [ -f scripts/blackbox/run.sh ]; then
    bash scripts/blackbox/run.sh "$server"
fi
python3 scripts/crash/crash_test.py "$server" --trials 5 --writers 8
python3 scripts/crash/damage_trials.py "$server" --trials 50

swift build -c release --product CallServer -Xswiftc -warnings-as-errors
bash scripts/clients/run.sh "$(swift build -c release --show-bin-path)/CallServer"

# Coverage-guided fuzzing of the parsers and decoders, about 20 s per target (README: Fuzzing).
bash scripts/fuzz.sh all 20
