#!/usr/bin/env python3
"""Runs CallBench's query mix against SQLite and prints the comparison.

SQLite gets the same calls (CallBench's --ndjson output), an index on (organization_id, column) for every
filter and sort column, and an FTS5 transcript index (unicode61 tokenizer with diacritics removed); each query
runs as SQLite would serve the API: SELECT count(*) for total_count plus the page with ORDER BY/LIMIT/OFFSET.

    swift run -c release CallBench 1000000 --ndjson /tmp/calls.ndjson --json /tmp/callbench.json
    scripts/bench-sqlite.py --ndjson /tmp/calls.ndjson --results /tmp/callbench.json [--db /tmp/calls.sqlite]

Only the Python standard library is used.
"""
import argparse
import json
import os
import re
import sqlite3
import statistics
import sys
import time

COLUMNS = [
    "id", "call_id", "organization_id", "agent_id", "call_status", "call_type", "direction",
    "from_number", "to_number", "start_timestamp", "end_timestamp", "call_duration", "transcript",
]
INDEXED = [
    "agent_id", "call_status", "call_type", "direction", "from_number", "to_number",
    "call_duration", "start_timestamp", "end_timestamp", "call_id",
]


def load(db_path, ndjson_path):
    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE calls (%s)" % ", ".join(
        c + (" INTEGER" if c.endswith("timestamp") or c == "call_duration" else " TEXT") for c in COLUMNS))
    started = time.time()
    batch = []
    with open(ndjson_path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            batch.append(tuple(record.get(c) for c in COLUMNS))
            if len(batch) == 50_000:
                db.executemany("INSERT INTO calls VALUES (%s)" % ",".join("?" * len(COLUMNS)), batch)
                batch = []
    if batch:
        db.executemany("INSERT INTO calls VALUES (%s)" % ",".join("?" * len(COLUMNS)), batch)
    db.commit()
    print("loaded rows in %.1f s" % (time.time() - started), flush=True)
    started = time.time()
    for column in INDEXED:
        db.execute("CREATE INDEX calls_%s ON calls (organization_id, %s)" % (column, column))
    db.execute("CREATE VIRTUAL TABLE calls_fts USING fts5(transcript, content='calls', content_rowid='rowid', "
               "tokenize='unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO calls_fts(calls_fts) VALUES ('rebuild')")
    db.execute("ANALYZE")
    db.commit()
    print("built indexes and FTS5 in %.1f s" % (time.time() - started), flush=True)
    return db


WORD = re.compile(r"[^\W_]+\*?")


def fts_expression(search):
    """The API's transcript_search as an FTS5 query: quoted phrases, prefix terms, all ANDed."""
    parts = []
    for index, chunk in enumerate(search.split('"')):
        words = WORD.findall(chunk)
        if not words:
            continue
        if index % 2 == 1:  # inside quotes: a phrase (a trailing * applies to its last word)
            star = words[-1].endswith("*")
            phrase = " ".join(w.rstrip("*") for w in words)
            parts.append('"%s"%s' % (phrase, "*" if star else ""))
        else:
            for word in words:
                parts.append('"%s"%s' % (word.rstrip("*"), "*" if word.endswith("*") else ""))
    return " AND ".join(parts)


def statements(query):
    where = ["organization_id = ?"]
    args = [query["organization_id"]]
    criteria = query["filter_criteria"]
    for field in ["call_status", "agent_id", "call_type", "direction", "from_number", "to_number"]:
        values = criteria.get(field)
        if values:
            if field in ("call_status", "call_type", "direction"):
                values = [v.upper() for v in values]
            where.append("%s IN (%s)" % (field, ",".join("?" * len(values))))
            args += values
    for field, column in [("duration_ms", "call_duration"), ("start_timestamp", "start_timestamp")]:
        bounds = criteria.get(field)
        if bounds:
            where.append("%s IS NOT NULL" % column)
            if "lower_threshold" in bounds:
                where.append("%s >= ?" % column)
                args.append(bounds["lower_threshold"])
            if "upper_threshold" in bounds:
                where.append("%s <= ?" % column)
                args.append(bounds["upper_threshold"])
    search = criteria.get("transcript_search")
    if search:
        where.append("rowid IN (SELECT rowid FROM calls_fts WHERE calls_fts MATCH ?)")
        args.append(fts_expression(search))
    clause = " AND ".join(where)
    column = query["sort_by"]
    direction = "ASC" if query["sort_order"] == "ascending" else "DESC"
    # SQLite orders NULL first: descending already puts it last (and can walk the index); ascending needs NULLS LAST.
    nulls = " NULLS LAST" if column in ("end_timestamp", "call_duration") and direction == "ASC" else ""
    offset = query["page"] * query["limit"]
    count_sql = "SELECT count(*) FROM calls WHERE " + clause
    page_sql = ("SELECT id, call_id, agent_id, call_status, start_timestamp, end_timestamp FROM calls WHERE %s "
                "ORDER BY %s %s%s, id %s LIMIT ? OFFSET ?" % (clause, column, direction, nulls, direction))
    return count_sql, args, page_sql, args + [query["limit"], offset]


def measure(db, query, budget):
    count_sql, count_args, page_sql, page_args = statements(query)
    samples = []
    total = None
    started = time.time()
    while len(samples) < 3 or (time.time() - started < budget and len(samples) < 50):
        begin = time.perf_counter()
        total = db.execute(count_sql, count_args).fetchone()[0]
        db.execute(page_sql, page_args).fetchall()
        samples.append((time.perf_counter() - begin) * 1000)
    return statistics.median(samples), total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ndjson", required=True, help="calls written by CallBench --ndjson")
    parser.add_argument("--results", required=True, help="results written by CallBench --json")
    parser.add_argument("--db", default="/tmp/callbench.sqlite", help="SQLite file to (re)build")
    parser.add_argument("--reuse", action="store_true", help="reuse an existing --db instead of rebuilding it")
    parser.add_argument("--budget", type=float, default=2.0, help="seconds of repeated runs per query (at least 3 runs)")
    options = parser.parse_args()

    with open(options.results, encoding="utf-8") as file:
        results = json.load(file)
    if options.reuse and os.path.exists(options.db):
        db = sqlite3.connect(options.db)
    else:
        db = load(options.db, options.ndjson)
    print("SQLite %s, %d calls in CallBench's run\n" % (sqlite3.sqlite_version, int(results["calls"])))

    header = "%-36s %10s %10s %11s %11s %9s" % ("query", "ours n", "sqlite n", "ours ms", "sqlite ms", "ratio")
    print(header)
    print("-" * len(header))
    ratios = []
    slower = []
    differing = []
    for query in results["queries"]:
        sqlite_ms, sqlite_total = measure(db, query, options.budget)
        ours = query["median_ms"]
        ratio = sqlite_ms / ours if ours > 0 else float("inf")
        ratios.append(ratio)
        if ratio < 1:
            slower.append(query["name"])
        if sqlite_total != query["matched"]:
            differing.append(query["name"])
        print("%-36s %10d %10d %11.4f %11.3f %9.0f" % (
            query["name"], query["matched"], sqlite_total, ours, sqlite_ms, ratio), flush=True)
    print("\nmedian ratio (SQLite median / ours) over the mix: %.0f (bar: >= 20)" % statistics.median(ratios))
    print("smallest ratio: %.1f; queries where SQLite is faster: %s" % (min(ratios), ", ".join(slower) or "none"))
    if differing:
        print("counts differ (tokenizer differences between FTS5 unicode61 and API.md's word rules): "
              + ", ".join(differing))
    return 0 if not slower and statistics.median(ratios) >= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
