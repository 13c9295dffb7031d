#!/usr/bin/env python3
"""Check that a running CallServer picks up key changes without a restart (API.md, "Keys").

Creates a key with the server's CLI while the server runs and waits until it works,
then revokes it and waits until it is refused (401), while an existing key keeps
working.  API.md: "a revoked key stops working within a second or two".

Usage: key_reload.py --base http://127.0.0.1:PORT --server BIN --keys-file keys.json
                     --credentials credentials.ndjson [--org org-beta]
Prints failures and a final line `N passed, N failed`; exits 1 on any failure.
"""

import argparse
import http.client
import json
import subprocess
import sys
import time
import urllib.parse

DEADLINE_SECONDS = 2.5


def list_status(base, cred):
    """Status of an empty-body POST /api/calls with these credentials."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request("POST", "/api/calls", b"", {"X-API-KEY": cred["key"],
                                                 "X-API-SECRET": cred["secret"]})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def wait_for_status(base, cred, status, seconds=DEADLINE_SECONDS):
    """Poll until the credentials get `status`; return the seconds it took, or None."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if list_status(base, cred) == status:
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def cli(server, *args):
    """Run the server's CLI; return its stdout (raises on failure)."""
    return subprocess.run([server, *args], check=True, capture_output=True, text=True).stdout


def main(argv=None):
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--server", required=True, help="the CallServer binary (for its CLI)")
    parser.add_argument("--keys-file", required=True, help="the keys file the server watches")
    parser.add_argument("--credentials", required=True, help="NDJSON of existing keys")
    parser.add_argument("--org", default="org-beta")
    args = parser.parse_args(argv)

    with open(args.credentials, encoding="utf-8") as handle:
        existing = [json.loads(line) for line in handle if line.strip()]
    old = next(c for c in existing if "calls:read" in c["scopes"])
    results = []
    new = json.loads(cli(args.server, "keys", "create", "--org", args.org, "--scope",
                         "calls:read", "--keys", args.keys_file))
    took = wait_for_status(args.base, new, 200)
    results.append(("a key created while running works within %.1f s" % DEADLINE_SECONDS,
                    took is not None, took))
    cli(args.server, "keys", "revoke", new["key"], "--keys", args.keys_file)
    took = wait_for_status(args.base, new, 401)
    results.append(("a revoked key is refused (401) within %.1f s" % DEADLINE_SECONDS,
                    took is not None, took))
    results.append(("an untouched key keeps working after the reloads",
                    list_status(args.base, old) == 200, None))
    failed = 0
    for name, ok, took in results:
        if not ok:
            failed += 1
            print("FAIL %s" % name)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
