#!/usr/bin/env python3
"""Keep a SQLite copy of one organization's calls in step with a CallServer, through the changes feed.

Usage:

    python3 scripts/sync-changes.py --url http://127.0.0.1:8080 --key KEY --secret SECRET \\
        --db copy.sqlite [--limit 500] [--include-transcript] [--once | --interval SECONDS]

`--url`, `--key` and `--secret` default to the environment variables CALLSERVER_URL,
CALLSERVER_KEY and CALLSERVER_SECRET. The key needs the `calls:read` scope; the copy holds the
calls of the key's organization.

How it works: the script asks `POST /api/calls/changes` for everything that changed since the
token it stored last (`since: null` the first time), applies the changes in order, and stores the
answer's `next_since`. It keeps asking while `has_more` is true; once it has caught up it exits
(`--once`) or sleeps `--interval` seconds (default 2) and asks again, forever.

The copy is two tables:

    calls(id TEXT PRIMARY KEY, call_id TEXT UNIQUE NOT NULL, updated_timestamp INTEGER, body TEXT)
    sync_state(since TEXT, organization_id TEXT)        -- one row once the first page is applied

`body` is the call as the server sent it, as JSON (keys sorted). Without `--include-transcript`
the feed, like the list route, leaves transcripts out; with it, `--limit` is at most 100.

Every page is applied in ONE SQLite transaction together with its `next_since`, so the script can
be killed at any instant: the copy and the token always match, and the next run resumes where the
last committed page ended, neither repeating nor skipping a change.

Errors: 410 `cursor_expired` (the token is older than the deletions the server remembers) wipes
the copy and starts over from `since: null`. 429 and 503 wait `Retry-After` seconds and retry.
A refused connection (the server restarting) is retried for up to 60 seconds. Any other error
answer is printed to stderr and ends the script with exit status 1.
"""

import argparse
import contextlib
import http.client
import json
import logging
import os
import sqlite3
import sys
import time
import urllib.error
import urllib.request

CHANGES_PATH = "/api/calls/changes"
DEFAULT_LIMIT = 500
MAX_LIMIT_WITH_TRANSCRIPT = 100  # API.md: include_transcript caps a page at 100 changes
REQUEST_TIMEOUT = 30  # seconds for one request, answer included
RECONNECT_FIRST_DELAY = 0.2  # seconds; doubled after each failed attempt ...
RECONNECT_MAX_DELAY = 2.0  # ... up to this
RECONNECT_GIVE_UP_AFTER = 60.0  # seconds of failed attempts in a row before giving up

SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id TEXT PRIMARY KEY,
    call_id TEXT UNIQUE NOT NULL,
    updated_timestamp INTEGER,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sync_state (
    since TEXT,
    organization_id TEXT
);
"""

log = logging.getLogger("sync-changes")


class SyncError(Exception):
    """A problem that retrying cannot fix: the script reports it and exits 1."""


# --- The SQLite copy -----------------------------------------------------------------------------

def open_copy(path):
    """Open (creating if needed) the copy. Autocommit mode: transactions are explicit, below."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    connection.executescript(SCHEMA)
    return connection


@contextlib.contextmanager
def transaction(connection):
    """All statements inside commit together or not at all (a kill mid-way rolls them back)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def load_state(connection):
    """The stored (since, organization_id), or (None, None) for a copy never synced."""
    row = connection.execute("SELECT since, organization_id FROM sync_state LIMIT 1").fetchone()
    return row if row else (None, None)


def save_state(connection, since, organization_id):
    """Replace the one state row. Call inside the transaction that applies the page."""
    connection.execute("DELETE FROM sync_state")
    connection.execute("INSERT INTO sync_state (since, organization_id) VALUES (?, ?)",
                       (since, organization_id))


def upsert_call(connection, call):
    """Store the call as it is now, replacing the row with its id."""
    # A call_id deleted and created again is a new call with a new id. Its delete normally comes
    # first in the feed, but removing any other row with this call_id keeps `call_id UNIQUE` true
    # whatever happens.
    connection.execute("DELETE FROM calls WHERE call_id = ? AND id <> ?", (call["call_id"], call["id"]))
    connection.execute(
        "INSERT OR REPLACE INTO calls (id, call_id, updated_timestamp, body) VALUES (?, ?, ?, ?)",
        (call["id"], call["call_id"], call["updated_timestamp"], json.dumps(call, sort_keys=True)))


def delete_call(connection, change):
    """Remove the call with the change's id; nothing to do if the copy never had it."""
    connection.execute("DELETE FROM calls WHERE id = ?", (change["id"],))


def apply_page(connection, page):
    """Apply one answer's changes in order and store its next_since, all in one transaction.
    Returns (upserts, deletes) for the log."""
    upserts = deletes = 0
    with transaction(connection):
        for change in page["changes"]:
            if change["type"] == "upsert":
                upsert_call(connection, change["call"])
                upserts += 1
            elif change["type"] == "delete":
                delete_call(connection, change)
                deletes += 1
            else:
                # Skipping a change we do not understand would leave the copy silently wrong.
                raise SyncError(f"unknown change type {change['type']!r}; nothing of this page was applied")
        save_state(connection, page["next_since"], page["organization_id"])
    return upserts, deletes


def wipe_copy(connection):
    """Forget every call and the token together, so the next request starts a full copy."""
    with transaction(connection):
        connection.execute("DELETE FROM calls")
        connection.execute("DELETE FROM sync_state")


# --- The server ----------------------------------------------------------------------------------

class Answer:
    """One HTTP answer: status, headers and the decoded JSON envelope (None if it was not JSON)."""

    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        try:
            self.envelope = json.loads(raw)
        except ValueError:
            self.envelope = None
        self.raw = raw

    def describe(self):
        """The error envelope as sent, for stderr."""
        return self.raw.decode("utf-8", errors="replace").strip()

    def retry_after(self):
        """Retry-After in seconds (1 when missing or not a number of seconds)."""
        try:
            return max(0.0, float(self.headers.get("Retry-After", "1")))
        except ValueError:
            return 1.0


def post_changes(options, since):
    """One request for the changes after `since`. Raises OSError (URLError included) or
    HTTPException when no complete answer came."""
    body = {"since": since, "limit": options.limit}
    if options.include_transcript:
        body["include_transcript"] = True
    request = urllib.request.Request(
        options.url.rstrip("/") + CHANGES_PATH,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"X-API-KEY": options.key, "X-API-SECRET": options.secret,
                 "Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:  # an answer, just not a 2xx one
        with error:
            return Answer(error.code, error.headers, error.read())


def fetch_changes(options, since):
    """The next answer that is not a transient refusal: retries 429/503 after Retry-After, and a
    server that does not answer (restarting, say) with a growing delay for up to a minute."""
    delay = RECONNECT_FIRST_DELAY
    failing_since = None
    while True:
        try:
            answer = post_changes(options, since)
        except (OSError, http.client.HTTPException) as error:  # refused, reset, timed out, cut off
            now = time.monotonic()
            if failing_since is None:
                failing_since = now
                log.warning("no answer from the server (%s); retrying for up to %.0f s",
                            error, RECONNECT_GIVE_UP_AFTER)
            elif now - failing_since >= RECONNECT_GIVE_UP_AFTER:
                raise SyncError(f"no answer from {options.url} for {RECONNECT_GIVE_UP_AFTER:.0f} s: {error}")
            time.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX_DELAY)
            continue
        if failing_since is not None:
            log.info("the server answers again")
        failing_since, delay = None, RECONNECT_FIRST_DELAY
        if answer.status in (429, 503):
            wait = answer.retry_after()
            print(f"HTTP {answer.status}: {answer.describe()}", file=sys.stderr)
            log.warning("server busy; retrying in %.1f s", wait)
            time.sleep(wait)
            continue
        return answer


# --- The loop ------------------------------------------------------------------------------------

def catch_up(connection, options):
    """Request and apply pages until an answer says has_more: false."""
    started_over = False
    while True:
        since, copy_organization = load_state(connection)
        answer = fetch_changes(options, since)
        if answer.status == 410:
            if since is None or started_over:
                # Starting over again would only meet the same answer: stop instead of looping.
                raise SyncError(f"410 during a full copy started from since: null: {answer.describe()}")
            # The server no longer remembers every deletion after our token, so the copy may hold
            # calls that are gone. Only a full copy is right again.
            log.warning("token expired (%s); wiping the copy and starting over", answer.describe())
            wipe_copy(connection)
            started_over = True
            continue
        if answer.status != 200 or not isinstance(answer.envelope, dict) or not answer.envelope.get("data"):
            print(f"HTTP {answer.status}: {answer.describe()}", file=sys.stderr)
            raise SyncError(f"the server refused the changes request (HTTP {answer.status})")
        page = answer.envelope["data"]
        if copy_organization is not None and page["organization_id"] != copy_organization:
            raise SyncError(f"{options.db} is a copy of {copy_organization}, but this key belongs to "
                            f"{page['organization_id']}; use another --db")
        upserts, deletes = apply_page(connection, page)
        if upserts or deletes:
            log.info("applied %d upserts and %d deletes", upserts, deletes)
        if not page["has_more"]:
            return


def run(options):
    """Sync once or forever, as asked."""
    connection = open_copy(options.db)
    since, organization = load_state(connection)
    if since is None:
        log.info("starting a full copy into %s", options.db)
    else:
        log.info("resuming the copy of %s in %s", organization, options.db)
    while True:
        catch_up(connection, options)
        if options.once:
            log.info("up to date")
            return
        time.sleep(options.interval)


def parse_options(argv):
    parser = argparse.ArgumentParser(
        description="Keep a SQLite copy of one organization's calls through POST /api/calls/changes.")
    parser.add_argument("--url", default=os.environ.get("CALLSERVER_URL", "http://127.0.0.1:8080"),
                        help="server base URL (CALLSERVER_URL; default %(default)s)")
    parser.add_argument("--key", default=os.environ.get("CALLSERVER_KEY"), help="API key (CALLSERVER_KEY)")
    parser.add_argument("--secret", default=os.environ.get("CALLSERVER_SECRET"),
                        help="API secret (CALLSERVER_SECRET)")
    parser.add_argument("--db", required=True, help="the SQLite file of the copy (created if missing)")
    parser.add_argument("--limit", type=int,
                        help=f"changes per request, 1-1000 (default {DEFAULT_LIMIT}; "
                             f"{MAX_LIMIT_WITH_TRANSCRIPT} with --include-transcript)")
    parser.add_argument("--include-transcript", action="store_true",
                        help="store transcripts too (pages of at most 100 changes)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="exit 0 once the copy is up to date")
    mode.add_argument("--interval", type=float, default=2.0,
                      help="seconds between polls once up to date (default %(default)s)")
    options = parser.parse_args(argv)
    if not options.key or not options.secret:
        parser.error("--key and --secret (or CALLSERVER_KEY and CALLSERVER_SECRET) are required")
    max_limit = MAX_LIMIT_WITH_TRANSCRIPT if options.include_transcript else 1000
    if options.limit is None:
        options.limit = min(DEFAULT_LIMIT, max_limit)
    if not 1 <= options.limit <= max_limit:
        parser.error(f"--limit must be 1-{max_limit}")
    if options.interval < 0:
        parser.error("--interval must not be negative")
    return options


def main(argv=None):
    options = parse_options(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s sync-changes: %(message)s")
    try:
        run(options)
    except SyncError as error:
        log.error("%s", error)
        return 1
    except KeyboardInterrupt:
        return 130  # nothing to clean up: every committed page is complete
    return 0


if __name__ == "__main__":
    sys.exit(main())
