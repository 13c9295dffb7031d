#!/usr/bin/env bash
# Runs every test: the Swift suites (unit and end-to-end, warnings are errors), then the black-box
# HTTP conformance and API-model runs against the freshly built server.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build

if [ -f scripts/blackbox/run.sh ]; then
    bash scripts/blackbox/run.sh "$(swift build --show-bin-path)/CallServer"
fi
