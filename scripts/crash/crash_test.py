#!/usr/bin/env python3
"""Crash trials: concurrent writers, SIGKILL at a random moment, restart on the same data dir.

Every write answered 2xx must be served unchanged after the restart; every write answered 4xx
must be absent (its call_id is never written successfully by anyone else); writes cut off by the
kill may or may not be there, but if there, exactly as sent. Standard library only.

Usage: crash_test.py SERVER_BINARY [--trials N] [--writers N] [--seed S]
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time


def start_server(binary, workdir):
    """Starts the server on an ephemeral port in workdir; returns (process, port)."""
    proc = subprocess.Popen(
        [binary, "--host", "127.0.0.1", "--port", "0", "--keys", "keys.json", "--data-dir", "data", "--quiet"],
        cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if match:
            return proc, int(match.group(1))
    proc.kill()
    raise RuntimeError("server did not start: " + proc.stderr.read())


def create_key(binary, workdir):
    """Creates a read+write key; returns (key, secret)."""
    out = subprocess.run(
        [binary, "keys", "create", "--org", "org-crash", "--scope", "calls:read", "--scope", "calls:write",
         "--keys", "keys.json"], cwd=workdir, check=True, capture_output=True, text=True).stdout
    created = json.loads(out)
    return created["key"], created["secret"]


def call_body(rng, writer, seq):
    """A valid PUT body, or (one time in ten) an invalid one that must be rejected."""
    start = 1_700_000_000_000 + rng.randrange(10**9)
    body = {
        "agent_id": "agent-%d" % writer,
        "call_status": "ENDED",
        "call_type": "PHONE_CALL",
        "direction": "INBOUND",
        "from_number": "+1555%07d" % rng.randrange(10**7),
        "to_number": None,
        "start_timestamp": start,
        "end_timestamp": start + rng.randrange(10**6),
        "transcript": "writer %d sequence %d %s" % (writer, seq, "x" * rng.randrange(200)),
    }
    valid = rng.random() >= 0.1
    if not valid:
        body["end_timestamp"] = start - 1  # breaks end_timestamp >= start_timestamp
    return body, valid


def writer_loop(port, key, secret, writer, seed, stop, results):
    """PUTs fresh calls on one keep-alive connection until stopped or the server dies."""
    rng = random.Random(seed)
    headers = {"X-API-KEY": key, "X-API-SECRET": secret, "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    seq = 0
    while not stop.is_set():
        call_id = "w%d-%d" % (writer, seq)
        body, valid = call_body(rng, writer, seq)
        seq += 1
        try:
            conn.request("PUT", "/api/calls/" + call_id, body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            payload = response.read()
            results.append((call_id, body, valid, response.status, payload))
        except (OSError, http.client.HTTPException):
            results.append((call_id, body, valid, None, None))
            return


def fetch(conn, call_id, headers):
    """GETs one call: (status, data or None)."""
    conn.request("GET", "/api/calls/" + call_id, headers=headers)
    response = conn.getresponse()
    payload = json.loads(response.read())
    return response.status, payload.get("data")


def same_call(sent, stored):
    """Whether the stored call carries exactly the fields that were sent."""
    return all(stored.get(k) == v for k, v in sent.items())


def trial(binary, number, writers, rng):
    """One crash trial; returns a list of failure strings."""
    workdir = tempfile.mkdtemp(prefix="callserver-crash-")
    failures = []
    try:
        key, secret = create_key(binary, workdir)
        proc, port = start_server(binary, workdir)
        stop = threading.Event()
        results = []
        threads = [threading.Thread(target=writer_loop, args=(port, key, secret, w, rng.random(), stop, results))
                   for w in range(writers)]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.3, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stop.set()
        for thread in threads:
            thread.join()

        proc, port = start_server(binary, workdir)
        headers = {"X-API-KEY": key, "X-API-SECRET": secret}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        acked = rejected = unknown = 0
        for call_id, body, valid, status, payload in results:
            got_status, data = fetch(conn, call_id, headers)
            if status is not None and 200 <= status < 300:
                acked += 1
                if not valid:
                    failures.append("%s: invalid body was acknowledged" % call_id)
                elif got_status != 200 or not same_call(body, data):
                    failures.append("%s: acknowledged write lost or changed after restart (GET %s)" % (call_id, got_status))
            elif status is not None:
                rejected += 1
                if got_status != 404:
                    failures.append("%s: write answered %s is present after restart" % (call_id, status))
            else:
                unknown += 1
                if got_status == 200 and not same_call(body, data):
                    failures.append("%s: unanswered write present but altered" % call_id)
                if got_status == 200 and not valid:
                    failures.append("%s: invalid unanswered write was stored" % call_id)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=15)
        if code != 0:
            failures.append("restarted server exited %s on SIGTERM" % code)
        print("trial %d: %d acknowledged, %d rejected, %d cut off by the kill, %d failures"
              % (number, acked, rejected, unknown, len(failures)))
        if acked == 0:
            failures.append("trial %d acknowledged nothing before the kill" % number)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print("crash trials with seed %d" % args.seed)
    passed = failed = 0
    for number in range(1, args.trials + 1):
        failures = trial(os.path.abspath(args.binary), number, args.writers, rng)
        for failure in failures[:20]:
            print("  FAIL " + failure)
        if failures:
            failed += 1
        else:
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
