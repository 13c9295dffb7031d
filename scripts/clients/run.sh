#!/usr/bin/env bash
# Runs the reference-client suites (scripts/clients/test_*.py) against a CallServer binary.
#
# Usage: scripts/clients/run.sh [SERVER_BINARY]   (default: .build/release/CallServer)
# Environment: CLIENTS_VENV (the virtual environment, default .venv-clients at the top of the checkout; made
# and filled from requirements.txt when missing or out of date), and any pytest arguments after the binary.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${1:-$ROOT/.build/release/CallServer}"
shift || true
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
[ -x "$BIN" ] || { echo "clients: no server binary at $BIN" >&2; exit 1; }

VENV="${CLIENTS_VENV:-$ROOT/.venv-clients}"
STAMP="$VENV/.requirements"
if ! cmp -s "$HERE/requirements.txt" "$STAMP" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
    cp "$HERE/requirements.txt" "$STAMP"
fi

cd "$HERE"
CALLSERVER_BIN="$BIN" exec "$VENV/bin/python" -m pytest -p no:cacheprovider -q "$@" .
