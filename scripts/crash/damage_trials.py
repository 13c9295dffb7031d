#!/usr/bin/env python3
"""Damage trials: bytes zeroed or flipped at random offsets of a stopped server's journal segments and snapshots.

A data directory is built by a real server: calls written and a clean stop (a snapshot), more calls and a clean
stop (a second snapshot, the first kept as the previous one with the journal since it), more calls, a last
"sentinel" write, then SIGKILL. Each trial copies it, damages one file at one random offset, and starts the server:

- if it starts, every acknowledged call must be served as written; only the sentinel (the last write group, which
  damage cannot tell from a torn write) may be missing, and then the log must say what was dropped;
- if it refuses, its message must name the damaged file; `CallServer salvage` must then recover the directory,
  the server must start, and every acknowledged call must be served, except calls whose records salvage reported
  lost (its exit status 3 and counts say so: no loss is silent).

Usage: damage_trials.py SERVER_BINARY [--trials N] [--seed S]. Standard library only.
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
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash_test import create_key, fetch, same_call, start_server  # noqa: E402


def try_start(binary, workdir):
    """Starts the server; returns (process, port, log) or (None, None, log) when it refused to start."""
    proc = subprocess.Popen(
        [binary, "--host", "127.0.0.1", "--port", "0", "--keys", "keys.json", "--data-dir", "data"],
        cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if match:
            return proc, int(match.group(1)), "".join(lines)
    proc.wait(timeout=30)
    return None, None, "".join(lines) + proc.stderr.read()


def stop(proc):
    """Stops a server cleanly; returns its log on stderr."""
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    return err


def put_calls(port, headers, prefix, count, rng):
    """PUTs `count` calls one request each (one group commit each); returns {call_id: body}."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    written = {}
    for number in range(count):
        call_id = "%s-%d" % (prefix, number)
        start = 1_700_000_000_000 + rng.randrange(10**9)
        body = {
            "agent_id": "agent-%d" % rng.randrange(5), "call_status": "ENDED", "call_type": "PHONE_CALL",
            "direction": "INBOUND", "from_number": "+1555%07d" % rng.randrange(10**7), "to_number": None,
            "start_timestamp": start, "end_timestamp": start + rng.randrange(10**6),
            "transcript": "%s call %d %s" % (prefix, number, "words " * rng.randrange(1, 60)),
        }
        conn.request("PUT", "/api/calls/" + call_id, body=json.dumps(body),
                     headers=dict(headers, **{"Content-Type": "application/json"}))
        response = conn.getresponse()
        response.read()
        if not 200 <= response.status < 300:
            raise RuntimeError("PUT %s answered %d" % (call_id, response.status))
        written[call_id] = body
    return written


def build(binary, workdir, rng):
    """Writes the pristine data directory; returns (headers, acknowledged calls, sentinel call_id)."""
    key, secret = create_key(binary, workdir)
    headers = {"X-API-KEY": key, "X-API-SECRET": secret}
    acknowledged = {}
    for prefix in ["first", "second"]:
        proc, port = start_server(binary, workdir)
        acknowledged.update(put_calls(port, headers, prefix, 40, rng))
        stop(proc)
    proc, port = start_server(binary, workdir)
    acknowledged.update(put_calls(port, headers, "third", 40, rng))
    sentinel = put_calls(port, headers, "sentinel", 1, rng)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return headers, acknowledged, next(iter(sentinel))


def missing_calls(port, headers, acknowledged):
    """The acknowledged calls the server does not serve exactly as written."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    missing = []
    for call_id, body in acknowledged.items():
        status, data = fetch(conn, call_id, headers)
        if status != 200 or not same_call(body, data):
            missing.append(call_id)
    return missing


def damage(path, rng):
    """Zeroes 8 bytes or flips one byte at a random offset; returns a description."""
    with open(path, "r+b") as handle:
        data = bytearray(handle.read())
        offset = rng.randrange(len(data))
        if rng.random() < 0.5:
            end = min(len(data), offset + 8)
            data[offset:end] = bytes(end - offset)
            what = "zeroed %d byte(s) at %d" % (end - offset, offset)
        else:
            data[offset] ^= 1 << rng.randrange(8)
            what = "flipped a bit at %d" % offset
        handle.seek(0)
        handle.write(data)
    return "%s of %s (%d bytes)" % (what, os.path.basename(path), len(data))


def trial(binary, pristine, headers, acknowledged, sentinel, rng):
    """One damage trial; returns (description, outcome, failures)."""
    workdir = tempfile.mkdtemp(prefix="callserver-damage-")
    try:
        shutil.copytree(pristine, workdir, dirs_exist_ok=True)
        data = os.path.join(workdir, "data")
        files = sorted(name for name in os.listdir(data) if name.startswith(("journal-", "snapshot")))
        target = rng.choice(files)
        description = damage(os.path.join(data, target), rng)
        expected = dict(acknowledged)
        proc, port, log = try_start(binary, workdir)
        if proc is not None:
            missing = missing_calls(port, headers, expected)
            log += stop(proc)
            if missing == [sentinel] and "dropped" in log:
                return description, "started, dropped the damaged last write (logged)", []
            if missing:
                return description, "started", ["started without %d acknowledged call(s): %s" % (len(missing), missing[:5])]
            return description, "started with every call", []
        failures = []
        if target not in log:
            failures.append("the refusal does not name %s: %s" % (target, log.strip()[-300:]))
        salvage = subprocess.run([binary, "salvage", "--data-dir", "data"], cwd=workdir, capture_output=True, text=True)
        lost = re.search(r"lost (\d+)", salvage.stdout)
        lost = int(lost.group(1)) if lost else -1
        if salvage.returncode not in (0, 3) or (salvage.returncode == 3) != (lost > 0):
            return description, "refused", failures + ["salvage failed (%d): %s%s" % (
                salvage.returncode, salvage.stdout[-500:], salvage.stderr[-500:])]
        proc, port, log = try_start(binary, workdir)
        if proc is None:
            return description, "refused", failures + ["no start after salvage: " + log.strip()[-300:]]
        missing = [call_id for call_id in missing_calls(port, headers, expected) if call_id != sentinel]
        stop(proc)
        if len(missing) > lost:
            failures.append("after salvage %d acknowledged call(s) are missing but %d record(s) reported lost: %s"
                            % (len(missing), lost, missing[:5]))
        return description, "refused; salvage kept all but %d reported lost record(s)" % lost, failures
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    rng = random.Random(args.seed)
    print("damage trials with seed %d" % args.seed)
    pristine = tempfile.mkdtemp(prefix="callserver-damage-pristine-")
    try:
        headers, acknowledged, sentinel = build(binary, pristine, rng)
        passed = failed = 0
        for number in range(1, args.trials + 1):
            description, outcome, failures = trial(binary, pristine, headers, acknowledged, sentinel, rng)
            print("trial %d: %s: %s" % (number, description, outcome))
            for failure in failures:
                print("  FAIL " + failure)
            failed += bool(failures)
            passed += not failures
        print("%d passed, %d failed" % (passed, failed))
        sys.exit(1 if failed else 0)
    finally:
        shutil.rmtree(pristine, ignore_errors=True)


if __name__ == "__main__":
    main()
