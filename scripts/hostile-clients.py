#!/usr/bin/env python3
"""Hostile clients against the release CallServer, one attack at a time, next to a well-behaved one.

Usage:
    python3 scripts/hostile-clients.py [--server .build/release/CallServer] [--calls 20000]
                                       [--only NAME,...] [--scale small|full] [--strict]

Starts the server (`--demo CALLS --quiet --port 0` on a temporary data directory and keys file),
reads its port from the "CallServer listening on http://HOST:PORT" line and the demo credentials of
`org-acme` (the attacker) and `org-globex` (the victim) from its banner, then runs each attack in
turn. Every attack is bounded in count and time, uses loopback only and stops by itself (about
10-30 s each at `--scale full`; `--scale small` uses fewer connections and bytes, but the server's
own timeouts still set the length of the timeout attacks).

During each attack a separate process plays the well-behaved client: `POST /api/calls`
`{"limit":20}` as org-globex, 20 requests a second, 10 requests per keep-alive connection and then
a fresh one (so accepting connections is measured too). One row per attack shows its p50/p99/max
latency (connect included), how many of its requests failed or were not 200, the server's RSS
(/proc/PID/status VmRSS before, peak sampled every 100 ms, after), its CPU use (utime+stime from
/proc/PID/stat over the attack, in % of one core), an attack-specific outcome, the bar (from
API.md, "Limits and fairness") and PASS/FAIL.

Attacks (names for --only):
    body-trickle        heads announcing a body, then one byte a second (refused heads, and bodies read)
    header-dribble      request heads sent one byte a second
    stream-behind-slow  a deferred list request followed by a stream of junk, responses never read
    idle-10k            10,000 idle connections (half fresh, half idle after one request)
    huge-lists          imports calls, then lists with 1,000 agent_id values (and 1,001 / 70,000)
    prefix-flood        32 distinct prefix terms, and "a* z*" repeated to 1,000 characters
    phrase-flood        concurrent quoted-phrase queries, some clients leaving right after sending
    fd-exhaustion       a second server limited to 128 file descriptors, 200 idle connections
    no-reader           pipelined include_transcript lists on connections that never read
    body-budget         heads announcing bodies just under the 1 MiB limit, past the 256 MiB budget
    pipeline-flood      cheap list requests pipelined 64 at a time, read as fast as possible

It is a measurement tool: it exits 0 whatever the verdicts, unless --strict is given (then 1 when
any attack FAILs). Needs Linux (/proc) and Python 3 (standard library only). Full-scale runs load
both cores; on a shared machine run them when nobody is building.
"""

import argparse
import asyncio
import http.client
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

ATTACKER, VICTIM = "org-acme", "org-globex"
MIB = 1024 * 1024
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_BODY = '{"limit":20}'
DEFERRED_BODY = '{"limit":20,"include_transcript":true}'

SCALES = {
    "small": dict(trickle=50, dribble=20, stream_bytes=20 * MIB, idle=1000, import_calls=3000,
                  flood_clients=4, flood_secs=8, phrase_clients=16, fd_conns=200, fd_hold=10,
                  noreader_conns=8, noreader_reqs=500, budget_conns=300, pipeline_conns=4,
                  timeout_hold=14, hold=8),
    "full": dict(trickle=500, dribble=200, stream_bytes=200 * MIB, idle=10000, import_calls=30000,
                 flood_clients=16, flood_secs=20, phrase_clients=64, fd_conns=200, fd_hold=10,
                 noreader_conns=32, noreader_reqs=2000, budget_conns=320, pipeline_conns=8,
                 timeout_hold=20, hold=15),
}


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# HTTP bits shared by every client


def request_bytes(method, path, body=None, creds=None, content_type="application/json",
                  content_length=None, extra=()):
    """One HTTP/1.1 request; content_length overrides the announced length (for lying clients)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if creds:
        lines += [f"X-API-KEY: {creds[0]}", f"X-API-SECRET: {creds[1]}"]
    data = body.encode() if isinstance(body, str) else (body or b"")
    if body is not None or content_length is not None:
        lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(data) if content_length is None else content_length}")
    lines += list(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


def parse_head(head):
    """(status, {lower-case name: value}) of a response head."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status, headers = parse_head(head)
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


def simple_request(port, method, path, body=None, creds=None, content_type="application/json",
                   timeout=60):
    """A plain request with http.client: (status, parsed JSON or raw bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {}
        if creds:
            headers.update({"X-API-KEY": creds[0], "X-API-SECRET": creds[1]})
        if body is not None:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        try:
            return resp.status, json.loads(data)
        except ValueError:
            return resp.status, data
    finally:
        conn.close()


def pct(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))]


def dist(values, unit="s"):
    if not values:
        return "-"
    return f"min {min(values):.1f}{unit} p50 {pct(values, 50):.1f}{unit} max {max(values):.1f}{unit}"


def statuses(counter):
    return ", ".join(f"{k}×{v}" for k, v in sorted(counter.items(), key=lambda kv: str(kv[0]))) or "none"


# ---------------------------------------------------------------------------------------------
# The well-behaved client: a separate process, so the attackers' event loop cannot delay it.


def probe_worker(argv):
    """--probe-worker PORT KEY SECRET BODY INTERVAL PER_CONN: runs until stdin closes, then prints
    {"lat": [ms...], "bad": n, "total": n, "statuses": {...}} as JSON."""
    port, key, secret, body = int(argv[0]), argv[1], argv[2], argv[3]
    interval, per_conn = float(argv[4]), int(argv[5])
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    request = request_bytes("POST", "/api/calls", body, (key, secret))
    lat, seen, bad = [], Counter(), 0
    sock, used, buf = None, 0, b""
    next_at = time.monotonic()
    while not stop.is_set():
        start = time.monotonic()
        status = None
        try:
            if sock is None:
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                used, buf = 0, b""
            sock.sendall(request)
            while b"\r\n\r\n" not in buf:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed")
                buf += chunk
            head, buf = buf.split(b"\r\n\r\n", 1)
            status, headers = parse_head(head)
            length = int(headers.get("content-length", "0"))
            while len(buf) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed")
                buf += chunk
            buf = buf[length:]
            used += 1
            if used >= per_conn or headers.get("connection", "").lower() == "close":
                sock.close()
                sock = None
        except (OSError, ValueError):
            status = "error"
            if sock is not None:
                sock.close()
            sock = None
        lat.append((time.monotonic() - start) * 1000)
        seen[str(status)] += 1
        if status != 200:
            bad += 1
        next_at += interval
        now = time.monotonic()
        if next_at > now:
            stop.wait(next_at - now)
        else:
            next_at = now
    print(json.dumps({"lat": lat, "bad": bad, "total": len(lat), "statuses": seen}))


class Probe:
    """The well-behaved client as a subprocess of this script."""

    def __init__(self, label, port, creds, body=PAGE_BODY, interval=0.05, per_conn=10):
        self.label = label
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--probe-worker", str(port), creds[0], creds[1],
             body, str(interval), str(per_conn)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def finish(self):
        out, _ = self.proc.communicate(input="", timeout=30)
        data = json.loads(out)
        lat = data["lat"]
        return dict(label=self.label, p50=pct(lat, 50), p99=pct(lat, 99), max=max(lat) if lat else float("nan"),
                    bad=data["bad"], total=data["total"], statuses=data["statuses"])


# ---------------------------------------------------------------------------------------------
# RSS and CPU of the server


def rss_bytes(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    except OSError:
        return 0


class Sampler(threading.Thread):
    """Peak RSS, sampled every 100 ms."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, rss_bytes(pid), threading.Event()
        self.start()

    def run(self):
        while not self.stopped.wait(0.1):
            self.peak = max(self.peak, rss_bytes(self.pid))

    def stop(self):
        self.stopped.set()
        self.join()
        return self.peak


def wait_idle(pid, quiet_seconds=2.0, limit_seconds=60.0):
    """Waits until the process used under 2% of a core for quiet_seconds (at most limit_seconds)."""
    start = time.monotonic()
    deadline, quiet = start + limit_seconds, 0.0
    while time.monotonic() < deadline and quiet < quiet_seconds:
        before = cpu_ticks(pid)
        time.sleep(0.5)
        quiet = quiet + 0.5 if cpu_ticks(pid) - before <= max(1, CLK_TCK // 100) else 0.0
    return quiet >= quiet_seconds, time.monotonic() - start


class Measurement:
    """Brackets one attack: RSS before/peak/after, CPU, and the well-behaved probes."""

    def __init__(self, server, probes=None):
        self.server = server
        if probes is None:
            probes = [("victim {\"limit\":20}", PAGE_BODY, 0.05)]
        self.rss_before = rss_bytes(server.pid)
        self.ticks_before = cpu_ticks(server.pid)
        self.t0 = time.monotonic()
        self.sampler = Sampler(server.pid)
        self.probes = [Probe(label, server.port, server.creds[VICTIM], body, interval)
                       for label, body, interval in probes]
        self.cpu_override = None

    def finish(self):
        probes = [p.finish() for p in self.probes]
        elapsed = time.monotonic() - self.t0
        cpu = (cpu_ticks(self.server.pid) - self.ticks_before) / CLK_TCK / elapsed * 100
        time.sleep(0.5)
        peak = self.sampler.stop()
        return dict(probes=probes, rss_before=self.rss_before, rss_peak=max(peak, self.rss_before),
                    rss_after=rss_bytes(self.server.pid), cpu=self.cpu_override if self.cpu_override is not None else cpu,
                    seconds=elapsed)


# ---------------------------------------------------------------------------------------------
# The server under test


class Server:
    def __init__(self, binary, calls, nofile=None):
        self.work = tempfile.mkdtemp(prefix="hostile-")
        preexec = None
        if nofile:
            def preexec():
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        self.err = open(os.path.join(self.work, "stderr"), "wb")
        self.proc = subprocess.Popen(
            [binary, "--demo", str(calls), "--quiet", "--port", "0", "--data-dir", os.path.join(self.work, "data"),
             "--keys", os.path.join(self.work, "keys.json")],
            stdout=subprocess.PIPE, stderr=self.err, text=True, preexec_fn=preexec)
        self.pid = self.proc.pid
        self.creds, self.port = {}, None
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            words = line.split()
            if len(words) >= 5 and words[0].rstrip(":") in (ATTACKER, VICTIM) and "X-API-KEY:" in words:
                self.creds[words[0].rstrip(":")] = (words[words.index("X-API-KEY:") + 1],
                                                    words[words.index("X-API-SECRET:") + 1])
            if line.startswith("CallServer listening on http://"):
                self.port = int(line.strip().rsplit(":", 1)[1])
                break
        if self.port is None or len(self.creds) != 2:
            self.stop()
            with open(os.path.join(self.work, "stderr"), "rb") as f:
                raise SystemExit(f"the server did not start: {f.read()[-2000:].decode(errors='replace')}")
        # Nothing more is expected on stdout; drain it so the server can never block on the pipe.
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.err.close()
        shutil.rmtree(self.work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Attack building blocks


async def connect(port, rcvbuf=None, timeout=5):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    try:
        await asyncio.wait_for(asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port)), timeout)
    except BaseException:
        sock.close()
        raise
    return await asyncio.open_connection(sock=sock, limit=1 << 20)


async def hold(port, first, drip, duration, drip_interval=1.0, gate=None):
    """One connection: sends `first`, then one item of the `drip` iterator every drip_interval,
    while watching for the server's first response head and for the close. Returns a dict:
    status, retry_after, status_at, closed_at (seconds since connect), how, error."""
    out = dict(status=None, retry_after=None, status_at=None, closed_at=None, how=None, error=None)
    try:
        if gate is None:
            reader, writer = await connect(port)
        else:
            async with gate:
                reader, writer = await connect(port)
    except (OSError, asyncio.TimeoutError) as e:
        out["error"] = type(e).__name__
        return out
    t0 = time.monotonic()

    def closed(how):
        if out["closed_at"] is None:
            out["closed_at"], out["how"] = time.monotonic() - t0, how

    async def read_side():
        buf = b""
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    closed("eof")
                    return
                if out["status"] is None:
                    buf += data
                    if b"\r\n\r\n" in buf:
                        status, headers = parse_head(buf.split(b"\r\n\r\n", 1)[0])
                        out["status"], out["status_at"] = status, time.monotonic() - t0
                        out["retry_after"] = headers.get("retry-after")
        except OSError:
            closed("reset")

    async def write_side():
        try:
            if first:
                writer.write(first)
                await writer.drain()
            if drip is None:
                await asyncio.sleep(duration)
                return
            for item in drip:
                await asyncio.sleep(drip_interval)
                writer.write(item)
                await writer.drain()
        except OSError:
            closed("reset")

    read_task = asyncio.ensure_future(read_side())
    write_task = asyncio.ensure_future(write_side())
    await asyncio.wait({read_task}, timeout=max(0.0, duration - (time.monotonic() - t0)))
    for task in (read_task, write_task):
        task.cancel()
    await asyncio.gather(read_task, write_task, return_exceptions=True)
    writer.transport.abort()
    return out


async def hold_many(port, count, make, duration, concurrency=500):
    """count connections through hold(); make(i) gives (first, drip). Connects at most
    `concurrency` at a time, then all are held until `duration` after the first connect."""
    gate = asyncio.Semaphore(concurrency)
    end = time.monotonic() + duration

    async def one(i):
        first, drip = make(i)
        return await hold(port, first, drip, max(1.0, end - time.monotonic()), gate=gate)

    return await asyncio.gather(*(one(i) for i in range(count)))


def summarize_holds(results, limit):
    """How many were closed by the server, when, and what it answered."""
    connected = [r for r in results if r["error"] is None]
    closed = [r["closed_at"] for r in connected if r["closed_at"] is not None]
    within = sum(1 for t in closed if t <= limit)
    seen = Counter(r["status"] if r["status"] is not None else "none" for r in connected)
    failed = Counter(r["error"] for r in results if r["error"] is not None)
    text = (f"{len(connected)}/{len(results)} connected; closed by server {len(closed)} "
            f"({within} within {limit:g}s; {dist(closed)}); responses {statuses(seen)}")
    if failed:
        text += f"; connect failures {statuses(failed)}"
    return dict(connected=len(connected), closed=len(closed), within=within, seen=seen, text=text)


async def request_loop(port, creds, bodies, deadline, stats, leave_after_send=False, path="/api/calls",
                       content_type="application/json", pipeline=1):
    """Sends requests as fast as answers come back, until deadline; records statuses and latency.
    With leave_after_send each request is sent on a new connection that is closed at once."""
    rng = random.Random()
    reader = writer = None
    while time.monotonic() < deadline:
        try:
            if leave_after_send:
                reader, writer = await connect(port)
                writer.write(request_bytes("POST", path, rng.choice(bodies), creds, content_type))
                await writer.drain()
                writer.transport.abort()
                stats["left"] += 1
                await asyncio.sleep(0.01)
                continue
            if writer is None:
                reader, writer = await connect(port)
            start = time.monotonic()
            writer.write(b"".join(request_bytes("POST", path, rng.choice(bodies), creds, content_type)
                                  for _ in range(pipeline)))
            await writer.drain()
            for _ in range(pipeline):
                status, headers, _ = await asyncio.wait_for(read_response(reader), 30)
                stats["status"][status] += 1
                if headers.get("connection", "").lower() == "close":
                    writer.transport.abort()
                    writer = None
                    break
            stats["lat"].append((time.monotonic() - start) * 1000 / pipeline)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, asyncio.LimitOverrunError):
            stats["status"]["error"] += 1
            if writer is not None:
                writer.transport.abort()
            writer = None
            await asyncio.sleep(0.05)
    if writer is not None:
        writer.transport.abort()


def new_stats():
    return dict(status=Counter(), lat=[], left=0)


async def flood(port, creds, bodies, clients, seconds, leaving=0, **kwargs):
    stats = new_stats()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(request_loop(port, creds, bodies, deadline, stats, leave_after_send=i < leaving, **kwargs)
                           for i in range(clients)))
    return stats


def flood_text(stats, seconds):
    answered = sum(v for k, v in stats["status"].items() if k != "error")
    text = (f"flood {answered / seconds:.0f} req/s answered, statuses {statuses(stats['status'])}, "
            f"flood latency p50 {pct(stats['lat'], 50):.1f} ms p99 {pct(stats['lat'], 99):.1f} ms")
    if stats["left"]:
        text += f"; {stats['left']} requests sent then abandoned"
    return text


def stream_out(sock, chunks, deadline, stall_seconds=5.0):
    """Sends chunks on a blocking socket until they run out, the deadline passes or no byte is
    accepted for stall_seconds. Returns (bytes accepted, why it stopped, seconds to that)."""
    sock.settimeout(0.5)
    sent, t0, last_progress = 0, time.monotonic(), time.monotonic()
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            now = time.monotonic()
            if now >= deadline:
                return sent, "deadline", now - t0
            if now - last_progress >= stall_seconds:
                return sent, "stalled", now - t0
            try:
                n = sock.send(view)
            except socket.timeout:
                continue
            except OSError as e:
                return sent, f"closed by server ({type(e).__name__})", time.monotonic() - t0
            sent += n
            view = view[n:]
            last_progress = time.monotonic()
    return sent, "all sent", time.monotonic() - t0


def read_statuses(sock, seconds=1.0, limit=64 * MIB):
    """Reads what the server sent (at most `limit` bytes, until `seconds` pass without data) and
    names the response statuses in it, and whether the server closed the connection."""
    sock.settimeout(seconds)
    data, how = b"", "still open"
    try:
        while len(data) < limit:
            chunk = sock.recv(1 << 20)
            if not chunk:
                how = "closed by server"
                break
            data += chunk
    except socket.timeout:
        pass
    except OSError as e:
        how = f"reset ({type(e).__name__})"
    seen = Counter(int(code) for code in re.findall(rb"HTTP/1\.1 (\d{3}) ", data))
    return f"{statuses(seen)}, {how}"


def blocking_connect(port, rcvbuf=4096):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.connect(("127.0.0.1", port))
    return sock


def probe_ok(probe, p99_ms):
    return probe["p99"] <= p99_ms and probe["bad"] == 0


def rss_growth(m):
    return m["rss_peak"] - m["rss_before"]


# ---------------------------------------------------------------------------------------------
# The attacks: each takes (ctx) and returns (measurement, outcome, bar, passed).


def attack_body_trickle(ctx):
    """Four kinds of trickler in turn: unauthenticated heads announcing 1 MiB (GET /healthz, POST
    /api/calls), which are refused from their heads, and bodies the server does read a byte at a time
    (60,000 bytes to GET /healthz, 65,536 bytes of an authenticated list), which only the minimum
    body rate can cut off."""
    server, n, duration = ctx.server, ctx.scale["trickle"], ctx.scale["timeout_hold"]
    creds = server.creds[ATTACKER]
    heads = [
        request_bytes("GET", "/healthz", content_length=1048576),
        request_bytes("POST", "/api/calls", content_length=1048576),
        request_bytes("GET", "/healthz", content_length=60000),
        request_bytes("POST", "/api/calls", creds=creds, content_length=65536),
    ]

    def make(i):
        return heads[i % 4], (b" " for _ in range(10 ** 6))

    m = Measurement(server)
    results = asyncio.run(hold_many(server.port, n, make, duration))
    m = m.finish()
    labels = ["GET /healthz 1 MiB", "POST unauthenticated 1 MiB", "GET /healthz 60,000 B read",
              "POST authenticated 64 KiB read"]
    parts = [summarize_holds(results[k::4], 13) for k in range(4)]
    outcome = " | ".join(f"{label}: {part['text']}" for label, part in zip(labels, parts))
    passed = (rss_growth(m) <= 64 * MIB
              and all(part["within"] == part["connected"] == len(results[k::4]) for k, part in enumerate(parts))
              and all(part["seen"].get(408, 0) == part["connected"] for part in parts[2:]))
    bar = ("RSS growth ≤ 64 MiB; every connection closed within 13 s (413/401 from the head; "
           "bodies being read: 408 from the 16 KiB/s minimum rate, 10 s after the head)")
    return m, outcome, bar, passed


def attack_header_dribble(ctx):
    server, n, duration = ctx.server, ctx.scale["dribble"], ctx.scale["timeout_hold"]
    head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Dribble: "

    def make(i):
        def drip():
            for b in head:
                yield bytes([b])
            while True:
                yield b"a"
        return b"", drip()

    m = Measurement(server)
    results = asyncio.run(hold_many(server.port, n, make, duration))
    m = m.finish()
    s = summarize_holds(results, 12)
    passed = s["within"] == s["connected"] == n and s["seen"].get(408, 0) == n
    bar = "every connection answered 408 and closed within 12 s (10 s header timeout + sweep slack)"
    return m, s["text"], bar, passed


def attack_stream_behind_slow(ctx):
    server, total = ctx.server, ctx.scale["stream_bytes"]
    m = Measurement(server)
    sock = blocking_connect(server.port)
    sock.sendall(request_bytes("POST", "/api/calls", '{"limit":100,"include_transcript":true}',
                               server.creds[ATTACKER]))
    junk = b"x" * 65536
    t0 = time.monotonic()
    sent, why, seconds = stream_out(sock, (junk for _ in range(total // len(junk))), t0 + 25)
    # Keep the connection, still unread, for the rest of the hold so the server's memory is sampled.
    time.sleep(max(0.0, ctx.scale["hold"] - (time.monotonic() - t0)))
    answered = read_statuses(sock)
    sock.close()
    m = m.finish()
    outcome = (f"server accepted {sent / MIB:.1f} MiB of {total / MIB:.0f} MiB junk ({why} after {seconds:.1f} s; "
               f"the kernel's socket buffers hold a few MiB of that); responses then read: {answered}")
    passed = rss_growth(m) <= 64 * MIB
    bar = "RSS growth ≤ 64 MiB (no input read behind a request being answered beyond one pipelined head)"
    return m, outcome, bar, passed


def attack_idle_10k(ctx):
    server, n, duration = ctx.server, ctx.scale["idle"], ctx.scale["hold"]
    health = request_bytes("GET", "/healthz")

    def make(i):
        # Even: fresh connections that never send a byte; odd: one request, then idle keep-alive.
        return (b"" if i % 2 == 0 else health), None

    m = Measurement(server)
    results = asyncio.run(hold_many(server.port, n, make, duration))
    m = m.finish()
    s = summarize_holds(results, duration)
    probe = m["probes"][0]
    passed = rss_growth(m) <= 64 * MIB and probe_ok(probe, 20)
    outcome = f"{s['text']} (held {duration} s; fresh connections may be closed by the 10 s header timeout)"
    bar = "RSS growth ≤ 64 MiB; victim p99 ≤ 20 ms, no failures"
    return m, outcome, bar, passed


def import_lines(count, seed=7):
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
                  for _ in range(3000)]
    base = 1_735_689_600_000
    for i in range(count):
        start = base + rng.randrange(365 * 24 * 3600 * 1000)
        record = {
            "call_id": f"hostile-{i}", "agent_id": f"ha{i % 1000}", "call_status": "ENDED",
            "call_type": "PHONE_CALL", "direction": "INBOUND", "from_number": f"+1555{rng.randrange(10 ** 7):07d}",
            "to_number": None, "start_timestamp": start, "end_timestamp": start + rng.randrange(1000, 900000),
            "transcript": " ".join(rng.choice(vocabulary) for _ in range(40)),
        }
        yield json.dumps(record, separators=(",", ":"))


def attack_huge_lists(ctx):
    server, scale = ctx.server, ctx.scale
    creds = server.creds[ATTACKER]
    body = ("\n".join(import_lines(scale["import_calls"])) + "\n").encode()
    t0 = time.monotonic()
    status, answer = simple_request(server.port, "POST", "/api/calls/import", body, creds,
                                    "application/x-ndjson", timeout=300)
    imported = f"import of {scale['import_calls']} calls ({len(body) / MIB:.1f} MiB): {status} in {time.monotonic() - t0:.1f} s"
    wait_idle(server.pid, 1.0, 30)

    rng = random.Random(3)
    bodies = []
    for k in range(8):
        values = [f"ha{(k * 131 + j) % 1000}" if j % 2 == 0 else f"zz{k}-{j}" for j in range(1000)]
        rng.shuffle(values)
        bodies.append(json.dumps({"limit": 100, "page": k, "sort_by": ["call_id", "call_duration", "start_timestamp"][k % 3],
                                  "filter_criteria": {"agent_id": values}}))
    m = Measurement(server)
    stats = asyncio.run(flood(server.port, creds, bodies, scale["flood_clients"], scale["flood_secs"]))
    m = m.finish()
    over = {}
    for size in (1001, 70000):
        big = json.dumps({"filter_criteria": {"agent_id": [format(j, "x") for j in range(size)]}})
        over[size] = simple_request(server.port, "POST", "/api/calls", big, creds)[0]
    probe = m["probes"][0]
    outcome = (f"{imported}; {flood_text(stats, scale['flood_secs'])}; 1,001 values → {over[1001]}, "
               f"70,000 values → {over[70000]}")
    passed = probe_ok(probe, 50) and over[1001] == 400 and over[70000] == 400
    bar = "victim p99 ≤ 50 ms, no failures; 1,001 and 70,000 values → 400"
    return m, outcome, bar, passed


def attack_prefix_flood(ctx):
    server, scale = ctx.server, ctx.scale
    terms = [f"{c}*" for c in "abcdefghijklmnopqrstuvwxyz012345"]
    repeated = ("a* z* " * 200)[:1000].strip()
    bodies = [json.dumps({"limit": 20, "filter_criteria": {"transcript_search": " ".join(terms)}}),
              json.dumps({"limit": 20, "filter_criteria": {"transcript_search": repeated}}),
              json.dumps({"limit": 20, "sort_by": "call_duration",
                          "filter_criteria": {"transcript_search": " ".join(terms[::-1])}})]
    m = Measurement(server)
    stats = asyncio.run(flood(server.port, server.creds[ATTACKER], bodies, scale["flood_clients"], scale["flood_secs"]))
    m = m.finish()
    passed = probe_ok(m["probes"][0], 50)
    return m, flood_text(stats, scale["flood_secs"]), "victim p99 ≤ 50 ms, no failures", passed


PHRASES = [
    '"customer agent"', '"i need help with a refund for my last order"', '"thank you goodbye agent hello"',
    '"customer i need help" "agent sure let me check"', '"for calling have a wonderful day"',
    '"my credit card was charged twice this month" "agent of course"', '"agent customer agent"',
    '"you today customer my password"', '"the café reservation line customer"',
]


def attack_phrase_flood(ctx):
    server, scale = ctx.server, ctx.scale
    bodies = []
    for i, phrase in enumerate(PHRASES):
        bodies.append(json.dumps({"limit": 20, "filter_criteria": {"transcript_search": phrase}}))
        bodies.append(json.dumps({"limit": 100, "page": i, "include_transcript": True,
                                  "filter_criteria": {"transcript_search": phrase}}))
    clients = scale["phrase_clients"]
    m = Measurement(server, probes=[("victim {\"limit\":20}", PAGE_BODY, 0.05),
                                    ("victim deferred list", DEFERRED_BODY, 0.1)])
    stats = asyncio.run(flood(server.port, server.creds[ATTACKER], bodies, clients, scale["flood_secs"],
                              leaving=clients // 4))
    m = m.finish()
    # Abandoned requests should be dropped, not computed: how long does the server stay busy?
    idle, busy = wait_idle(server.pid, 1.0, 120)
    refused = stats["status"].get(429, 0) + stats["status"].get(503, 0)
    outcome = (f"{flood_text(stats, scale['flood_secs'])}; refused (429/503) {refused}; server busy for "
               + (f"{max(0.0, busy - 1.0):.0f} s" if idle else "more than 120 s") + " after the flood ended")
    passed = probe_ok(m["probes"][0], 50) and probe_ok(m["probes"][1], 500)
    bar = "victim {\"limit\":20} p99 ≤ 50 ms and victim deferred list p99 ≤ 500 ms, no failures"
    return m, outcome, bar, passed


def attack_fd_exhaustion(ctx):
    scale = ctx.scale
    second = Server(ctx.args.server, 2000, nofile=128)
    try:
        wait_idle(second.pid, 1.0, 30)
        creds = second.creds[VICTIM]
        existing = socket.create_connection(("127.0.0.1", second.port), timeout=5)
        request = request_bytes("POST", "/api/calls", PAGE_BODY, creds)

        def ask_existing():
            try:
                existing.sendall(request)
                buf = b""
                while b"\r\n\r\n" not in buf:
                    chunk = existing.recv(65536)
                    if not chunk:
                        return "closed"
                    buf += chunk
                head, rest = buf.split(b"\r\n\r\n", 1)
                status, headers = parse_head(head)
                length = int(headers.get("content-length", "0"))
                while len(rest) < length:
                    chunk = existing.recv(65536)
                    if not chunk:
                        return "closed"
                    rest += chunk
                return status
            except OSError as e:
                return type(e).__name__

        first = ask_existing()
        m = Measurement(second)
        hold_seconds = scale["fd_hold"]
        answers = Counter()

        async def attack():
            conns = []

            async def open_one():
                try:
                    conns.append(await connect(second.port, timeout=2))
                except (OSError, asyncio.TimeoutError):
                    pass

            await asyncio.gather(*(open_one() for _ in range(scale["fd_conns"])))
            ticks, t0 = cpu_ticks(second.pid), time.monotonic()
            for _ in range(hold_seconds):
                await asyncio.sleep(1)
                answers[await asyncio.get_running_loop().run_in_executor(None, ask_existing)] += 1
            cpu = (cpu_ticks(second.pid) - ticks) / CLK_TCK / (time.monotonic() - t0) * 100
            for _, writer in conns:
                writer.transport.abort()
            return len(conns), cpu

        opened, cpu = asyncio.run(attack())
        m.cpu_override = cpu
        t_close = time.monotonic()
        healthy_after = None
        while time.monotonic() - t_close < 10:
            try:
                if simple_request(second.port, "GET", "/healthz", timeout=2)[0] == 200:
                    healthy_after = time.monotonic() - t_close
                    break
            except OSError:
                pass
            time.sleep(0.2)
        m = m.finish()
        existing.close()
        outcome = (f"{opened}/{scale['fd_conns']} connections opened against a server with 128 fds; CPU over the "
                   f"{hold_seconds} s hold {cpu:.0f}% of a core; an existing keep-alive connection (first answer "
                   f"{first}) answered {statuses(answers)}; /healthz after closing: "
                   + (f"200 after {healthy_after:.1f} s" if healthy_after is not None else "no 200 within 10 s")
                   + "; the probe row is the limited server, fresh connections")
        passed = cpu <= 20 and healthy_after is not None and healthy_after <= 5 and answers.get(200, 0) == hold_seconds
        bar = "server CPU ≤ 20% of a core while exhausted; existing connection answered; /healthz 200 within 5 s after"
        return m, outcome, bar, passed
    finally:
        second.stop()


def attack_no_reader(ctx):
    server, scale = ctx.server, ctx.scale
    creds = server.creds[ATTACKER]
    n, per = scale["noreader_conns"], scale["noreader_reqs"]
    m = Measurement(server)
    deadline = time.monotonic() + scale["hold"]
    results = [None] * n

    def one(i):
        try:
            sock = blocking_connect(server.port)
        except OSError as e:
            results[i] = (0, f"connect {type(e).__name__}", 0)
            return
        # Each body padded with spaces to 16 KiB: the offered input is far beyond socket buffers.
        chunks = (request_bytes("POST", "/api/calls", json.dumps({"limit": 100, "page": (i + j) % 50,
                                                                    "include_transcript": True}).ljust(16384), creds)
                  for j in range(per))
        results[i] = stream_out(sock, chunks, deadline, stall_seconds=3)
        # Hold the connection, still not reading, until the deadline.
        while time.monotonic() < deadline:
            time.sleep(0.2)
        sock.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    m = m.finish()
    sent = sum(r[0] for r in results)
    whys = Counter(r[1] for r in results)
    outcome = (f"{n} connections × {per} pipelined include_transcript lists (limit 100, bodies padded to 16 KiB, "
               f"{n * per * 16 / 1024:.0f} MiB offered): server accepted {sent / MIB:.1f} MiB in total; "
               f"endings {statuses(whys)}")
    passed = rss_growth(m) <= 64 * MIB and probe_ok(m["probes"][0], 50)
    bar = "RSS growth ≤ 64 MiB (nothing read past one pipelined head while a response waits); victim p99 ≤ 50 ms"
    return m, outcome, bar, passed


def attack_body_budget(ctx):
    server, scale = ctx.server, ctx.scale
    n, duration = scale["budget_conns"], scale["hold"]
    creds = server.creds[ATTACKER]
    size = 1048576 - 1
    head = request_bytes("POST", "/api/calls", creds=creds, content_length=size)

    def make(i):
        # The head and 4 KiB of body, then 4 KiB a second: the bodies stay announced, not sent.
        return head + b" " * 4096, (b" " * 4096 for _ in range(10 ** 6))

    m = Measurement(server)
    results = asyncio.run(hold_many(server.port, n, make, duration))
    m = m.finish()
    s = summarize_holds(results, duration)
    quick_503 = [r for r in results if r["status"] == 503 and r["status_at"] is not None and r["status_at"] < 2]
    with_retry = sum(1 for r in quick_503 if r["retry_after"])
    expected = max(0, n - (256 * MIB) // size)
    outcome = (f"{n} × {size} bytes announced ({n * size / MIB:.0f} MiB, budget 256 MiB, so ≥ {expected} should be "
               f"refused): {s['text']}; 503 within 2 s: {len(quick_503)} ({with_retry} with Retry-After)")
    passed = (len(quick_503) >= expected and with_retry == len(quick_503) and rss_growth(m) <= 64 * MIB
              and probe_ok(m["probes"][0], 50))
    bar = f"≥ {expected} answered 503 + Retry-After before their body; RSS growth ≤ 64 MiB; victim p99 ≤ 50 ms"
    return m, outcome, bar, passed


def attack_pipeline_flood(ctx):
    server, scale = ctx.server, ctx.scale
    bodies = [json.dumps({"limit": 20, "page": p}) for p in range(10)]
    m = Measurement(server)
    stats = asyncio.run(flood(server.port, server.creds[ATTACKER], bodies, scale["pipeline_conns"],
                              scale["flood_secs"], pipeline=64))
    m = m.finish()
    passed = probe_ok(m["probes"][0], 50)
    return m, flood_text(stats, scale["flood_secs"]), "victim p99 ≤ 50 ms, no failures", passed


ATTACKS = [
    ("body-trickle", attack_body_trickle),
    ("header-dribble", attack_header_dribble),
    ("stream-behind-slow", attack_stream_behind_slow),
    ("idle-10k", attack_idle_10k),
    ("huge-lists", attack_huge_lists),
    ("prefix-flood", attack_prefix_flood),
    ("phrase-flood", attack_phrase_flood),
    ("fd-exhaustion", attack_fd_exhaustion),
    ("no-reader", attack_no_reader),
    ("body-budget", attack_body_budget),
    ("pipeline-flood", attack_pipeline_flood),
]


# ---------------------------------------------------------------------------------------------
# Report


HEADER = (f"{'attack':<19} {'well-behaved p50/p99/max ms':>28} {'bad/total':>10} "
          f"{'RSS MiB before/peak/after (+peak)':>34} {'CPU %':>6}  verdict")


def print_row(name, m, outcome, bar, passed):
    def mib(x):
        return f"{x / MIB:.0f}"

    rss = f"{mib(m['rss_before'])}/{mib(m['rss_peak'])}/{mib(m['rss_after'])} (+{mib(m['rss_peak'] - m['rss_before'])})"
    for i, p in enumerate(m["probes"]):
        lat = f"{p['p50']:.1f}/{p['p99']:.1f}/{p['max']:.1f}"
        if i == 0:
            print(f"{name:<19} {lat:>28} {p['bad']:>4}/{p['total']:<5} {rss:>34} {m['cpu']:>6.0f}  "
                  f"{'PASS' if passed else 'FAIL'}")
        else:
            print(f"{'':<19} {lat:>28} {p['bad']:>4}/{p['total']:<5}   ({p['label']})")
        if p["bad"]:
            print(f"    {p['label']} statuses: {statuses(Counter(p['statuses']))}")
    print(f"    outcome: {outcome}")
    print(f"    bar: {bar}")
    sys.stdout.flush()


class Context:
    def __init__(self, args, server):
        self.args, self.server, self.scale = args, server, SCALES[args.scale]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--probe-worker":
        probe_worker(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description="Hostile clients against the release CallServer.",
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("Attacks (names for --only):")[1].split("It is a")[0])
    parser.add_argument("--server", default=".build/release/CallServer", help="server binary (built beforehand)")
    parser.add_argument("--calls", type=int, default=20000, help="demo calls (--demo N), default 20000")
    parser.add_argument("--only", default="", help="comma-separated attack names")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--strict", action="store_true", help="exit 1 when an attack fails its bar")
    args = parser.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    if not os.access(args.server, os.X_OK):
        log(f"{args.server} not found: build it first (swift build -c release --product CallServer)")
        return 2
    args.server = os.path.abspath(args.server)
    names = [name for name, _ in ATTACKS]
    only = [x for x in args.only.split(",") if x]
    unknown = [x for x in only if x not in names]
    if unknown:
        log(f"unknown attack(s) {', '.join(unknown)}; known: {', '.join(names)}")
        return 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 10000 + 2000
    if hard != resource.RLIM_INFINITY and hard < want:
        log(f"warning: the file-descriptor hard limit is {hard}; idle-10k needs about {want}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else want * 2, hard))

    log(f"starting {args.server} with {args.calls} demo calls...")
    server = Server(args.server, args.calls)
    failures = ran = 0
    try:
        wait_idle(server.pid, 3.0, 120)
        ctx = Context(args, server)
        print(f"CallServer hostile clients, scale {args.scale}, {args.calls} demo calls; attacker {ATTACKER}, "
              f"well-behaved client {VICTIM}")
        print(HEADER)
        for name, attack in ATTACKS:
            if only and name not in only:
                continue
            if not server.alive():
                print(f"{name:<19} the server is no longer running (exit {server.proc.returncode}): FAIL")
                failures += 1
                ran += 1
                continue
            log(f"{name}...")
            # Work left over from the previous attack (requests still queued) must not count here.
            idle, waited = wait_idle(server.pid, 1.0, 90)
            try:
                m, outcome, bar, passed = attack(ctx)
                if not idle:
                    outcome += "; NOTE: the main server was still busy 90 s after the previous attack when this one began"
                elif waited > 5:
                    outcome += f"; began after {waited:.0f} s waiting for the main server to finish the previous attack's work"
            except Exception as e:  # a broken attack is reported, the others still run
                print(f"{name:<19} the attack itself failed: {type(e).__name__}: {e}")
                failures += 1
                ran += 1
                continue
            if not server.alive():
                outcome += f"; THE SERVER EXITED ({server.proc.returncode})"
                passed = False
            print_row(name, m, outcome, bar, passed)
            failures += 0 if passed else 1
            ran += 1
        print(f"{ran - failures} of {ran} attacks within their bars")
    finally:
        server.stop()
    return 1 if (args.strict and failures) else 0


if __name__ == "__main__":
    sys.exit(main())
