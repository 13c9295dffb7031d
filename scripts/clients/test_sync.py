"""The changes feed end to end: scripts/sync-changes.py keeps an exact SQLite copy of org-alpha's calls
through random writes, a consumer killed with SIGKILL and started again, and a server killed with SIGKILL and
started again on the same data directory and port; the changes route's contract on its own (refused
tokens and limits, a full feed from `since: null`, a deleted and re-created call_id); and the consumer
starting over after 410 cursor_expired."""

import contextlib
import json
import pathlib
import random
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


from callserver import CallServer, binary

SYNC_SCRIPT = pathlib.Path(__file__).resolve().parents[1] / "sync-changes.py"
ALPHA, BETA = "org-alpha", "org-beta"
STATUSES = ("SCHEDULED", "REGISTERED", "ONGOING", "ENDED", "ERROR")
ENDED_STATUSES = ("ENDED", "ERROR")


class RestartableServer(CallServer):
    """A CallServer that can be killed with SIGKILL and started again on the same data directory and port."""

    restarts = 0

    def kill_and_restart(self, downtime=0.0):
        """SIGKILL, `downtime` seconds with nothing listening, then the same server again."""
        self.process.kill()
        self.process.wait()
        time.sleep(downtime)
        port = urllib.parse.urlsplit(self.base_url).port
        args = self._restart_args(list(self.process.args), port)
        self.restarts += 1
        self.stdout_path = self.work / f"server-restart-{self.restarts}.out"
        self.stderr_path = self.work / f"server-restart-{self.restarts}.err"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(args, cwd=self.work, stdout=out, stderr=err)
        restarted_url = self._wait_ready()
        assert restarted_url == self.base_url, f"restarted on {restarted_url}, not {self.base_url}"

    @staticmethod
    def _restart_args(args, port):
        """The first start's arguments without `--import FILE` (the data is in the data directory now) and
        with the port it was given."""
        restarted = []
        arguments = iter(args)
        for argument in arguments:
            if argument == "--import":
                next(arguments)
            elif argument == "--port":
                next(arguments)
                restarted += ["--port", str(port)]
            else:
                restarted.append(argument)
        return restarted


@contextlib.contextmanager
def writes_in_background(writer, count):
    """Run `count` writes on another thread meanwhile; their failure fails the test."""
    failures = []

    def run():
        try:
            writer.run(count)
        except BaseException as error:  # noqa: BLE001 - re-raised on the test's thread
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if failures:
        raise failures[0]


@contextlib.contextmanager
def running(server):
    try:
        yield server
    finally:
        server.stop()


# --- REST helpers --------------------------------------------------------------------------------

def call_body(rng, label):
    """A valid PUT body: ENDED/ERROR carry end_timestamp >= start, the other statuses none."""
    status = rng.choice(STATUSES)
    start = 1703097600000 + rng.randrange(0, 30 * 86400) * 1000
    body = {
        "agent_id": rng.choice(("agent-1", "agent-2", "agent-3")),
        "call_status": status,
        "call_type": rng.choice(("PHONE_CALL", "WEB_CALL")),
        "direction": rng.choice(("INBOUND", "OUTBOUND")),
        "from_number": rng.choice(("+15551234567", "+442071838750", None)),
        "to_number": rng.choice(("+15557654321", None)),
        "start_timestamp": start,
        "transcript": f"{label}: refund Café 東京 «{rng.randrange(10**6)}»\u2028second line",
        "metadata": rng.choice(({}, {"campaign": "spring"}, {"lang": "fr", "tier": "Été"})),
    }
    if status in ENDED_STATUSES:
        body["end_timestamp"] = start + rng.randrange(0, 600_000)
    return body


def write(server, credential, method, path, body=None, expect=(200,)):
    status, _, answer = server.request(method, path, body, credential.headers)
    assert status in expect, f"{method} {path} {body!r} -> {status} {answer}"
    return answer


def post_import(server, credential, ndjson):
    """POST /api/calls/import. Not through server.request, which always sends application/json: it looks for
    'Content-Type' among urllib's headers, which urllib stores as 'Content-type', and then overrides it."""
    request = urllib.request.Request(server.base_url + "/api/calls/import", data=ndjson.encode(), method="POST",
                                     headers={**credential.headers, "Content-Type": "application/x-ndjson"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def list_calls(server, credential, include_transcript):
    """Every call of the credential's organization by id, paged through by cursor."""
    calls, cursor = {}, None
    while True:
        body = {"limit": 100, "include_transcript": include_transcript}
        if cursor is not None:
            body["cursor"] = cursor
        status, _, answer = server.request("POST", "/api/calls", body, credential.headers)
        assert status == 200, answer
        for call in answer["data"]["calls"]:
            assert call["id"] not in calls, f"list returned {call['id']} twice"
            calls[call["id"]] = call
        cursor = answer["data"]["pagination"]["next_cursor"]
        if cursor is None:
            return calls


def changes(server, credential, body):
    return server.request("POST", "/api/calls/changes", body, credential.headers)


def feed(server, credential, since, limit=7):
    """Every change after `since`, page by page until has_more is false; returns (changes, next_since)."""
    collected = []
    while True:
        status, _, answer = changes(server, credential, {"since": since, "limit": limit})
        assert status == 200, answer
        data = answer["data"]
        assert data["organization_id"] == credential.org
        assert len(data["changes"]) <= limit
        assert isinstance(data["next_since"], str)
        collected += data["changes"]
        since = data["next_since"]
        if not data["has_more"]:
            return collected, since


class RandomWriter:
    """Seeded random writes to org-alpha (and a few to org-beta), keeping the set of call_ids each has."""

    def __init__(self, server, seed):
        self.server = server
        self.rng = random.Random(seed)
        self.live = {org: {c["call_id"] for c in server.calls if c["organization_id"] == org} for org in (ALPHA, BETA)}
        self.serial = 0

    def new_call_id(self):
        self.serial += 1
        return f"sync-{self.serial}"

    def existing(self, org=ALPHA):
        return self.rng.choice(sorted(self.live[org]))

    def put(self, call_id, org=ALPHA):
        credential = self.server.writer if org == ALPHA else self.server.other
        created = call_id not in self.live[org]
        write(self.server, credential, "PUT", f"/api/calls/{call_id}", call_body(self.rng, call_id),
              expect=(201,) if created else (200,))
        self.live[org].add(call_id)

    def create(self):
        self.put(self.new_call_id())

    def replace(self):
        self.put(self.existing())

    def patch(self):
        change = self.rng.choice(({"agent_id": "agent-2"}, {"agent_id": f"agent-{self.rng.randrange(100)}"},
                                  {"transcript": f"patched {self.rng.randrange(10**6)} naïve"},
                                  {"metadata": {"patched": str(self.rng.randrange(100))}}, {"metadata": None}))
        write(self.server, self.server.writer, "PATCH", f"/api/calls/{self.existing()}", change)

    def delete(self, call_id=None):
        call_id = call_id or self.existing()
        write(self.server, self.server.writer, "DELETE", f"/api/calls/{call_id}")
        self.live[ALPHA].discard(call_id)

    def recreate(self):
        call_id = self.existing()
        self.delete(call_id)
        self.put(call_id)

    def import_batch(self):
        call_ids = {self.new_call_id() for _ in range(self.rng.randint(1, 4))}
        call_ids |= set(self.rng.sample(sorted(self.live[ALPHA]), self.rng.randint(0, 3)))
        lines = [json.dumps({**call_body(self.rng, call_id), "call_id": call_id}) for call_id in sorted(call_ids)]
        status, answer = post_import(self.server, self.server.writer, "\n".join(lines) + "\n")
        assert status == 200, f"import of {sorted(call_ids)} -> {status} {answer}"
        self.live[ALPHA] |= call_ids

    def write_beta(self):
        """org-beta writes, some to call_ids org-alpha also has: none may reach org-alpha's copy."""
        roll = self.rng.random()
        if roll < 0.4:
            self.put(self.existing(ALPHA), org=BETA)
        elif roll < 0.7:
            self.put(self.new_call_id(), org=BETA)
        else:
            call_id = self.existing(BETA)
            write(self.server, self.server.other, "DELETE", f"/api/calls/{call_id}")
            self.live[BETA].discard(call_id)

    def step(self):
        if len(self.live[ALPHA]) < 5:
            return self.create()
        operations = (self.create, self.replace, self.patch, self.delete, self.recreate, self.import_batch,
                      self.write_beta)
        self.rng.choices(operations, weights=(4, 2, 4, 3, 2, 1, 1))[0]()

    def run(self, count):
        for _ in range(count):
            self.step()


# --- The consumer --------------------------------------------------------------------------------

class Consumer:
    """scripts/sync-changes.py against org-alpha into one SQLite file; every run's output goes to one log."""

    def __init__(self, server, db, log, *options):
        self.server, self.db, self.log, self.options = server, db, log, options
        self.process = None

    def command(self, *mode):
        return [sys.executable, str(SYNC_SCRIPT), "--url", self.server.base_url, "--key", self.server.writer.key,
                "--secret", self.server.writer.secret, "--db", str(self.db), *self.options, *mode]

    def start(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self.command("--interval", "0.2"), stdout=log, stderr=log)

    def kill(self):
        assert self.process.poll() is None, f"the consumer exited early ({self.process.returncode}):\n{self.output()}"
        self.process.kill()
        self.process.wait()

    def run_once(self):
        with open(self.log, "ab") as log:
            finished = subprocess.run(self.command("--once"), stdout=log, stderr=log, timeout=60)
        assert finished.returncode == 0, f"--once exited {finished.returncode}:\n{self.output()}"

    def output(self):
        return self.log.read_text(errors="replace")[-4000:]

    def token(self):
        with contextlib.closing(sqlite3.connect(self.db, timeout=30)) as connection:
            try:
                row = connection.execute("SELECT since FROM sync_state").fetchone()
            except sqlite3.OperationalError:  # the consumer has not created its tables yet
                return None
        return row[0] if row else None

    def wait_for_new_token(self, previous, timeout=15):
        """Wait until the consumer has committed a page after `previous` (so a kill then is mid-stream)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            token = self.token()
            if token is not None and token != previous:
                return token
            time.sleep(0.05)
        raise AssertionError(f"the consumer committed no new page in {timeout} s:\n{self.output()}")

    def copy(self):
        """The stored calls by id, each row checked against its own body."""
        with contextlib.closing(sqlite3.connect(self.db, timeout=30)) as connection:
            rows = connection.execute("SELECT id, call_id, updated_timestamp, body FROM calls").fetchall()
        calls = {}
        for row_id, call_id, updated_timestamp, body in rows:
            call = json.loads(body)
            assert (call["id"], call["call_id"], call["updated_timestamp"]) == (row_id, call_id, updated_timestamp)
            calls[row_id] = call
        return calls


def differences(copy, listed):
    """A readable account of how the copy differs from the listed calls ('' when equal)."""
    missing = sorted(set(listed) - set(copy))
    extra = sorted(set(copy) - set(listed))
    changed = sorted(i for i in set(copy) & set(listed) if copy[i] != listed[i])
    lines = []
    if missing:
        lines.append(f"{len(missing)} missing from the copy: {[listed[i]['call_id'] for i in missing[:10]]}")
    if extra:
        lines.append(f"{len(extra)} in the copy but not listed: {[copy[i]['call_id'] for i in extra[:10]]}")
    if changed:
        lines.append(f"{len(changed)} differ, e.g.:")
        lines += [f"  copy {copy[i]}\n  list {listed[i]}" for i in changed[:3]]
    return "\n".join(lines)


def wait_until_equal(consumer, listed, timeout=15):
    deadline = time.monotonic() + timeout
    while True:
        difference = differences(consumer.copy(), listed)
        if not difference:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the running consumer did not catch up in {timeout} s:\n{difference}\n"
                                 f"{consumer.output()}")
        time.sleep(0.1)


# --- The tests -----------------------------------------------------------------------------------

def test_sync_copy_survives_kills_of_consumer_and_server(tmp_path):
    rng = random.Random(20240611)
    with running(RestartableServer(binary(), count=200)) as server:
        writer = RandomWriter(server, seed=rng.randrange(2**32))
        # Transcripts included (pages of at most 100; 25 makes the first sync several pages long).
        consumer = Consumer(server, tmp_path / "copy.sqlite", tmp_path / "consumer.log",
                            "--include-transcript", "--limit", "25")
        consumer.start()
        token = consumer.wait_for_new_token(None)
        writer.run(40)

        # Kill the consumer at a random instant while writes go on, once it has committed a page after the
        # ones before; write while it is gone, start it again. A few times: where the kill lands is luck.
        for _ in range(4):
            with writes_in_background(writer, 40):
                token = consumer.wait_for_new_token(token)
                time.sleep(rng.uniform(0, 0.1))
                consumer.kill()
            writer.run(10)
            consumer.start()

        # Kill the server while the consumer polls, and keep it down long enough for the consumer to find
        # nobody listening: it keeps retrying. Every write answered 2xx must come back.
        writer.run(30)
        token = consumer.wait_for_new_token(token)
        time.sleep(rng.uniform(0, 0.3))
        server.kill_and_restart(downtime=0.7)
        writer.run(40)

        # The consumer that lived through the restart catches up by itself ...
        listed = list_calls(server, server.writer, include_transcript=True)
        assert {call["call_id"] for call in listed.values()} == writer.live[ALPHA]
        wait_until_equal(consumer, listed)
        assert "no answer from the server" in consumer.log.read_text(), "the consumer never saw the server down"

        # ... and after one more kill and more writes, a --once run brings the copy exactly up to date.
        consumer.kill()
        writer.run(15)
        consumer.run_once()
        listed = list_calls(server, server.writer, include_transcript=True)
        assert {call["call_id"] for call in listed.values()} == writer.live[ALPHA]
        assert not differences(consumer.copy(), listed), differences(consumer.copy(), listed)
        assert all(call["organization_id"] == ALPHA for call in consumer.copy().values())

        # The single-call route agrees with what was stored (transcripts included), for a sample.
        copy = consumer.copy()
        for stored in rng.sample(sorted(copy.values(), key=lambda call: call["id"]), 10):
            status, _, answer = server.request("GET", f"/api/calls/{stored['call_id']}", None, server.writer.headers)
            assert status == 200 and answer["data"] == stored, (answer, stored)

        # A fresh copy without transcripts (the default), from since: null over tombstones and re-created ids.
        plain = Consumer(server, tmp_path / "plain.sqlite", tmp_path / "plain.log", "--limit", "30")
        plain.run_once()
        listed_plain = list_calls(server, server.writer, include_transcript=False)
        assert not differences(plain.copy(), listed_plain), differences(plain.copy(), listed_plain)


def test_changes_route_contract():
    with running(CallServer(binary(), count=60)) as server:
        alpha, beta = server.writer, server.other

        # since: null on an organization that never deleted anything: every current call once, as upserts.
        feed_changes, since = feed(server, alpha, None)
        assert all(change["type"] == "upsert" for change in feed_changes), feed_changes
        fed = {change["call"]["id"]: change["call"] for change in feed_changes}
        assert len(fed) == len(feed_changes), "a call appeared twice in one feed"
        assert not differences(fed, list_calls(server, alpha, include_transcript=False))
        assert all("transcript" not in call for call in fed.values())

        # Nothing new: no changes, has_more false, a next_since all the same.
        status, _, answer = changes(server, alpha, {"since": since, "limit": 10})
        assert status == 200 and answer["data"]["changes"] == [] and answer["data"]["has_more"] is False, answer
        assert isinstance(answer["data"]["next_since"], str)

        # A call_id deleted and written again: a delete of the old id, then one upsert of the new one, however
        # often it was written since, as it is now.
        victim = next(iter(fed.values()))
        path = f"/api/calls/{victim['call_id']}"
        write(server, alpha, "DELETE", path)
        recreated = write(server, alpha, "PUT", path, call_body(random.Random(1), "re-created"), expect=(201,))["data"]
        assert recreated["id"] != victim["id"]
        write(server, alpha, "PATCH", path, {"agent_id": "agent-patched-1"})
        latest = write(server, alpha, "PATCH", path, {"agent_id": "agent-patched-2"})["data"]
        later, _ = feed(server, alpha, since)
        assert [change["type"] for change in later] == ["delete", "upsert"], later
        assert later[0]["call_id"] == victim["call_id"] and later[0]["id"] == victim["id"]
        assert isinstance(later[0]["updated_timestamp"], int)
        latest.pop("transcript")
        assert later[1]["call"] == latest, (later[1], latest)

        # Refusals: each is 400 invalid_request naming the field.
        _, _, beta_answer = changes(server, beta, {"since": None, "limit": 1})
        beta_token = beta_answer["data"]["next_since"]
        middle = len(since) // 2
        tampered = since[:middle] + ("A" if since[middle] != "A" else "B") + since[middle + 1:]
        refused = [({"since": beta_token}, "since"), ({"since": "garbage"}, "since"), ({"since": tampered}, "since"),
                   ({"since": 5}, "since"), ({"limit": 0}, "limit"), ({"limit": 1001}, "limit"),
                   ({"limit": 101, "include_transcript": True}, "limit"), ({"sincee": None}, "sincee")]
        for body, field in refused:
            status, _, answer = changes(server, alpha, body)
            assert status == 400, (body, status, answer)
            assert answer["status"] == "error" and answer["error"] == "invalid_request" and answer["data"] is None
            assert field in answer["message"], (body, answer)

        # An empty body is all defaults.
        status, _, answer = changes(server, alpha, b"")
        assert status == 200 and len(answer["data"]["changes"]) <= 100, answer


def test_expired_token_makes_the_consumer_start_over(tmp_path):
    """A deletion older than --changes-retention is forgotten (when a later write prunes it), so a token from
    before it is 410 cursor_expired: the consumer wipes its copy and copies everything again."""
    with running(CallServer(binary(), extra_args=["--changes-retention", "1s"], count=60)) as server:
        consumer = Consumer(server, tmp_path / "copy.sqlite", tmp_path / "consumer.log", "--limit", "10")
        consumer.run_once()
        writer = RandomWriter(server, seed=7)
        writer.delete()
        time.sleep(1.2)
        # The server drops deletions past the retention at the organization's next write (README).
        writer.create()
        status, _, answer = changes(server, server.writer, {"since": consumer.token()})
        assert status == 410 and answer["error"] == "cursor_expired", (status, answer)

        # Starting over works: a walk from since: null completes, page by page (a token the server has just
        # issued is never expired, pruned deletions or not).
        feed(server, server.writer, None, limit=10)

        consumer.run_once()
        assert "token expired" in consumer.log.read_text(), consumer.output()
        listed = list_calls(server, server.writer, include_transcript=False)
        assert {call["call_id"] for call in listed.values()} == writer.live[ALPHA]
        assert not differences(consumer.copy(), listed), differences(consumer.copy(), listed)
