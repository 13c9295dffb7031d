"""Starts a real CallServer for the reference-client suites: keys made by its own CLI, calls from the
black-box generator, an ephemeral port, and the ready line read from its output."""

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
GEN_DATA = HERE.parent / "blackbox" / "gen_data.py"
READY = re.compile(r"^CallServer listening on (http://\S+)$")


class Credential:
    """One API key: its organization and the two headers that carry it."""

    def __init__(self, record):
        self.org = record["organization_id"]
        self.key = record["key"]
        self.secret = record["secret"]

    @property
    def headers(self):
        return {"X-API-KEY": self.key, "X-API-SECRET": self.secret}


class CallServer:
    """A running server. `writer` is org-alpha's read+write key, `reader` its read-only key, `other` org-beta's
    read+write key; `calls` holds the imported records."""

    def __init__(self, binary, extra_args=(), count=300):
        self.binary = binary
        self.work = pathlib.Path(tempfile.mkdtemp(prefix="callserver-clients-"))
        self.keys_file = self.work / "keys.json"
        self.writer = self._create_key("org-alpha", "calls:read", "calls:write")
        self.reader = self._create_key("org-alpha", "calls:read")
        self.other = self._create_key("org-beta", "calls:read", "calls:write")
        data = self.work / "calls.ndjson"
        subprocess.run([sys.executable, str(GEN_DATA), "--count", str(count), "--out", str(data)], check=True)
        # NDJSON lines end at "\n" only: str.splitlines would also split at U+2028 and the like inside transcripts.
        self.calls = [json.loads(line) for line in data.read_text(encoding="utf-8").split("\n") if line.strip()]
        self.stdout_path = self.work / "server.out"
        self.stderr_path = self.work / "server.err"
        args = [binary, "--host", "127.0.0.1", "--port", "0", "--keys", str(self.keys_file),
                "--data-dir", str(self.work / "data"), "--import", str(data), *extra_args]
        self.process = subprocess.Popen(
            args, cwd=self.work, stdout=open(self.stdout_path, "wb"), stderr=open(self.stderr_path, "wb"))
        self.base_url = self._wait_ready()

    def _create_key(self, org, *scopes):
        args = [self.binary, "keys", "create", "--org", org, "--keys", str(self.keys_file)]
        for scope in scopes:
            args += ["--scope", scope]
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
        return Credential(json.loads(out))

    def _wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.stderr()[-2000:]}")
            for line in self.stdout_path.read_text(errors="replace").splitlines():
                match = READY.match(line)
                if match:
                    return match.group(1)
            time.sleep(0.05)
        raise RuntimeError("server printed no ready line")

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")

    def request(self, method, path, body=None, headers=None):
        """One request; returns (status, headers, decoded JSON or raw text)."""
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers or {})
        if data is not None and not request.has_header("Content-type"):
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, response_headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, response_headers, raw = error.code, error.headers, error.read()
        text = raw.decode()
        is_json = (response_headers.get("Content-Type") or "").startswith("application/json")
        return status, response_headers, json.loads(text) if is_json and text else text

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.work, ignore_errors=True)


def binary():
    """The server binary under test (from run.sh)."""
    path = os.environ.get("CALLSERVER_BIN")
    if not path:
        raise RuntimeError("CALLSERVER_BIN is not set: run these suites through scripts/clients/run.sh")
    return path
