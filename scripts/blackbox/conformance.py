#!/usr/bin/env python3
"""Raw-socket HTTP/1.1 conformance and request-smuggling probes against a live CallServer.

Each probe sends exact bytes and checks the outcome that RFC 9112/9110 and API.md
require: valid framings are served (Content-Length, chunked with extensions and
trailers, pipelining, byte-by-byte delivery, keep-alive, `Connection: close`,
HTTP/1.0, `Expect: 100-continue`); ambiguous or malformed messages get a 400 JSON
envelope with `error: "bad_request"` and the connection is closed, so a request
smuggled behind them is never answered; limits give 413/414/431/505.  Every
response must carry `Date`, an exact `Content-Length` (none on 1xx/204) and
`X-Request-Id` (the client's when it sent a sane one).  After every probe the
server must still answer `GET /healthz` on a new connection.

Usage: conformance.py --host 127.0.0.1 --port 8080 [--keys credentials.ndjson] [--slow]
       [--only SUBSTRING]
       conformance.py --host H --port P --keys FILE --shutdown-pid PID

--keys (NDJSON of `CallServer keys create` outputs) enables the probes that need a
key with calls:read; --slow adds the 10 s header-timeout probe; --shutdown-pid runs only
the shutdown probe, which sends SIGTERM to that server process itself and expects 503 +
`Connection: close` on connections that were open.  Prints each failure
and a final line `N passed, N failed`; exits 1 on any failure.
"""

import argparse
import email.utils
import json
import os
import random
import re
import signal
import socket
import struct
import sys
import threading
import time

READ_TIMEOUT = 5.0
CLOSE_TIMEOUT = 3.0
MAX_BODY = 1024 * 1024
DATE_RE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
                     r"Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$")
JSON_TYPE = "application/json;charset=utf-8"


class ProbeError(Exception):
    """The conversation with the server went wrong (timeout, early close, bad framing)."""


# --------------------------------------------------------------------------- wire level

class Response:
    """One parsed HTTP response."""

    def __init__(self, version, status, reason, headers, body, head):
        self.version, self.status, self.reason = version, status, reason
        self.headers, self.body, self.head = headers, body, head

    def values(self, name):
        """All values of a header field (case-insensitive name)."""
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def value(self, name):
        """The single value of a header field, or None."""
        values = self.values(name)
        return values[0] if len(values) == 1 else None

    def json(self):
        """The body parsed as JSON, or None."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def __repr__(self):
        return "%s %d %s (%d body bytes)" % (self.version, self.status, self.reason,
                                             len(self.body))


class Wire:
    """A raw TCP connection to the server with a read buffer."""

    def __init__(self, host, port, timeout=READ_TIMEOUT):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        self.timeout = timeout

    def send(self, data):
        """Send all bytes; a peer that already closed is not an error here."""
        try:
            self.sock.sendall(data)
        except OSError:
            pass

    def send_slowly(self, data, step=1, delay=0.002):
        """Send `data` a few bytes at a time with pauses (no Nagle delay)."""
        for start in range(0, len(data), step):
            self.send(data[start:start + step])
            time.sleep(delay)

    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProbeError("timed out waiting for the server")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise ProbeError("timed out waiting for the server")
        except ConnectionResetError:
            raise ProbeError("connection reset by the server")
        if not chunk:
            raise ProbeError("connection closed by the server")
        self.buffer += chunk

    def _take(self, size, deadline):
        while len(self.buffer) < size:
            self._fill(deadline)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _line(self, deadline):
        while b"\r\n" not in self.buffer:
            self._fill(deadline)
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def read_response(self, method="GET", timeout=None):
        """Read one response (an interim 1xx too); body framed as the headers say."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while b"\r\n\r\n" not in self.buffer:
            if len(self.buffer) > 65536:
                raise ProbeError("response header section too long")
            self._fill(deadline)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        match = re.match(r"^(HTTP/\d\.\d) (\d{3}) ?(.*)$", lines[0])
        if not match:
            raise ProbeError("bad status line %r" % lines[0])
        headers = []
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                raise ProbeError("bad response header line %r" % line)
            headers.append((name, value.strip()))
        response = Response(match.group(1), int(match.group(2)), match.group(3), headers,
                            b"", head)
        response.body = self._read_body(response, method, deadline)
        return response

    def _read_body(self, response, method, deadline):
        if response.status < 200 or response.status in (204, 304) or method == "HEAD":
            return b""
        length = response.value("Content-Length")
        if length is not None and length.isdigit():
            return self._take(int(length), deadline)
        if "chunked" in ",".join(response.values("Transfer-Encoding")).lower():
            return self._read_chunked(deadline)
        return self.read_to_end(deadline - time.monotonic())[1]

    def _read_chunked(self, deadline):
        body = b""
        while True:
            size = int(self._line(deadline).split(b";")[0], 16)
            if size == 0:
                while self._line(deadline):
                    pass
                return body
            body += self._take(size, deadline)
            self._line(deadline)

    def read_to_end(self, timeout=CLOSE_TIMEOUT):
        """Read until the server closes; return (closed, bytes after what was parsed)."""
        deadline = time.monotonic() + max(timeout, 0.1)
        while True:
            try:
                self._fill(deadline)
            except ProbeError as err:
                data, self.buffer = self.buffer, b""
                return "timed out" not in str(err), data

    def close(self, reset=False):
        """Close the socket (with an RST when `reset`)."""
        if reset:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


# --------------------------------------------------------------------------- requests

class Target:
    """Where the server is and which credentials to use."""

    def __init__(self, host, port, cred):
        self.host, self.port, self.cred = host, port, cred
        self.authority = "%s:%d" % (host, port)
        self.counter = 0
        self.sigterm_sent = False

    def wire(self, timeout=READ_TIMEOUT):
        """A new connection."""
        return Wire(self.host, self.port, timeout)

    def request_id(self, name):
        """A fresh, sane X-Request-Id."""
        self.counter += 1
        return "bb-%s-%d" % (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40],
                             self.counter)

    def auth(self):
        """Credential header lines (dummy ones when no key was given)."""
        cred = self.cred or {"key": "ck_none", "secret": "cs_none"}
        return ["X-API-KEY: %s" % cred["key"], "X-API-SECRET: %s" % cred["secret"]]


def build(method, target, fields=(), body=b"", version="HTTP/1.1", host="", eol="\r\n"):
    """Raw request bytes; `host` None leaves Host out, "" uses a default."""
    lines = ["%s %s %s" % (method, target, version)]
    if host is not None:
        lines.append("Host: %s" % (host or "localhost"))
    lines += list(fields)
    head = eol.join(lines) + eol + eol
    return head.encode("latin-1") + (body if isinstance(body, bytes) else body.encode())


def list_post(target, fields=(), body=b"", version="HTTP/1.1", request_id=None, auth=True):
    """A POST /api/calls with credentials and Content-Type, plus extra field lines."""
    lines = (target.auth() if auth else []) + ["Content-Type: application/json"]
    if request_id:
        lines.append("X-Request-Id: %s" % request_id)
    return build("POST", "/api/calls", lines + list(fields), body, version)


def chunked(*pieces, trailer=""):
    """A chunked body from pieces (str or bytes), with an optional trailer section."""
    out = b""
    for piece in pieces:
        data = piece.encode() if isinstance(piece, str) else piece
        out += b"%x\r\n" % len(data) + data + b"\r\n"
    return out + b"0\r\n" + trailer.encode() + b"\r\n"


def smuggled(name):
    """The request hidden behind a malformed one; it must never be answered."""
    return build("GET", "/healthz", ["X-Request-Id: smuggled-%s" % name])


# --------------------------------------------------------------------------- checks

def common_problems(response, request_id=None, method="GET"):
    """API.md's rules for every response: Date, exact Content-Length, X-Request-Id."""
    problems = []
    dates = response.values("Date")
    if len(dates) != 1 or not DATE_RE.match(dates[0]):
        problems.append("Date %r is not one IMF-fixdate" % dates)
    else:
        skew = abs(email.utils.parsedate_to_datetime(dates[0]).timestamp() - time.time())
        if skew > 300:
            problems.append("Date %r is %d s off" % (dates[0], skew))
    lengths = response.values("Content-Length")
    if response.status < 200 or response.status == 204:
        if lengths:
            problems.append("%d response has Content-Length %r (RFC 9110 §8.6)" % (
                response.status, lengths))
    elif len(lengths) != 1 or not lengths[0].isdigit():
        problems.append("Content-Length %r is not one decimal length" % lengths)
    elif method != "HEAD" and int(lengths[0]) != len(response.body):
        problems.append("Content-Length %s but %d body bytes" % (lengths[0], len(response.body)))
    ids = response.values("X-Request-Id")
    if len(ids) != 1 or not ids[0]:
        problems.append("X-Request-Id %r is not one non-empty value" % ids)
    elif request_id is not None and ids[0] != request_id:
        problems.append("X-Request-Id %r, expected the client's %r" % (ids[0], request_id))
    return problems


def envelope_problems(response, status, code):
    """The response is `status` with the JSON error envelope carrying `code`."""
    problems = []
    if response.status != status:
        problems.append("status %d, expected %d (%s)" % (response.status, status,
                                                         short(response.body)))
    content_type = (response.value("Content-Type") or "").replace(" ", "").lower()
    if content_type != JSON_TYPE:
        problems.append("Content-Type %r" % response.value("Content-Type"))
    body = response.json()
    if not isinstance(body, dict) or set(body) != {"message", "status", "error", "data"}:
        return problems + ["body is not the JSON envelope: %s" % short(response.body)]
    if body["error"] != code or body["status"] != "error" or body["data"] is not None:
        problems.append("envelope error=%r status=%r data=%r, expected error %r" % (
            body["error"], body["status"], body["data"], code))
    if not isinstance(body["message"], str) or not body["message"]:
        problems.append("empty message")
    return problems


def success_problems(response):
    """The response is a 200 list success envelope."""
    body = response.json()
    if response.status != 200:
        return ["status %d, expected 200: %s" % (response.status, short(response.body))]
    if not isinstance(body, dict) or body.get("status") != "success" or not isinstance(
            body.get("data"), dict):
        return ["not a success envelope: %s" % short(response.body)]
    return []


def short(data, limit=200):
    """A printable excerpt of bytes."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def allow_problems(response, required, forbidden=()):
    """`Allow` lists every required method and none of the forbidden ones."""
    allowed = {m.strip().upper() for v in response.values("Allow") for m in v.split(",")}
    problems = ["Allow %r lacks %s" % (response.values("Allow"), m)
                for m in required if m not in allowed]
    return problems + ["Allow %r lists %s" % (response.values("Allow"), m)
                       for m in forbidden if m in allowed]


def converse(target, data, methods=("GET",), expect_close=False, slowly=False,
             timeout=READ_TIMEOUT):
    """Send bytes, read one response per method, optionally require the close after.

    Returns (responses, problems).  With expect_close, any byte after the expected
    responses is a problem (a smuggled request was answered) and so is an open
    connection.
    """
    wire = target.wire(timeout)
    problems, responses = [], []
    try:
        if slowly:
            wire.send_slowly(data)
        else:
            wire.send(data)
        for method in methods:
            responses.append(wire.read_response(method))
        if expect_close:
            closed, extra = wire.read_to_end()
            if extra:
                problems.append("bytes after the response%s: %s" % (
                    " (a smuggled request was answered)" if b"HTTP/" in extra else "",
                    short(extra)))
            if not closed:
                problems.append("connection left open after the response")
    except ProbeError as err:
        problems.append("%s after %d response(s)" % (err, len(responses)))
    finally:
        wire.close()
    return responses, problems


# --------------------------------------------------------------------------- probes

PROBES = []


def probe(name, needs_key=False, slow=False):
    """Register a probe function(target) -> list of problems."""
    def register(function):
        PROBES.append((name, function, needs_key, slow))
        return function
    return register


@probe("GET /healthz")
def probe_healthz(target):
    """The probe named in its decorator."""
    rid = target.request_id("healthz")
    responses, problems = converse(target, build("GET", "/healthz", ["X-Request-Id: " + rid]))
    for response in responses:
        problems += common_problems(response, rid)
        if response.status != 200 or response.json() != {"status": "ok"}:
            problems.append("got %d %s, expected 200 {\"status\":\"ok\"}" % (
                response.status, short(response.body)))
    return problems


@probe("HEAD /healthz: Content-Length of the GET, no body")
def probe_head(target):
    """The probe named in its decorator."""
    data = build("HEAD", "/healthz") + build("GET", "/healthz")
    responses, problems = converse(target, data, ("HEAD", "GET"))
    if len(responses) == 2:
        head, get = responses
        problems += common_problems(head, method="HEAD") + common_problems(get)
        if head.status != 200:
            problems.append("HEAD status %d" % head.status)
        if head.value("Content-Length") != str(len(get.body)):
            problems.append("HEAD Content-Length %r, GET body is %d bytes" % (
                head.value("Content-Length"), len(get.body)))
        if get.status != 200:
            problems.append("GET after HEAD answered %d (HEAD sent a body?)" % get.status)
    return problems


@probe("OPTIONS /api/calls: 204 + Allow, no credentials")
def probe_options_calls(target):
    """The probe named in its decorator."""
    data = build("OPTIONS", "/api/calls") + build("GET", "/healthz")
    responses, problems = converse(target, data, ("OPTIONS", "GET"))
    if responses:
        problems += common_problems(responses[0])
        if responses[0].status != 204:
            problems.append("status %d, expected 204" % responses[0].status)
        problems += allow_problems(responses[0], ("POST",), ("GET",))
    if len(responses) == 2 and responses[1].status != 200:
        problems.append("request after OPTIONS answered %d" % responses[1].status)
    return problems


@probe("OPTIONS /healthz: 204 + Allow GET, HEAD")
def probe_options_healthz(target):
    """The probe named in its decorator."""
    responses, problems = converse(target, build("OPTIONS", "/healthz"), ("OPTIONS",))
    for response in responses:
        problems += common_problems(response)
        if response.status != 204:
            problems.append("status %d, expected 204" % response.status)
        problems += allow_problems(response, ("GET", "HEAD"), ("POST",))
    return problems


@probe("POST /healthz: 405 + Allow")
def probe_405_healthz(target):
    """The probe named in its decorator."""
    responses, problems = converse(target, build("POST", "/healthz", ["Content-Length: 0"]))
    for response in responses:
        problems += common_problems(response)
        if response.status != 405:
            problems.append("status %d, expected 405" % response.status)
        problems += allow_problems(response, ("GET", "HEAD"), ("POST",))
    return problems


@probe("GET /nope: 404 envelope")
def probe_404(target):
    """The probe named in its decorator."""
    responses, problems = converse(target, build("GET", "/nope"))
    for response in responses:
        problems += common_problems(response) + envelope_problems(response, 404, "not_found")
    return problems


def list_request_probe(name, fields, body, slowly=False):
    """Register a probe: a POST /api/calls framed some valid way is served (200)."""
    @probe(name, needs_key=True)
    def run(target):
        rid = target.request_id(name)
        responses, problems = converse(target, list_post(target, fields, body, request_id=rid),
                                       slowly=slowly)
        for response in responses:
            problems += common_problems(response, rid) + success_problems(response)
            data = (response.json() or {}).get("data") or {}
            if data.get("pagination", {}).get("limit", 2) != 2:
                problems.append("body not applied: limit %r" % data["pagination"]["limit"])
        return problems
    return run


LIMIT_2 = '{"limit":2}'
list_request_probe("POST /api/calls with Content-Length",
                   ["Content-Length: %d" % len(LIMIT_2)], LIMIT_2)
list_request_probe("POST /api/calls chunked", ["Transfer-Encoding: chunked"],
                   chunked('{"li', 'mit"', ":2", "}"))
list_request_probe("POST /api/calls chunked, one-byte chunks", ["Transfer-Encoding: chunked"],
                   chunked(*LIMIT_2))
list_request_probe("POST /api/calls chunked with extensions", ["Transfer-Encoding: chunked"],
                   b'6;ext=1\r\n{"limi\r\n5;a="q;uoted";b\r\nt":2}\r\n0;last\r\n\r\n')
list_request_probe("POST /api/calls chunked with trailers", ["Transfer-Encoding: chunked"],
                   chunked(LIMIT_2, trailer="X-Trailer: one\r\nX-Other: two\r\n"))
list_request_probe("POST /api/calls chunked, hex sizes with leading zeros and upper case",
                   ["Transfer-Encoding: chunked"],
                   b"000A\r\n" + b'{"limit":2' + b"\r\n01\r\n}\r\n000\r\n\r\n")
list_request_probe("POST /api/calls 'Transfer-Encoding: Chunked' (case-insensitive)",
                   ["Transfer-Encoding: Chunked"], chunked(LIMIT_2))
list_request_probe("POST /api/calls delivered byte by byte",
                   ["Content-Length: %d" % len(LIMIT_2)], LIMIT_2, slowly=True)
list_request_probe("POST /api/calls chunked, delivered byte by byte",
                   ["Transfer-Encoding: chunked"], chunked('{"limit"', ":2}"), slowly=True)

list_request_probe("POST /api/calls, Content-Length with leading zeros (1*DIGIT)",
                   ["Content-Length: 00%d" % len(LIMIT_2)], LIMIT_2)
list_request_probe("POST /api/calls, whitespace around field values (OWS)",
                   ["Content-Length: \t %d \t" % len(LIMIT_2), "X-Spaced:   a b   "], LIMIT_2)


@probe("lower- and upper-case field names", needs_key=True)
def probe_field_name_case(target):
    """The probe named in its decorator."""
    cred = target.cred
    data = build("POST", "/api/calls", [
        "x-api-key: " + cred["key"], "X-Api-Secret: " + cred["secret"],
        "CONTENT-TYPE: application/json", "content-length: %d" % len(LIMIT_2)], LIMIT_2)
    data += build("POST", "/api/calls", [
        "X-API-KEY: " + cred["key"], "x-api-secret: " + cred["secret"],
        "content-type: application/json", "TRANSFER-ENCODING: CHUNKED"], chunked(LIMIT_2))
    responses, problems = converse(target, data, ("POST", "POST"))
    for response in responses:
        problems += common_problems(response) + success_problems(response)
    return problems


@probe("HEAD /nope: 404 without a body; GET and chunked GET with bodies are framed")
def probe_head_error_and_get_bodies(target):
    """The probe named in its decorator."""
    data = (build("HEAD", "/nope") + build("GET", "/healthz", ["Transfer-Encoding: chunked"],
                                           chunked("hello", "world"))
            + build("GET", "/healthz"))
    responses, problems = converse(target, data, ("HEAD", "GET", "GET"))
    for method, response in zip(("HEAD", "GET", "GET"), responses):
        problems += common_problems(response, method=method)
    statuses = [response.status for response in responses]
    if statuses != [404, 200, 200][:len(statuses)]:
        problems.append("statuses %s, expected [404, 200, 200]" % statuses)
    return problems


@probe("POST /api/calls without body framing = empty body (defaults)", needs_key=True)
def probe_post_no_body(target):
    """The probe named in its decorator."""
    responses, problems = converse(target, list_post(target))
    for response in responses:
        problems += common_problems(response) + success_problems(response)
    return problems


@probe("GET with a Content-Length body, then a pipelined GET")
def probe_get_with_body(target):
    """The probe named in its decorator."""
    data = build("GET", "/healthz", ["Content-Length: 5"], "hello") + build("GET", "/healthz")
    responses, problems = converse(target, data, ("GET", "GET"))
    for response in responses:
        problems += common_problems(response)
        if response.status != 200:
            problems.append("status %d, expected 200" % response.status)
    return problems


@probe("GET byte by byte")
def probe_get_slowly(target):
    """The probe named in its decorator."""
    rid = target.request_id("slow")
    responses, problems = converse(target, build("GET", "/healthz", ["X-Request-Id: " + rid]),
                                   slowly=True)
    for response in responses:
        problems += common_problems(response, rid)
        if response.status != 200:
            problems.append("status %d" % response.status)
    return problems


@probe("pipelining: responses in request order")
def probe_pipelining(target):
    """The probe named in its decorator."""
    ids = [target.request_id("pipe") for _ in range(6)]
    data = b""
    for index, rid in enumerate(ids):
        method = "HEAD" if index == 2 else "GET"
        path = "/nope" if index == 4 else "/healthz"
        data += build(method, path, ["X-Request-Id: " + rid])
    methods = ["HEAD" if index == 2 else "GET" for index in range(6)]
    responses, problems = converse(target, data, methods)
    for rid, method, response in zip(ids, methods, responses):
        problems += common_problems(response, rid, method)
    expected = [200, 200, 200, 200, 404, 200]
    got = [response.status for response in responses]
    if got != expected[:len(got)]:
        problems.append("statuses %s, expected %s" % (got, expected))
    return problems


@probe("pipelining with bodies (Content-Length, chunked, empty)", needs_key=True)
def probe_pipelining_bodies(target):
    """The probe named in its decorator."""
    ids = [target.request_id("pipe-body") for _ in range(4)]
    data = (list_post(target, ["Content-Length: 11"], '{"limit":1}', request_id=ids[0])
            + list_post(target, ["Transfer-Encoding: chunked"], chunked('{"limit":', "3}"),
                        request_id=ids[1])
            + list_post(target, ["Content-Length: 0"], request_id=ids[2])
            + build("GET", "/healthz", ["X-Request-Id: " + ids[3]]))
    responses, problems = converse(target, data, ("POST", "POST", "POST", "GET"))
    limits = []
    for rid, response in zip(ids, responses):
        problems += common_problems(response, rid)
        limits.append(((response.json() or {}).get("data") or {}).get("pagination", {})
                      .get("limit"))
    if limits[:3] != [1, 3, 20][:len(limits[:3])]:
        problems.append("limits %s, expected [1, 3, 20]" % limits[:3])
    return problems


@probe("keep-alive: two requests one after the other on one connection")
def probe_keep_alive(target):
    """The probe named in its decorator."""
    wire, problems = target.wire(), []
    try:
        for _ in range(2):
            wire.send(build("GET", "/healthz"))
            response = wire.read_response()
            problems += common_problems(response)
            if response.status != 200:
                problems.append("status %d" % response.status)
    except ProbeError as err:
        problems.append(str(err))
    finally:
        wire.close()
    return problems


@probe("Connection: close: one response, then closed (the next request unanswered)")
def probe_connection_close(target):
    """The probe named in its decorator."""
    data = build("GET", "/healthz", ["Connection: close"]) + build("GET", "/healthz")
    responses, problems = converse(target, data, expect_close=True)
    for response in responses:
        problems += common_problems(response)
    return problems


@probe("Connection: keep-alive, close: closed after the response")
def probe_connection_close_list(target):
    """The probe named in its decorator."""
    data = build("GET", "/healthz", ["Connection: keep-alive, close"]) + build("GET", "/healthz")
    responses, problems = converse(target, data, expect_close=True)
    for response in responses:
        problems += common_problems(response)
    return problems


@probe("HTTP/1.0: served, then closed")
def probe_http10(target):
    """The probe named in its decorator."""
    data = build("GET", "/healthz", version="HTTP/1.0") + build("GET", "/healthz")
    responses, problems = converse(target, data, expect_close=True)
    for response in responses:
        problems += common_problems(response)
        if response.status != 200:
            problems.append("status %d" % response.status)
    return problems


@probe("HTTP/1.2 is served as HTTP/1.1")
def probe_http12(target):
    """The probe named in its decorator."""
    responses, problems = converse(target, build("GET", "/healthz", version="HTTP/1.2"))
    for response in responses:
        problems += common_problems(response)
        if response.status != 200 or response.version != "HTTP/1.1":
            problems.append("got %s %d, expected HTTP/1.1 200" % (response.version,
                                                                   response.status))
    return problems


def version_probe(version):
    """Register a probe: a major version other than 1 is 505."""
    @probe("%s: 505" % version)
    def run(target):
        responses, problems = converse(target, build("GET", "/healthz", version=version))
        for response in responses:
            problems += common_problems(response) + envelope_problems(
                response, 505, "http_version_not_supported")
        return problems
    return run


for _version in ("HTTP/2.0", "HTTP/3.0", "HTTP/0.9"):
    version_probe(_version)


@probe("absolute-form request target (RFC 9112 §3.2.2: MUST accept)")
def probe_absolute_form(target):
    """The probe named in its decorator."""
    data = build("GET", "http://%s/healthz" % target.authority, host=target.authority)
    responses, problems = converse(target, data)
    for response in responses:
        problems += common_problems(response)
        if response.status != 200:
            problems.append("status %d, expected 200" % response.status)
    return problems


@probe("empty line before the request line is ignored (RFC 9112 §2.2 SHOULD)")
def probe_leading_crlf(target):
    """The probe named in its decorator."""
    responses, problems = converse(target, b"\r\n" + build("GET", "/healthz"))
    for response in responses:
        problems += common_problems(response)
        if response.status != 200:
            problems.append("status %d, expected 200" % response.status)
    return problems


@probe("X-Request-Id: an insane one is replaced, a missing one generated")
def probe_request_id(target):
    """The probe named in its decorator."""
    problems = []
    insane = "<script> " + "x" * 300
    for fields in (["X-Request-Id: " + insane], []):
        responses, more = converse(target, build("GET", "/healthz", fields))
        problems += more
        for response in responses:
            problems += common_problems(response)
            if response.value("X-Request-Id") == insane:
                problems.append("echoed an insane X-Request-Id")
    return problems


@probe("200 pipelined requests in one send", needs_key=False)
def probe_many_pipelined(target):
    """The probe named in its decorator."""
    data = b"".join(build("GET", "/healthz" if i % 7 else "/nope") for i in range(200))
    responses, problems = converse(target, data, ["GET"] * 200)
    statuses = [response.status for response in responses]
    expected = [200 if i % 7 else 404 for i in range(200)]
    if statuses != expected[:len(statuses)]:
        problems.append("statuses out of order or wrong")
    return problems


@probe("large pipelined responses to a reader that stalls; others are served meanwhile",
       needs_key=True)
def probe_back_pressure(target):
    """The probe named in its decorator."""
    body = '{"limit":100,"include_transcript":true}'
    count = 30
    wire, problems = target.wire(timeout=20), []
    try:
        wire.send(b"".join(list_post(target, ["Content-Length: %d" % len(body)], body)
                           for _ in range(count)))
        time.sleep(0.5)
        started = time.monotonic()
        problems += server_alive(target)
        if time.monotonic() - started > 1.0:
            problems.append("GET /healthz took %.1f s while a reader stalled" % (
                time.monotonic() - started))
        sizes = set()
        for _ in range(count):
            response = wire.read_response("POST", timeout=20)
            problems += common_problems(response) + success_problems(response)
            sizes.add(len(response.body))
        if len(sizes) != 1:
            problems.append("identical requests got bodies of sizes %s" % sorted(sizes))
    except ProbeError as err:
        problems.append(str(err))
    finally:
        wire.close()
    return problems


@probe("50 concurrent connections", needs_key=True)
def probe_concurrent(target):
    """The probe named in its decorator."""
    results = []

    def one(index):
        rid = target.request_id("concurrent")
        data = build("GET", "/healthz", ["X-Request-Id: " + rid]) + list_post(
            target, ["Content-Length: 11"], '{"limit":%d}' % (index % 9 + 1), request_id=rid)
        responses, problems = converse(target, data, ("GET", "POST"), timeout=15)
        for response in responses:
            problems += common_problems(response, rid)
        if len(responses) == 2:
            problems += success_problems(responses[1])
            limit = ((responses[1].json() or {}).get("data") or {}).get("pagination", {})
            if limit.get("limit") != index % 9 + 1:
                problems.append("connection %d got another request's answer" % index)
        results.append(problems)

    threads = [threading.Thread(target=one, args=(index,)) for index in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return [problem for problems in results for problem in problems][:10] + (
        [] if len(results) == 50 else ["only %d of 50 connections finished" % len(results)])


# --------------------------------------------------------------------------- Expect

@probe("Expect: 100-continue: interim 100, then the final response", needs_key=True)
def probe_expect_continue(target):
    """The probe named in its decorator."""
    rid = target.request_id("expect")
    head = list_post(target, ["Content-Length: %d" % len(LIMIT_2), "Expect: 100-continue"],
                     request_id=rid)
    wire, problems = target.wire(), []
    try:
        wire.send(head)
        interim = wire.read_response(timeout=3)
        if interim.status != 100:
            return ["first response %d, expected 100 Continue" % interim.status]
        wire.send(LIMIT_2.encode())
        final = wire.read_response("POST")
        problems += common_problems(final, rid) + success_problems(final)
    except ProbeError as err:
        problems.append(str(err))
    finally:
        wire.close()
    return problems


@probe("Expect: 100-continue: the interim 100 carries Date and X-Request-Id (API.md: every "
       "response)", needs_key=True)
def probe_expect_interim_headers(target):
    """The probe named in its decorator."""
    rid = target.request_id("expect-interim")
    head = list_post(target, ["Content-Length: 2", "Expect: 100-continue"], request_id=rid)
    wire = target.wire()
    try:
        wire.send(head)
        interim = wire.read_response(timeout=3)
        wire.send(b"{}")
        wire.read_response("POST")
    except ProbeError as err:
        return [str(err)]
    finally:
        wire.close()
    if interim.status != 100:
        return ["first response %d, expected 100" % interim.status]
    return common_problems(interim, rid)


def early_final_probe(name, status, code, content_length, auth, needs_key):
    """Register a probe: with Expect, a rejected request gets its final status, no 100."""
    @probe(name, needs_key=needs_key)
    def run(target):
        head = list_post(target, ["Content-Length: %d" % content_length,
                                  "Expect: 100-continue"], auth=auth)
        wire, problems = target.wire(), []
        try:
            wire.send(head)
            response = wire.read_response("POST", timeout=3)
            problems += common_problems(response) + envelope_problems(response, status, code)
            if status == 401 and response.values("WWW-Authenticate") != ['ApiKey realm="calls"']:
                problems.append("WWW-Authenticate %r" % response.values("WWW-Authenticate"))
        except ProbeError as err:
            problems.append("%s (the body was withheld)" % err)
        finally:
            wire.close()
        return problems
    return run


early_final_probe("Expect: 100-continue without credentials: 401 at once, no 100", 401,
                  "unauthorized", 11, False, False)
early_final_probe("Expect: 100-continue with a body over 1 MiB: 413 at once, no 100", 413,
                  "payload_too_large", 2 * MAX_BODY, True, True)


# --------------------------------------------------------------------------- limits

def limit_probe(name, data, status, code, needs_key=False, method="GET"):
    """Register a probe: these bytes get this error status and code."""
    @probe(name, needs_key=needs_key)
    def run(target):
        raw = data(target) if callable(data) else data
        responses, problems = converse(target, raw, (method,))
        for response in responses:
            problems += common_problems(response) + envelope_problems(response, status, code)
        return problems
    return run


limit_probe("Content-Length over 1 MiB: 413 before the body is sent",
            lambda t: list_post(t, ["Content-Length: %d" % (MAX_BODY + 1)]), 413,
            "payload_too_large", needs_key=True, method="POST")
limit_probe("Content-Length over 1 MiB without credentials: 401",
            lambda t: list_post(t, ["Content-Length: %d" % (MAX_BODY + 1)], auth=False), 401,
            "unauthorized", method="POST")
limit_probe("request target over 8 KiB: 414", build("GET", "/" + "a" * 8200), 414,
            "uri_too_long")
limit_probe("request target of exactly 8 KiB is not 414", build("GET", "/" + "a" * 8191), 404,
            "not_found")
limit_probe("header section over 16 KiB: 431", build("GET", "/healthz", ["X-Big: " + "a" * 17000]),
            431, "headers_too_large")
limit_probe("101 header fields: 431",
            build("GET", "/healthz", ["X-F%d: v" % i for i in range(100)]), 431,
            "headers_too_large")


@probe("100 header fields and a 15 KB header section are served")
def probe_headers_within_limits(target):
    """The probe named in its decorator."""
    problems = []
    for fields in (["X-F%d: v" % i for i in range(99)], ["X-Big: " + "a" * 15000]):
        responses, more = converse(target, build("GET", "/healthz", fields))
        problems += more
        for response in responses:
            problems += common_problems(response)
            if response.status != 200:
                problems.append("status %d, expected 200" % response.status)
    return problems


@probe("body of exactly 1 MiB is accepted", needs_key=True)
def probe_body_at_limit(target):
    """The probe named in its decorator."""
    body = b'{"limit":2}' + b" " * (MAX_BODY - 11)
    responses, problems = converse(target, list_post(target, ["Content-Length: %d" % len(body)],
                                                     body), ("POST",), timeout=15)
    for response in responses:
        problems += common_problems(response) + success_problems(response)
    return problems


@probe("chunked body over 1 MiB: 413", needs_key=True)
def probe_chunked_over_limit(target):
    """The probe named in its decorator."""
    wire, problems = target.wire(timeout=15), []
    try:
        wire.send(list_post(target, ["Transfer-Encoding: chunked"]))
        wire.send(b"%x\r\n" % (MAX_BODY + 4096))
        piece = b" " * 65536
        for _ in range((MAX_BODY + 4096) // len(piece) + 1):
            wire.sock.settimeout(0)
            try:
                if wire.sock.recv(1, socket.MSG_PEEK):
                    break
            except (BlockingIOError, OSError):
                pass
            wire.sock.settimeout(15)
            wire.send(piece)
        response = wire.read_response("POST", timeout=10)
        problems += common_problems(response) + envelope_problems(response, 413,
                                                                  "payload_too_large")
    except ProbeError as err:
        problems.append(str(err))
    finally:
        wire.close()
    return problems


# --------------------------------------------------------------------------- smuggling

def smuggling_probe(name, data, statuses=(400,), needs_key=False):
    """Register a probe: 400 bad_request (or another listed status), then closed, and the
    request sent behind it never answered."""
    @probe("reject + close: " + name, needs_key=needs_key)
    def run(target):
        raw = (data(target) if callable(data) else data) + smuggled(name[:20])
        responses, problems = converse(target, raw, ("POST",), expect_close=True)
        for response in responses:
            problems += common_problems(response)
            if response.status in statuses and response.status != 400:
                continue
            problems += envelope_problems(response, 400, "bad_request")
        return problems
    return run


def head_error(fields, body=b"", version="HTTP/1.1"):
    """A POST /api/calls with credentials whose header section carries `fields`."""
    return lambda target: list_post(target, fields, body, version)


HEADER_SMUGGLING = [
    ("Content-Length + Transfer-Encoding", ["Content-Length: 5", "Transfer-Encoding: chunked"],
     b"0\r\n\r\n"),
    ("Transfer-Encoding + Content-Length", ["Transfer-Encoding: chunked", "Content-Length: 5"],
     b"0\r\n\r\n"),
    ("duplicate Content-Length, different", ["Content-Length: 2", "Content-Length: 3"], b"{} "),
    ("duplicate Content-Length, same", ["Content-Length: 2", "Content-Length: 2"], b"{}"),
    ("Content-Length: 2, 2", ["Content-Length: 2, 2"], b"{}"),
    ("Content-Length: +2", ["Content-Length: +2"], b"{}"),
    ("Content-Length: -1", ["Content-Length: -1"], b"{}"),
    ("Content-Length: 0x2", ["Content-Length: 0x2"], b"{}"),
    ("Content-Length: 2a", ["Content-Length: 2a"], b"{}"),
    ("Content-Length: 1 1", ["Content-Length: 1 1"], b"{}"),
    ("empty Content-Length", ["Content-Length: "], b"{}"),
    ("Transfer-Encoding: chunked, identity", ["Transfer-Encoding: chunked, identity"],
     chunked("{}")),
    ("Transfer-Encoding twice", ["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"],
     chunked("{}")),
    ("Transfer-Encoding: chunked, chunked", ["Transfer-Encoding: chunked, chunked"],
     chunked("{}")),
    ("Content-Length with space before colon", ["Content-Length : 2"], b"{}"),
    ("Transfer-Encoding with space before colon", ["Transfer-Encoding : chunked"],
     chunked("{}")),
    ("obs-fold", ["X-Folded: a", " b", "Content-Length: 2"], b"{}"),
    ("obs-fold of Transfer-Encoding", ["Transfer-Encoding:", " chunked"], chunked("{}")),
    ("bare CR in a field value", ["X-Foo: a\rb", "Content-Length: 2"], b"{}"),
    ("NUL in a field value", ["X-Foo: a\x00b", "Content-Length: 2"], b"{}"),
    ("space in a field name", ["X Foo: a", "Content-Length: 2"], b"{}"),
    ("field line without colon", ["X-Foo a", "Content-Length: 2"], b"{}"),
    ("empty field name", [": a", "Content-Length: 2"], b"{}"),
]
UNSUPPORTED_CODINGS = [
    ("Transfer-Encoding: gzip, chunked", "gzip, chunked"),
    ("Transfer-Encoding: identity", "identity"),
    ("Transfer-Encoding: xchunked", "xchunked"),
]
CHUNK_SMUGGLING = [
    ("chunk size 'zz'", b"zz\r\n{}\r\n0\r\n\r\n"),
    ("chunk size '-1'", b"-1\r\n{}\r\n0\r\n\r\n"),
    ("chunk size '0x2'", b"0x2\r\n{}\r\n0\r\n\r\n"),
    ("chunk size '+2'", b"+2\r\n{}\r\n0\r\n\r\n"),
    ("empty chunk size", b"\r\n{}\r\n0\r\n\r\n"),
    ("chunk size 2^64 (overflow)", b"10000000000000002\r\n{}\r\n0\r\n\r\n"),
    ("chunk size of 24 F (overflow)", b"FFFFFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n"),
    ("missing CRLF after chunk data", b"2\r\n{}XX0\r\n\r\n"),
    ("chunk data longer than its size", b"1\r\n{}\r\n0\r\n\r\n"),
    ("bare LF in chunk framing", b"2\n{}\n0\n\n"),
    ("bare CR in a chunk extension", b"2;a\rb\r\n{}\r\n0\r\n\r\n"),
    ("malformed trailer field", b"2\r\n{}\r\n0\r\nX Bad: a\r\n\r\n"),
    ("request line read as a trailer", b"2\r\n{}\r\n0\r\n"),
]

for _name, _fields, _body in HEADER_SMUGGLING:
    smuggling_probe(_name, head_error(_fields, _body))
for _name, _coding in UNSUPPORTED_CODINGS:
    smuggling_probe(_name, head_error(["Transfer-Encoding: " + _coding], chunked("{}")),
                    statuses=(400, 501))
for _name, _body in CHUNK_SMUGGLING:
    smuggling_probe(_name, head_error(["Transfer-Encoding: chunked"], _body), needs_key=True)

smuggling_probe("Content-Length of 20 digits (overflow)",
                head_error(["Content-Length: 99999999999999999999"], b"{}"), statuses=(400, 413))
smuggling_probe("Transfer-Encoding in HTTP/1.0",
                head_error(["Transfer-Encoding: chunked"], chunked("{}"), "HTTP/1.0"))
smuggling_probe("bare LF line endings", build("GET", "/healthz", eol="\n"))
smuggling_probe("one field line ending in bare LF",
                b"GET /healthz HTTP/1.1\r\nHost: localhost\nX-Foo: a\r\n\r\n")
smuggling_probe("bare CR ending a field line",
                b"GET /healthz HTTP/1.1\r\nHost: localhost\rX-Foo: a\r\n\r\n")
smuggling_probe("whitespace before the first field line",
                b"GET /healthz HTTP/1.1\r\n Host: localhost\r\n\r\n")
smuggling_probe("missing Host", build("GET", "/healthz", host=None))
smuggling_probe("duplicate Host", build("GET", "/healthz", ["Host: other"]))
smuggling_probe("invalid Host", build("GET", "/healthz", host="exa mple.com"))
smuggling_probe("NUL in the request line", b"GET /heal\x00thz HTTP/1.1\r\nHost: x\r\n\r\n")
smuggling_probe("space in the request target", b"GET /heal thz HTTP/1.1\r\nHost: x\r\n\r\n")
smuggling_probe("lower-case HTTP-name", b"GET /healthz http/1.1\r\nHost: x\r\n\r\n")
smuggling_probe("version HTTP/1.x", b"GET /healthz HTTP/1.x\r\nHost: x\r\n\r\n")
smuggling_probe("request line without version", b"GET /healthz\r\nHost: x\r\n\r\n")
smuggling_probe("origin-form target without slash", b"GET healthz HTTP/1.1\r\nHost: x\r\n\r\n")
smuggling_probe("invalid method token", b"GE(T /healthz HTTP/1.1\r\nHost: x\r\n\r\n")


# --------------------------------------------------------------------------- garbage, aborts

GARBAGE = [
    ("TLS ClientHello", bytes.fromhex("16030100a5010000a10303") + bytes(range(32)) + b"\r\n\r\n"),
    ("binary noise", bytes(random.Random(5).randrange(256) for _ in range(300)) + b"\r\n\r\n"),
    ("control bytes", b"\x00\x01\x02\x03\x04\r\n\r\n"),
    ("request line only spaces", b"   \r\n\r\n"),
    ("HTTP/2 connection preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
]


def garbage_probe(name, data):
    """Register a probe: garbage gets a 4xx/5xx, the connection closes, the server lives."""
    @probe("garbage: " + name)
    def run(target):
        wire, problems = target.wire(), []
        try:
            wire.send(data)
            response = wire.read_response()
            problems += common_problems(response)
            if response.status not in (400, 505):
                problems.append("status %d, expected 400 (or 505)" % response.status)
            closed, extra = wire.read_to_end()
            if not closed:
                problems.append("connection left open after garbage")
            if re.search(rb"HTTP/1\.1 [23]\d\d", extra):
                problems.append("garbage was partly served: %s" % short(extra))
        except ProbeError as err:
            problems.append(str(err))
        finally:
            wire.close()
        return problems
    return run


for _name, _data in GARBAGE:
    garbage_probe(_name, _data)


def abort_probe(name, data, reset=False, needs_key=False):
    """Register a probe: a client that sends `data` and disappears harms nothing."""
    @probe("aborted client: " + name, needs_key=needs_key)
    def run(target):
        wire = target.wire()
        wire.send(data(target) if callable(data) else data)
        time.sleep(0.05)
        wire.close(reset=reset)
        time.sleep(0.05)
        return []
    return run


abort_probe("connect and close", b"")
abort_probe("half a request line", b"GET /heal")
abort_probe("half a header section", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Fo")
abort_probe("half a body", lambda t: list_post(t, ["Content-Length: 100"], b'{"limit"'),
            needs_key=True)
abort_probe("half a chunked body",
            lambda t: list_post(t, ["Transfer-Encoding: chunked"], b"10\r\n{\"lim"), needs_key=True)
abort_probe("reset right after a request with a large response",
            lambda t: list_post(t, ["Content-Length: 42"],
                                b'{"limit":100,"include_transcript":true}  '),
            reset=True, needs_key=True)


# --------------------------------------------------------------------------- slow probes

@probe("header section not received within 10 s: 408, then closed", slow=True)
def probe_header_timeout(target):
    """The probe named in its decorator."""
    wire, problems = target.wire(timeout=20), []
    try:
        wire.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        response = wire.read_response(timeout=15)
        problems += common_problems(response) + envelope_problems(response, 408,
                                                                  "request_timeout")
        closed, _ = wire.read_to_end()
        if not closed:
            problems.append("connection left open after 408")
    except ProbeError as err:
        problems.append(str(err))
    finally:
        wire.close()
    return problems


# --------------------------------------------------------------------------- shutdown

def shutdown_probe(target, pid):
    """SIGTERM the server (pid) while two keep-alive connections are open.

    API.md: stop accepting at once, answer requests that arrive on open connections
    with 503 and `Connection: close`.  Returns problems.
    """
    problems, first, second = [], target.wire(), None
    try:
        second = target.wire()
        for wire in (first, second):
            wire.send(build("GET", "/healthz"))
            if wire.read_response().status != 200:
                problems.append("GET /healthz before SIGTERM was not 200")
        os.kill(pid, signal.SIGTERM)
        target.sigterm_sent = True
        problems += _await_503(first, build("GET", "/healthz"), "GET /healthz")
        second.send(list_post(target, ["Content-Length: 2"], "{}"))
        response = second.read_response("POST")
        problems += common_problems(response) + envelope_problems(response, 503, "unavailable")
        problems += _closes(second, response)
    except ProbeError as err:
        problems.append(str(err))
    finally:
        first.close()
        if second is not None:
            second.close()
    return problems


def _await_503(wire, request, label):
    """Repeat a request on a kept-alive connection until the shutdown answers it with 503.

    A request that was already in flight when SIGTERM arrived is finished normally; the server
    may then close the connection (200 with `Connection: close`), which is just as correct:
    there is no open connection left to answer with 503.
    """
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        wire.send(request)
        response = wire.read_response()
        if response.status == 200 and "close" in ",".join(response.values("Connection")).lower():
            closed, _ = wire.read_to_end()
            return [] if closed else ["connection left open after a 200 with Connection: close"]
        if response.status != 200:
            problems = common_problems(response) + _closes(wire, response)
            if response.status != 503:
                problems.append("%s during shutdown: %d, expected 503" % (label, response.status))
            return problems
        time.sleep(0.02)
    return ["%s still answered 200 five seconds after SIGTERM" % label]


def _closes(wire, response):
    """The response says `Connection: close` and the connection is then closed."""
    problems = []
    if "close" not in ",".join(response.values("Connection")).lower():
        problems.append("%d during shutdown without Connection: close" % response.status)
    closed, _ = wire.read_to_end()
    if not closed:
        problems.append("connection left open after the shutdown 503")
    return problems


# --------------------------------------------------------------------------- runner

def server_alive(target):
    """Problems if GET /healthz on a new connection does not answer 200."""
    try:
        responses, problems = converse(target, build("GET", "/healthz"))
    except OSError as err:
        return ["server unreachable: %s" % err]
    if problems or not responses or responses[0].status != 200:
        return ["server not healthy afterwards: %s %s" % (problems, responses)]
    return []


def load_credential(path):
    """The first key with calls:read from an NDJSON file of `keys create` outputs."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                cred = json.loads(line)
                if "calls:read" in cred.get("scopes", []):
                    return cred
    return None


def report_shutdown(target, pid):
    """Run the shutdown probe alone and print its result and summary line.

    The server always gets its SIGTERM, even when the probe cannot connect.
    """
    try:
        problems = shutdown_probe(target, pid)
    except OSError as err:
        problems = ["probe crashed: %r" % err]
    if not target.sigterm_sent:
        os.kill(pid, signal.SIGTERM)
    for problem in problems:
        print("FAIL shutdown: %s" % problem)
    print("%d passed, %d failed" % (0 if problems else 1, 1 if problems else 0))
    return 1 if problems else 0


def main(argv=None):
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--keys", help="NDJSON of `keys create` outputs (enables more probes)")
    parser.add_argument("--slow", action="store_true", help="also run the timeout probes")
    parser.add_argument("--only", help="run only probes whose name contains this")
    parser.add_argument("--shutdown-pid", type=int,
                        help="run only the shutdown probe: SIGTERM this server process")
    args = parser.parse_args(argv)
    cred = load_credential(args.keys) if args.keys else None
    target = Target(args.host, args.port, cred)
    if args.shutdown_pid:
        return report_shutdown(target, args.shutdown_pid)
    passed = failed = skipped = 0
    for name, function, needs_key, slow in PROBES:
        if (args.only and args.only not in name) or (slow and not args.slow):
            continue
        if needs_key and cred is None:
            skipped += 1
            continue
        try:
            problems = function(target)
        except (OSError, ProbeError) as err:
            problems = ["probe crashed: %r" % err]
        problems += server_alive(target)
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for problem in problems:
                print("  - %s" % problem)
        else:
            passed += 1
    if skipped:
        print("(%d probes skipped: they need --keys)" % skipped)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
