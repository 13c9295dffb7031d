#!/usr/bin/env python3
"""Peak memory of one large import: generates NDJSON calls (64 MiB by default), starts the given server
binary on an empty data directory, POSTs them to /api/calls/import and prints the server's resident memory
(VmRSS) and peak (VmHWM, from /proc/PID/status) before and after.

    swift build -c release --product CallServer
    python3 scripts/import-memory.py "$(swift build -c release --show-bin-path)/CallServer" [--mib 64]

Installs nothing; Linux only (reads /proc)."""

import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

WORDS = ("refund order account billing password delivery invoice address payment schedule agent customer "
         "please thanks hello transfer manager issue ticket number balance credit card update cancel "
         "subscription plan upgrade support service question answer problem resolved email phone").split()


def generate(path, limit_bytes, words, seed=7):
    """Writes import lines to `path` until the next would pass `limit_bytes`; returns (bytes, lines)."""
    rng = random.Random(seed)
    written = 0
    lines = 0
    with open(path, "wb") as out:
        while True:
            start = 1_700_000_000_000 + rng.randrange(0, 10_000_000_000)
            ended = rng.random() < 0.7
            record = {
                "call_id": "mem-%08d" % lines,
                "agent_id": "agent-%03d" % rng.randrange(200),
                "call_status": "ENDED" if ended else "ONGOING",
                "call_type": rng.choice(["PHONE_CALL", "WEB_CALL"]),
                "direction": rng.choice(["INBOUND", "OUTBOUND"]),
                "from_number": "+1555%07d" % rng.randrange(10_000_000),
                "to_number": None,
                "start_timestamp": start,
                "end_timestamp": start + rng.randrange(1_000, 1_800_000) if ended else None,
                "transcript": " ".join(rng.choice(WORDS) for _ in range(rng.randrange(words[0], words[1] + 1))),
                "metadata": {"campaign": "c-%d" % rng.randrange(50), "region": rng.choice(["eu", "us", "apac"])},
            }
            line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
            if written + len(line) > limit_bytes:
                return written, lines
            out.write(line)
            written += len(line)
            lines += 1


def memory(pid):
    """VmRSS and VmHWM of `pid`, in KiB."""
    fields = {}
    with open("/proc/%d/status" % pid) as status:
        for entry in status:
            name, _, value = entry.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0])
    return fields["VmRSS"], fields["VmHWM"]


def start(binary, keys, work):
    """Starts the server on `work`'s data directory; returns it and its port once it is ready."""
    stdout = open(os.path.join(work, "out"), "w+")
    server = subprocess.Popen(
        [binary, "--port", "0", "--keys", keys, "--data-dir", os.path.join(work, "data"), "--quiet"],
        stdout=stdout, stderr=subprocess.DEVNULL)
    for _ in range(1200):
        stdout.seek(0)
        text = stdout.read()
        if "listening on http://127.0.0.1:" in text:
            # Let the start's own work (the epoch record, the first compaction check) settle.
            time.sleep(1.5)
            return server, int(text.split("listening on http://127.0.0.1:")[1].split()[0])
        time.sleep(0.05)
    server.kill()
    sys.exit("the server did not report its port")


def stop(server):
    """SIGTERM, as an operator stops it (the journal is compacted into a snapshot)."""
    server.terminate()
    server.wait()


def post(port, credentials, body):
    """POSTs one import body; returns its status and answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("POST", "/api/calls/import", body=body, headers={
        "Content-Type": "application/x-ndjson", "Content-Length": str(len(body)),
        "X-API-KEY": credentials["key"], "X-API-SECRET": credentials["secret"]})
    response = connection.getresponse()
    return response.status, response.read()


def measure(binary, work, keys, credentials, bodies):
    """Starts a server on an empty data directory, imports `bodies` one after another; returns the memory figures."""
    shutil.rmtree(os.path.join(work, "data"), ignore_errors=True)
    server, port = start(binary, keys, work)
    try:
        rss_before, peak_before = memory(server.pid)
        started = time.monotonic()
        for body in bodies:
            status, answer = post(port, credentials, body)
            if status != 200:
                sys.exit("import answered %d: %s" % (status, answer[:300]))
        seconds = time.monotonic() - started
        rss_after, peak_after = memory(server.pid)
        return rss_before, peak_before, rss_after, peak_after, seconds
    finally:
        stop(server)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--mib", type=int, default=64, help="body size in MiB (the default import limit is 64)")
    parser.add_argument("--words", default="20:300", help="transcript length range in words, MIN:MAX")
    options = parser.parse_args()
    words = tuple(int(part) for part in options.words.split(":"))
    work = tempfile.mkdtemp(prefix="import-memory-")
    try:
        body_path = os.path.join(work, "calls.ndjson")
        size, lines = generate(body_path, options.mib << 20, words)
        keys = os.path.join(work, "keys.json")
        credentials = json.loads(subprocess.check_output(
            [options.binary, "keys", "create", "--org", "org-mem", "--scope", "calls:write", "--keys", keys]))
        with open(body_path, "rb") as file:
            body = file.read()
        mib = lambda kib: kib / 1024
        print("body: %d bytes (%.1f MiB), %d calls" % (size, size / 2**20, lines))
        rss_before, peak_before, rss_after, peak_after, seconds = measure(options.binary, work, keys, credentials, [body])
        print("one import:    before VmRSS %.0f MiB (VmHWM %.0f MiB); after VmRSS %.0f MiB, VmHWM %.0f MiB; %.1f s"
              % (mib(rss_before), mib(peak_before), mib(rss_after), mib(peak_after), seconds))
        print("               peak over the empty server: %.0f MiB = %.2f x the body"
              % (mib(peak_after - rss_before), (peak_after - rss_before) * 1024 / size))
        # The same calls in 1 MiB imports: the peak is then what the stored calls take, plus little.
        pieces = []
        start_at = 0
        while start_at < len(body):
            end = body.rfind(b"\n", start_at, start_at + (1 << 20)) + 1
            if end <= start_at:
                end = len(body)
            pieces.append(body[start_at:end])
            start_at = end
        body = None
        small = measure(options.binary, work, keys, credentials, pieces)
        print("%d imports of <= 1 MiB: peak over the empty server %.0f MiB = %.2f x the body (the stored calls' reference)"
              % (len(pieces), mib(small[3] - small[0]), (small[3] - small[0]) * 1024 / size))
        print("one import's peak minus that reference: %.0f MiB = %.2f x the body"
              % (mib(peak_after - rss_before - (small[3] - small[0])),
                 (peak_after - rss_before - (small[3] - small[0])) * 1024 / size))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
