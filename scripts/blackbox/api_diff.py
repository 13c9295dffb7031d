#!/usr/bin/env python3
"""Differential test of `POST /api/calls`: the live server against model.py.

Sends thousands of seeded random list requests, valid and invalid, for several
organizations' keys, and compares each response with the reference model: status
code, the JSON envelope (`message`, `status`, `error`, `data`), the whole `data` of
successes, and for errors the `error` code and that the message names the offending
field.  Fixed checks cover authentication (401 + `WWW-Authenticate`, same body
whatever was wrong), scope (403), tenancy, 404, 405 + `Allow`, 415 and the order of
those checks, and parser robustness (deep nesting, huge numbers, long strings).
Optional: `--single-call` checks `GET /api/calls/{call_id}` (own calls with transcript and
ETag, other organizations' calls 404); `--writes N` interleaves N random PUT/PATCH/DELETE
with list requests, mirrored in the model, so the list must reflect every 2xx write.

Usage:
  api_diff.py --base http://127.0.0.1:8080 --data calls.ndjson --keys credentials.ndjson
              [--requests 3000] [--seed 1] [--workers 4] [--writes 0] [--single-call]
              [--max-report 60]

--keys is NDJSON, one `CallServer keys create` output per line
(`{"key", "secret", "organization_id", "scopes"}`).  Prints every difference and a
final line `N passed, N failed`; exits 1 on any failure.
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import random
import re
import sys
import unicodedata
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_data  # noqa: E402  (the data generator and the model live beside this script)
import model  # noqa: E402

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
AUTH_CHALLENGE = 'ApiKey realm="calls"'
ENVELOPE_KEYS = {"message", "status", "error", "data"}


# --------------------------------------------------------------------------- JSON writing

class Obj:
    """A JSON object under construction, as ordered (key, value) pairs; keys may repeat."""

    def __init__(self, pairs=()):
        self.pairs = list(pairs)

    def keys(self):
        """Keys in order."""
        return [key for key, _ in self.pairs]

    def get(self, key):
        """Value of the first pair with this key, or None."""
        for name, value in self.pairs:
            if name == key:
                return value
        return None

    def put(self, key, value, rng=None):
        """Replace the value of `key`, or insert the pair (at a random place given rng)."""
        for index, (name, _) in enumerate(self.pairs):
            if name == key:
                self.pairs[index] = (key, value)
                return
        position = rng.randint(0, len(self.pairs)) if rng else len(self.pairs)
        self.pairs.insert(position, (key, value))


class Raw:
    """JSON text written verbatim (for floats, huge numbers and other exact spellings)."""

    def __init__(self, text):
        self.text = text


def escape_string(text, rng):
    """JSON string literal of `text`, sometimes with needless (but valid) escapes."""
    mode = rng.random() if rng else 1.0
    if mode < 0.15:
        out = []
        for ch in text:
            if ch.isascii() and ch.isalpha() and rng.random() < 0.3:
                out.append("\\u%04x" % ord(ch))
            elif ch == "/":
                out.append("\\/")
            else:
                out.append(json.dumps(ch)[1:-1])
        return '"' + "".join(out) + '"'
    return json.dumps(text, ensure_ascii=mode < 0.4)


JSON_WHITESPACE = (" ", "  ", "\t", "\n", "\r\n", " \n\t")


def dump(value, rng=None, spaced=False):
    """Serialize a generated value (Obj, Raw, list, str, int, bool, None) to JSON text.

    With `spaced` (and an rng) random JSON whitespace goes around the structural tokens.
    """
    def gap():
        return rng.choice(JSON_WHITESPACE) if spaced and rng and rng.random() < 0.5 else ""

    if isinstance(value, Obj):
        members = [gap() + escape_string(key, rng) + gap() + ":" + gap()
                   + dump(item, rng, spaced) + gap() for key, item in value.pairs]
        return "{" + (",".join(members) if members else gap()) + "}"
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, list):
        items = [gap() + dump(item, rng, spaced) + gap() for item in value]
        return "[" + (",".join(items) if items else gap()) + "]"
    if isinstance(value, str):
        return escape_string(value, rng)
    return json.dumps(value)


# --------------------------------------------------------------------------- data context

def strip_accents(text):
    """`text` without combining marks (NFKD, marks dropped, recomposed)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(
        ch for ch in decomposed if unicodedata.category(ch)[0] != "M"))


class Context:
    """Values present in the dataset, to build requests that hit real data."""

    def __init__(self, records):
        self.agents = sorted({r["agent_id"] for r in records})
        self.numbers = sorted({r[k] for r in records for k in ("from_number", "to_number")
                               if r.get(k)})
        self.timestamps = sorted({r["start_timestamp"] for r in records})
        self.durations = sorted({r["end_timestamp"] - r["start_timestamp"]
                                 for r in records if r.get("end_timestamp") is not None})
        self.transcripts = [words for words in
                            ([w for w, _ in model.split_words(r.get("transcript") or "")]
                             for r in records) if words]
        self.vocabulary = sorted({w for words in self.transcripts for w in words})
        self.texts = [r["transcript"] for r in records if r.get("transcript")]
        # The server's stamps, once learned (`learn_stamps`); refreshed as writes add new ones.
        self.updated = [0]


# --------------------------------------------------------------------------- valid bodies

SORT_ORDERS = ("ascending", "asc", "descending", "desc")
PAGE_SIZES = (1, 2, 3, 5, 7, 10, 20, 25, 50, 99, 100)


def random_case(rng, text):
    """`text` in upper, lower, capitalized, as is, or mixed case."""
    choice = rng.randrange(5)
    if choice == 0:
        return text.upper()
    if choice == 1:
        return text.lower()
    if choice == 2:
        return text.capitalize()
    if choice == 3:
        return "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in text)
    return text


def gen_page(rng):
    """A valid page number: mostly small, sometimes past the end, sometimes huge."""
    roll = rng.random()
    if roll < 0.5:
        return 0
    if roll < 0.85:
        return rng.randint(1, 4)
    if roll < 0.95:
        return rng.randint(5, 2000)
    return rng.choice((10 ** 15, 2 ** 62, model.INT64_MAX, model.INT64_MAX // 100))


def gen_enum_list(rng, values):
    """A list of enumeration names in random case, duplicates possible."""
    return [random_case(rng, rng.choice(values)) for _ in range(rng.randint(1, 3))]


def gen_string_list(rng, pool, absent):
    """A list picked from real values, sometimes with an absent one or a duplicate."""
    items = [rng.choice(pool) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.2:
        items.append(absent)
    if rng.random() < 0.1:
        items.append(items[0])
    return items


def gen_range(rng, pool):
    """A threshold object from real values (inclusive bounds hit exactly), maybe partial."""
    low, high = sorted(rng.choice(pool) + rng.choice((0, 0, -1, 1)) for _ in range(2))
    low, high = max(low, 0), max(high, 0)
    roll = rng.random()
    if roll < 0.1:
        return Obj()
    if roll < 0.3:
        return Obj([("lower_threshold", low)])
    if roll < 0.5:
        return Obj([("upper_threshold", high)])
    if roll < 0.55:
        return Obj([("lower_threshold", low), ("upper_threshold", None)])
    if roll < 0.6:
        return Obj([("lower_threshold", low), ("upper_threshold", low)])
    pairs = [("lower_threshold", low), ("upper_threshold", high)]
    rng.shuffle(pairs)
    return Obj(pairs)


def word_variant(rng, word):
    """The word as a user might type it: other case, accents dropped."""
    choice = rng.randrange(6)
    if choice == 0:
        return word.upper()
    if choice == 1:
        return word.lower()
    if choice == 2:
        return strip_accents(word)
    if choice == 3:
        return strip_accents(word).upper()
    return word


def gen_search(rng, ctx):
    """A transcript search built from words in the data: terms, prefixes, phrases."""
    words = rng.choice(ctx.transcripts)
    kind = rng.randrange(15)
    if kind == 0:
        query = word_variant(rng, rng.choice(words))
    elif kind == 1:
        query = " ".join(word_variant(rng, rng.choice(words)) for _ in range(rng.randint(2, 3)))
    elif kind == 2:
        query = "%s %s" % (rng.choice(words), rng.choice(ctx.vocabulary))
    elif kind == 3:
        word = rng.choice(words)
        query = word_variant(rng, word[:rng.randint(1, len(word))]) + "*"
    elif kind in (4, 5):
        query = gen_phrase(rng, words)
    elif kind == 6:
        query = gen_phrase(rng, words).rstrip('"')
    elif kind == 7:
        query = rng.choice(("qwertyuiop", "zzzz", "caf", "refun", "crédito", "99999"))
    elif kind == 8:
        query = rng.choice(("", "   ", "!!!", "*", '""', "- -", "\"  \"", "...", "🙂"))
    elif kind == 9:
        query = rng.choice(("help, support!", "credit-card", "don't", "order#98765",
                            "l'école", "CAFE naive", "ecole*", "refund* help", "e-mail",
                            "support_help", "1-800", "Москва", "東京", "ΑΘΗΝΑ"))
    elif kind == 10:
        query = "%s %s" % (gen_phrase(rng, words), word_variant(rng, rng.choice(words)) + "*")
    elif kind == 11:
        query = " ".join(rng.choice(ctx.vocabulary) for _ in range(rng.randint(1, 2)))
    elif kind == 12:
        query = raw_slice(rng, rng.choice(ctx.texts))
    elif kind == 13:
        query = odd_stars(rng, rng.choice(words))
    else:
        query = rng.choice(("\t", "\n", "\u0000", "\u001f", "\u00a0", "\u2028", "/", "_")).join(
            word_variant(rng, rng.choice(words)) for _ in range(2))
    if rng.random() < 0.2:
        query = rng.choice(("  ", "\t", " \n")) + query + rng.choice(("  ", "\t", " "))
    return query


def raw_slice(rng, text):
    """A piece of a transcript's raw text (punctuation, quotes and all), maybe with `*`.

    A `*` is added only after a word outside quotes: API.md does not say what `*`
    means inside a phrase.
    """
    start = rng.randrange(len(text))
    # Non-ASCII white space at the ends is left out: API.md's "trimmed" does not say which.
    piece = text[start:start + rng.randint(1, 40)].strip("\u00a0\u2028") or "x"
    if piece.count('"') % 2 == 0 and piece[-1:].isalnum() and rng.random() < 0.3:
        piece += "*"
    return piece


def odd_stars(rng, word):
    """`*` where users misplace it: inside, before, doubled, detached."""
    cut = rng.randint(1, len(word))
    return rng.choice((word[:cut] + "*" + word[cut:], "*" + word, word + "**", word + " *",
                       '"%s"*' % word, word[:cut] + "* *"))


def gen_phrase(rng, words):
    """A quoted run of consecutive words from a transcript, with varied separators."""
    start = rng.randrange(len(words))
    run = words[start:start + rng.randint(2, 3)]
    separator = rng.choice((" ", " ", ", ", " - ", "  "))
    return '"%s"' % separator.join(word_variant(rng, word) for word in run)


FILTER_GENERATORS = {
    "call_status": lambda rng, ctx: gen_enum_list(rng, model.ENUMS["call_status"]),
    "agent_id": lambda rng, ctx: gen_string_list(rng, ctx.agents, "agent-404"),
    "call_type": lambda rng, ctx: gen_enum_list(rng, model.ENUMS["call_type"]),
    "direction": lambda rng, ctx: gen_enum_list(rng, model.ENUMS["direction"]),
    "from_number": lambda rng, ctx: gen_string_list(rng, ctx.numbers, "+19999999999"),
    "to_number": lambda rng, ctx: gen_string_list(rng, ctx.numbers, "+10000000"),
    "duration_ms": lambda rng, ctx: gen_range(rng, ctx.durations),
    "start_timestamp": lambda rng, ctx: gen_range(rng, ctx.timestamps),
    "transcript_search": gen_search,
    "updated_timestamp": lambda rng, ctx: gen_range(rng, ctx.updated),
}


def gen_filters(rng, ctx):
    """filter_criteria with one field alone, a few, or many; sometimes empty values."""
    roll = rng.random()
    if roll < 0.4:
        count = 1
    elif roll < 0.8:
        count = rng.randint(2, 3)
    else:
        count = rng.randint(4, len(model.FILTER_FIELDS))
    fields = rng.sample(model.FILTER_FIELDS, count)
    filters = Obj()
    for field in fields:
        roll = rng.random()
        if roll < 0.05:
            value = None
        elif roll < 0.1 and field not in model.RANGES:
            value = "" if field == "transcript_search" else []
        else:
            value = FILTER_GENERATORS[field](rng, ctx)
        filters.put(field, value)
    return filters


def gen_valid(rng, ctx):
    """A valid list body."""
    body = Obj()
    if rng.random() < 0.5:
        body.put("page", gen_page(rng))
    if rng.random() < 0.6:
        body.put("limit", rng.choice(PAGE_SIZES))
    if rng.random() < 0.5:
        body.put("sort_by", rng.choice(model.SORT_FIELDS))
    if rng.random() < 0.5:
        body.put("sort_order", rng.choice(SORT_ORDERS))
    if rng.random() < 0.3:
        body.put("include_transcript", rng.random() < 0.7)
    if rng.random() < 0.75:
        body.put("filter_criteria", gen_filters(rng, ctx) if rng.random() < 0.95 else Obj())
    if body.pairs and rng.random() < 0.1:
        body.put(rng.choice(body.keys()), None)
    rng.shuffle(body.pairs)
    return body


# --------------------------------------------------------------------------- invalid bodies

TOP_TYPOS = ("filter_critera", "pge", "Limit", "sortBy", "include_transcripts", "PAGE",
             "sort", "filters", "organization_id", "offset", "page_size", "sort_by ")
FILTER_TYPOS = ("callStatus", "status", "agent", "agentId", "transcript", "duration",
                "from", "to_numbers", "organization_id", "call_id", "Call_status")
RANGE_TYPOS = ("lower", "upper", "min", "max", "Lower_threshold", "lower_threshold_")
BAD_INTEGERS = (Raw("1.0"), Raw("0.0"), Raw("1e2"), Raw("1E0"), Raw("2.5"), Raw("-1.5e3"),
                "1", "0", True, False, [1], Obj(), Raw(str(2 ** 63)), Raw(str(-2 ** 63 - 1)),
                Raw("100000000000000000000000"))
NEGATIVE_INTEGERS = (-1, Raw(str(-2 ** 63)), -1000)


def top_mutations(rng, ctx):
    """Functions that make one top-level field (or the set of fields) invalid."""
    return [
        lambda body: body.put(rng.choice(TOP_TYPOS), rng.choice((1, {}, Obj(), None, "x")), rng),
        lambda body: body.put("page", rng.choice(BAD_INTEGERS + NEGATIVE_INTEGERS)),
        lambda body: body.put("limit", rng.choice(BAD_INTEGERS + NEGATIVE_INTEGERS
                                                  + (0, 101, 1000, model.INT64_MAX))),
        lambda body: body.put("sort_by", rng.choice((
            "duration", "agent_id", "id", "start_timestamp ", "created_at", 5, True, [],
            ["call_id"], Obj()))),
        lambda body: body.put("sort_order", rng.choice((
            "up", "ascend", "dsc", "descendingly", 1, True, [], " asc", ["asc"]))),
        lambda body: body.put("include_transcript", rng.choice((
            "true", 1, 0, "yes", [], Obj(), Raw("1.0")))),
        lambda body: body.put("filter_criteria", rng.choice(([], "x", 1, True, [Obj()]))),
    ]


def filter_mutations(rng, ctx):
    """Functions that make one field inside filter_criteria invalid."""
    def enum_bad(field):
        def mutate(filters):
            items = gen_enum_list(rng, model.ENUMS[field])
            bad = rng.choice(("finished", "", "ENDED ", "phone", "in-bound", "web call",
                              1, None, True, ["ENDED"], Obj(), Raw("1.0")))
            items.insert(rng.randint(0, len(items)), bad)
            filters.put(field, items if rng.random() < 0.85 else rng.choice(
                ("ENDED", "inbound", 1, Obj(), True)))
        return mutate

    def list_bad(field, pool):
        def mutate(filters):
            items = [rng.choice(pool) for _ in range(rng.randint(0, 2))]
            items.insert(rng.randint(0, len(items)), rng.choice((1, None, True, [], Obj())))
            filters.put(field, items if rng.random() < 0.85 else rng.choice(
                (pool[0], 5, Obj(), False)))
        return mutate

    def range_bad(field):
        def mutate(filters):
            filters.put(field, bad_range(rng))
        return mutate

    def search_bad(filters):
        filters.put("transcript_search", rng.choice((
            5, ["help"], True, Obj(), "a" * 1001, ("help " * 200) + "x", Raw("1.0"))))

    return [
        lambda filters: filters.put(rng.choice(FILTER_TYPOS), rng.choice((["x"], None, 1)), rng),
        enum_bad("call_status"), enum_bad("call_type"), enum_bad("direction"),
        list_bad("agent_id", ctx.agents), list_bad("from_number", ctx.numbers),
        list_bad("to_number", ctx.numbers),
        range_bad("duration_ms"), range_bad("start_timestamp"), search_bad,
        range_bad("updated_timestamp"),
    ]


def bad_range(rng):
    """An invalid threshold object (wrong type, unknown field, bad bound, lower > upper)."""
    roll = rng.randrange(5)
    if roll == 0:
        return rng.choice(([], 5, "x", True, [1, 2]))
    if roll == 1:
        return Obj([("lower_threshold", 1), (rng.choice(RANGE_TYPOS), 5)])
    if roll == 2:
        bound = rng.choice(model.RANGE_FIELDS)
        return Obj([(bound, rng.choice(BAD_INTEGERS + NEGATIVE_INTEGERS))])
    if roll == 3:
        low = rng.randint(1, 10 ** 6)
        return Obj([("lower_threshold", low), ("upper_threshold", low - 1)])
    return Obj([("upper_threshold", 0), ("lower_threshold", model.INT64_MAX)])


def mutate_filters(rng, ctx, body, typo_done):
    """Make one field inside filter_criteria invalid, creating filter_criteria if needed.

    Returns True when an unknown field has been added to filter_criteria (now or before).
    """
    filters = body.get("filter_criteria")
    if not isinstance(filters, Obj):
        filters = Obj()
        body.put("filter_criteria", filters, rng)
    mutations = filter_mutations(rng, ctx)
    index = rng.randrange(1 if typo_done else 0, len(mutations))
    mutations[index](filters)
    return typo_done or index == 0


def gen_invalid(rng, ctx):
    """A body with one or two invalid fields (the model decides which is reported).

    At most one unknown field is added per object, since API.md does not say which of
    two unknown fields is reported.
    """
    body = gen_valid(rng, ctx)
    typo_done = {"top": False, "filter": False}
    for _ in range(1 if rng.random() < 0.75 else 2):
        if rng.random() < 0.5:
            mutations = top_mutations(rng, ctx)
            index = rng.randrange(len(mutations) - (1 if typo_done["top"] else 0))
            index = index + 1 if typo_done["top"] else index
            typo_done["top"] = typo_done["top"] or index == 0
            mutations[index](body)
        else:
            typo_done["filter"] = mutate_filters(rng, ctx, body, typo_done["filter"])
    return body


def add_duplicate(rng, ctx, body):
    """Repeat one key (top level, in filter_criteria, or in a range): a JSON-level 400."""
    targets = [body]
    filters = body.get("filter_criteria")
    if isinstance(filters, Obj) and filters.pairs:
        targets.append(filters)
        targets += [value for _, value in filters.pairs if isinstance(value, Obj) and value.pairs]
    target = rng.choice([t for t in targets if t.pairs] or [body])
    if not target.pairs:
        target.pairs.append(("page", 0))
    key, value = rng.choice(target.pairs)
    target.pairs.insert(rng.randint(0, len(target.pairs)), (key, value))


MALFORMED = (b'{"page":1,}', b"{'page':1}", b'{"page":01}', b'{"page":+1}', b'{"page":1}}',
             b'{"page":1} x', b"{} {}", b"{/*c*/}", b'{"page":NaN}', b'{"page":Infinity}',
             b'{"page":-Infinity}', b'{"page":.5}', b'{"page":1.}', b"{page:1}",
             b'{"sort_by":"\\x"}', b'{"sort_by":"a\x01b"}', b'{"sort_by":"a\nb"}',
             b'{"filter_criteria":{"transcript_search":"\xff"}}',
             b'{"filter_criteria":{"transcript_search":"\xc0\xaf"}}',
             b'{"filter_criteria":{"transcript_search":"\xe2\x82"}}', b"{", b"}", b"nul",
             b'{"page" 1}', b'{"page":1 "limit":2}', b'{"page":-}', b'{"page":1e}',
             b'{"page":0x10}', b'{"a":tru}', b"[", b'{"filter_criteria":{"agent_id":["a",]}}',
             b"\x00", b'"unterminated', b'{"page":1}\x00')
NOT_OBJECTS = (b"[]", b"1", b'"x"', b"true", b"[{}]", b"0.5")


def gen_body(rng, ctx):
    """Body bytes of one random request, and a short label of how it was made."""
    roll = rng.random()
    if roll < 0.02:
        return b"", "empty"
    if roll < 0.04:
        return rng.choice(MALFORMED), "malformed"
    if roll < 0.05:
        return rng.choice(NOT_OBJECTS), "not-object"
    if roll < 0.07:
        text = dump(gen_valid(rng, ctx), rng)
        return text[:rng.randint(1, len(text) - 1)].encode("utf-8"), "truncated"
    if roll < 0.1:
        body = gen_valid(rng, ctx)
        add_duplicate(rng, ctx, body)
        return dump(body, rng).encode("utf-8"), "duplicate"
    if roll < 0.42:
        return dump(gen_invalid(rng, ctx), rng, rng.random() < 0.3).encode("utf-8"), "invalid"
    return dump(gen_valid(rng, ctx), rng, rng.random() < 0.3).encode("utf-8"), "valid"


# --------------------------------------------------------------------------- HTTP client

class Client:
    """A keep-alive HTTP/1.1 client that reconnects when the server closed the connection."""

    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port or 80
        self.conn = None
        self.reconnects = 0

    def request(self, method, path, body=b"", headers=None):
        """Send one request; return (status, {lower-case header: [values]}, body bytes)."""
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                self.close()
                self.reconnects += 1
                if attempt:
                    raise
                continue
            fields = {}
            for name, value in response.getheaders():
                fields.setdefault(name.lower(), []).append(value)
            if response.will_close:
                self.close()
            return response.status, fields, data
        raise AssertionError("unreachable")

    def close(self):
        """Drop the connection."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def api_headers(cred=None, content_type="application/json"):
    """Request headers for /api routes with the given credentials."""
    headers = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if cred is not None:
        headers["X-API-KEY"] = cred["key"]
        headers["X-API-SECRET"] = cred["secret"]
    return headers


# --------------------------------------------------------------------------- comparison

def short(value, limit=300):
    """A one-line, length-limited rendering for reports."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…(%d chars)" % len(text)


def json_diff(expected, got, path="data"):
    """Paths where two JSON values differ, with both values."""
    if expected is model.ANY_CURSOR:
        return [] if isinstance(got, str) and got else ["%s expected a cursor got %s" % (path, short(got, 120))]
    if isinstance(expected, dict) and isinstance(got, dict):
        out = []
        for key in list(expected) + [k for k in got if k not in expected]:
            if key not in got:
                out.append("%s.%s missing (expected %s)" % (path, key, short(expected[key], 120)))
            elif key not in expected:
                out.append("%s.%s unexpected (got %s)" % (path, key, short(got[key], 120)))
            else:
                out += json_diff(expected[key], got[key], "%s.%s" % (path, key))
        return out
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            ids = lambda xs: [x.get("call_id") if isinstance(x, dict) else x for x in xs]
            return ["%s length %d != %d (expected %s, got %s)" % (
                path, len(expected), len(got), short(ids(expected), 150), short(ids(got), 150))]
        out = []
        for index, (a, b) in enumerate(zip(expected, got)):
            out += json_diff(a, b, "%s[%d]" % (path, index))
        return out
    if expected != got or type(expected) is not type(got):
        return ["%s expected %s got %s" % (path, short(expected, 120), short(got, 120))]
    return []


def envelope_problems(status, headers, body):
    """Problems with the envelope and content type; returns (problems, parsed or None)."""
    problems = []
    content_type = ",".join(headers.get("content-type", []))
    if content_type.replace(" ", "").lower() != JSON_CONTENT_TYPE.replace(" ", ""):
        problems.append("Content-Type %r, expected %r" % (content_type, JSON_CONTENT_TYPE))
    try:
        parsed = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return problems + ["body is not JSON: %s" % short(body.decode("utf-8", "replace"))], None
    if not isinstance(parsed, dict) or set(parsed) != ENVELOPE_KEYS:
        return problems + ["envelope keys %s" % short(sorted(parsed) if isinstance(
            parsed, dict) else parsed)], None
    if not isinstance(parsed["message"], str) or not parsed["message"]:
        problems.append("message is not a non-empty string")
    success = 200 <= status < 300
    if parsed["status"] != ("success" if success else "error"):
        problems.append("envelope status %r" % parsed["status"])
    if not success and parsed["data"] is not None:
        problems.append("error with non-null data")
    if success and parsed["error"] is not None:
        problems.append("success with non-null error")
    return problems, parsed


def compare(expected, status, headers, body, message=model.SUCCESS_MESSAGE):
    """Differences between a model Result and a response (`message`: the success
    message API.md prescribes for this route, or None when it prescribes none)."""
    problems, parsed = envelope_problems(status, headers, body)
    if status != expected.status:
        got = parsed.get("error") if parsed else None
        message = parsed.get("message") if parsed else short(body.decode("utf-8", "replace"))
        return ["status %d (%s: %s), expected %d %s%s" % (
            status, got, short(message, 200), expected.status, expected.code or "",
            " naming %r" % expected.path if expected.path else "")] + problems
    if parsed is None:
        return problems
    if expected.status == 200:
        if message is not None and parsed["message"] != message:
            problems.append("message %r" % parsed["message"])
        problems += json_diff(expected.data, parsed["data"])
    else:
        if parsed["error"] != expected.code:
            problems.append("error %r, expected %r" % (parsed["error"], expected.code))
        if expected.path and expected.path not in parsed["message"]:
            problems.append("message %r does not name %r" % (parsed["message"], expected.path))
    return problems


# --------------------------------------------------------------------------- the runner

class Report:
    """Counts results and prints failures (up to a limit)."""

    def __init__(self, max_report):
        self.passed = self.failed = 0
        self.max_report = max_report

    def check(self, name, problems, request=""):
        """Record one test; print its problems if it failed."""
        if not problems:
            self.passed += 1
            return True
        self.failed += 1
        if self.failed <= self.max_report:
            print("FAIL %s" % name)
            if request:
                print("  request: %s" % request)
            for problem in problems[:8]:
                print("  - %s" % problem)
            if len(problems) > 8:
                print("  - … %d more" % (len(problems) - 8))
        elif self.failed == self.max_report + 1:
            print("(further failures are counted but not printed)")
        return False


def load_credentials(path):
    """Credentials from `keys create` outputs, one JSON object a line."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def random_requests(base, report, store, contexts, readers, count, seed, workers):
    """Send `count` random list requests over `workers` parallel keep-alive connections
    and compare each response with the model.

    `contexts` maps organizations to a Context of their own data; key None is all data.
    The requests depend only on the seed, not on the number of workers.
    """
    rng = random.Random(seed)
    weights = [1 if store.calls(cred["organization_id"]) else 0.15 for cred in readers]
    cases = []
    for index in range(count):
        cred = rng.choices(readers, weights)[0]
        org_ctx = contexts.get(cred["organization_id"])
        body, label = gen_body(rng, org_ctx if org_ctx and rng.random() < 0.8 else contexts[None])
        content_type = rng.choice(("application/json",) * 8 + (
            "application/json; charset=utf-8", "application/json;charset=UTF-8"))
        cases.append((index, cred, body, label, content_type))

    def send_all(batch):
        client = Client(base)
        try:
            return [(case, client.request("POST", "/api/calls", case[2],
                                          api_headers(case[1], case[4]))) for case in batch]
        finally:
            client.close()

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        batches = list(pool.map(send_all, [cases[i::workers] for i in range(workers)]))
    for (index, cred, body, label, _), (status, headers, data) in sorted(
            (item for batch in batches for item in batch), key=lambda item: item[0][0]):
        expected = model.list_calls(store, cred["organization_id"], body)
        report.check("random #%d (%s, %s)" % (index, label, cred["organization_id"]),
                     compare(expected, status, headers, data),
                     short(body.decode("utf-8", "replace"), 400))


def check_cursor_paging(client, report, store, contexts, readers, count, seed):
    """Page through `count` random valid queries by cursor (random limits, no page) and
    compare every page with the model's slice after the previous page's last call; then
    send each query's first cursor where it must be refused: with another sort order or
    filter, altered, made up, beside a page, and by another organization's key."""
    rng = random.Random(seed)
    populated = [cred for cred in readers if store.calls(cred["organization_id"])]
    for index in range(count):
        cred = rng.choice(populated)
        org = cred["organization_id"]
        body = gen_valid(rng, contexts.get(org) or contexts[None])
        body.pairs = [(key, value) for key, value in body.pairs if key not in ("page", "limit")]
        query = model.validate_body(json.loads(dump(body)))
        first_cursor, cursor, key, pages = None, None, None, 0
        while pages < 60:
            limit = rng.choice((1, 3, 7, 20, 100))
            sent = Obj()
            sent.pairs = body.pairs + [("limit", limit)] + ([("cursor", cursor)] if cursor else [])
            status, headers, data = client.request("POST", "/api/calls", dump(sent).encode(), api_headers(cred))
            expected = model.run_query(store.calls(org), org, query._replace(limit=limit), after=key)
            label = "cursor paging #%d page %d (%s)" % (index, pages, org)
            problems = compare(model.Result(200, None, expected, None), status, headers, data)
            report.check(label, problems, short(dump(sent), 400))
            if problems or not expected["calls"]:
                break
            cursor = json.loads(data)["data"]["pagination"]["next_cursor"]
            first_cursor = first_cursor or cursor
            if cursor is None:
                break
            key = model.sort_key(expected["calls"][-1], query.sort_by)
            pages += 1
        if first_cursor:
            check_refused_cursors(client, report, rng, readers, cred, body, first_cursor, index)


def check_refused_cursors(client, report, rng, readers, cred, body, cursor, index):
    """One issued cursor sent where API.md has it refused: 400 naming `cursor`."""
    def send(pairs, who=cred):
        sent = Obj()
        sent.pairs = pairs
        return client.request("POST", "/api/calls", dump(sent).encode(), api_headers(who))

    order = body.get("sort_order") or "descending"
    flipped = "ascending" if model.SORT_ORDERS.get(order) == "descending" else "descending"
    altered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "QQ")
    cases = [
        ("other sort order", [(k, v) for k, v in body.pairs if k != "sort_order"]
         + [("sort_order", flipped), ("cursor", cursor)], cred),
        ("other filter", [(k, v) for k, v in body.pairs if k != "filter_criteria"]
         + [("filter_criteria", {"agent_id": ["no-such-agent-%d" % rng.randrange(1000)]}), ("cursor", cursor)], cred),
        ("altered", body.pairs + [("cursor", altered)], cred),
        ("made up", body.pairs + [("cursor", "bm90LWEtY3Vyc29yLWF0LWFsbA")], cred),
        ("with page 0", body.pairs + [("page", 0), ("cursor", cursor)], cred),
    ]
    others = [other for other in readers if other["organization_id"] != cred["organization_id"]]
    if others:
        cases.append(("other organization", body.pairs + [("cursor", cursor)], rng.choice(others)))
    for name, pairs, who in cases:
        status, headers, data = send(pairs, who)
        report.check("cursor #%d refused (%s)" % (index, name),
                     compare(model.Result(400, "invalid_request", None, "cursor"), status, headers, data))


def check_error(client, report, name, method, path, body, headers, status, code, extra=None):
    """One fixed request expecting an error envelope with this status and code."""
    got_status, got_headers, data = client.request(method, path, body, headers)
    problems = compare(model.Result(status, code, None, None), got_status, got_headers, data)
    if extra:
        problems += extra(got_headers)
    report.check(name, problems, "%s %s %s" % (method, path, short(headers)))
    return got_status, got_headers, data


def allow_has(*methods):
    """A header check: `Allow` lists these methods (and not GET unless listed)."""
    def check(headers):
        allowed = {m.strip().upper() for v in headers.get("allow", []) for m in v.split(",")}
        missing = [m for m in methods if m not in allowed]
        return ["Allow %r lacks %s" % (headers.get("allow"), missing)] if missing else []
    return check


def challenge(headers):
    """A header check: the 401 challenge of API.md."""
    values = headers.get("www-authenticate", [])
    return [] if values == [AUTH_CHALLENGE] else ["WWW-Authenticate %r" % values]


def parse_or_text(data):
    """Body bytes parsed as JSON, or the text when they are not JSON."""
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return data.decode("utf-8", "replace")


def check_auth(client, report, readers):
    """401 for every kind of wrong credentials, with one identical body and the challenge."""
    first, second = readers[0], readers[1]
    variants = {
        "missing both": api_headers(None),
        "missing secret": {"Content-Type": "application/json", "X-API-KEY": first["key"]},
        "missing key": {"Content-Type": "application/json", "X-API-SECRET": first["secret"]},
        "wrong secret": api_headers(dict(first, secret=first["secret"][:-1] + (
            "A" if first["secret"][-1] != "A" else "B"))),
        "unknown key": api_headers(dict(first, key=first["key"] + "x")),
        "other key's secret": api_headers(dict(first, secret=second["secret"])),
        "empty values": api_headers({"key": "", "secret": ""}),
        "key and secret swapped": {"Content-Type": "application/json",
                                             "X-API-KEY": first["secret"],
                                             "X-API-SECRET": first["key"]},
    }
    bodies = {}
    for name, headers in variants.items():
        _, _, data = check_error(client, report, "401 %s" % name, "POST", "/api/calls", b"{}",
                                 headers, 401, "unauthorized", challenge)
        bodies[name] = data
    distinct = {json.dumps(parse_or_text(data), sort_keys=True) for data in bodies.values()}
    report.check("401 bodies identical whatever was wrong",
                 [] if len(distinct) == 1 else ["bodies differ: %s" % short(
                     {k: v.decode("utf-8", "replace") for k, v in bodies.items()}, 800)])
    no_creds = api_headers(None)
    check_error(client, report, "401 before body errors", "POST", "/api/calls",
                b'{"page":-1', no_creds, 401, "unauthorized", challenge)
    check_error(client, report, "401 before 415", "POST", "/api/calls", b"{}",
                api_headers(None, "text/plain"), 401, "unauthorized", challenge)


def check_scope(client, report, writers):
    """403 for a key without calls:read, decided before media type and body."""
    if not writers:
        return
    cred = writers[0]
    check_error(client, report, "403 write-only key", "POST", "/api/calls", b"{}",
                api_headers(cred), 403, "forbidden")
    check_error(client, report, "403 before body errors", "POST", "/api/calls",
                b'{"limit":0}', api_headers(cred), 403, "forbidden")
    check_error(client, report, "403 before 415", "POST", "/api/calls", b"{}",
                api_headers(cred, "text/plain"), 403, "forbidden")


def check_routes(client, report, cred):
    """404 for unknown routes and 405 + Allow for wrong methods, both before credentials."""
    for path in ("/api/call", "/api/callsx", "/nope", "/api", "/api/calls/a/b"):
        for headers in (api_headers(cred), api_headers(None)):
            check_error(client, report, "404 POST %s%s" % (path, "" if "X-API-KEY" in headers
                                                          else " (no credentials)"),
                        "POST", path, b"{}", headers, 404, "not_found")
    for method in ("GET", "PUT", "DELETE", "PATCH"):
        for headers in (api_headers(cred), api_headers(None)):
            body = b"" if method in ("GET", "DELETE") else b"{}"
            check_error(client, report, "405 %s /api/calls%s" % (
                method, "" if "X-API-KEY" in headers else " (no credentials)"),
                method, "/api/calls", body, headers, 405, "method_not_allowed",
                allow_has("POST"))


def check_media_types(client, report, store, cred):
    """415 for other media types (before the body); parameters and case accepted."""
    for content_type in ("text/plain", "application/xml", "application/x-ndjson",
                         "application/jsonx", "multipart/form-data; boundary=x",
                         "application/x-www-form-urlencoded", "json"):
        check_error(client, report, "415 %s" % content_type, "POST", "/api/calls",
                    b'{"limit":1}', api_headers(cred, content_type), 415,
                    "unsupported_media_type")
    check_error(client, report, "415 before body errors", "POST", "/api/calls", b'{"limit":0',
                api_headers(cred, "text/plain"), 415, "unsupported_media_type")
    body = b'{"limit":3,"sort_by":"call_id","sort_order":"asc"}'
    expected = model.list_calls(store, cred["organization_id"], body)
    for content_type in ("application/json; charset=utf-8", "application/json;charset=UTF-8",
                         "Application/JSON", "application/json ; charset=utf-8"):
        status, headers, data = client.request("POST", "/api/calls", body,
                                               api_headers(cred, content_type))
        report.check("media type accepted: %s" % content_type,
                     compare(expected, status, headers, data))
    status, headers, data = client.request("POST", "/api/calls", b"", api_headers(cred, None))
    report.check("empty body without Content-Type = defaults",
                 compare(model.list_calls(store, cred["organization_id"], b""),
                         status, headers, data))


def check_robustness(client, report, store, cred):
    """Bodies meant to break a parser: deep nesting, huge numbers, long strings, Unicode."""
    org = cred["organization_id"]
    cases = [
        ("100000 nested arrays", b'{"filter_criteria":{"agent_id":' + b"[" * 100000
         + b"]" * 100000 + b"}}"),
        ("100000 nested objects", b'{"x":' + b'{"x":' * 99999 + b"1" + b"}" * 100001),
        ("unclosed deep nesting", b'{"page":' + b"[" * 200000),
        ("a 5000-digit page", b'{"page":' + b"9" * 5000 + b"}"),
        ("a 5000-digit float limit", b'{"limit":0.' + b"1" * 5000 + b"}"),
        ("exponent overflow", b'{"page":1e999999999999}'),
        ("10000 agent ids", json.dumps({"filter_criteria": {"agent_id": [
            "agent-%d" % i for i in range(10000)] + ["agent-1"]}}).encode()),
        ("1000 agent ids (the cap)", json.dumps({"filter_criteria": {"agent_id": [
            "agent-%d" % i for i in range(999)] + ["agent-1"]}}).encode()),
        ("1001 statuses", json.dumps({"filter_criteria": {"call_status": ["ended"] * 1001}}).encode()),
        ("32 distinct search terms, each twice", json.dumps({"filter_criteria": {"transcript_search": " ".join(
            ["w%d" % i for i in range(32)] * 2)}}).encode()),
        ("33 distinct search terms", json.dumps({"filter_criteria": {"transcript_search": " ".join(
            "w%d" % i for i in range(33))}}).encode()),
        ("32 prefixes and a phrase", json.dumps({"filter_criteria": {"transcript_search": " ".join(
            "%s*" % chr(97 + i % 26) * (1 + i // 26) for i in range(32)) + ' "help support"'}}).encode()),
        ("search of 1000 two-byte characters", json.dumps(
            {"filter_criteria": {"transcript_search": "é" * 1000}}).encode()),
        ("search of 1001 two-byte characters", json.dumps(
            {"filter_criteria": {"transcript_search": "é" * 1001}}).encode()),
        ("search of 1000 emoji (1000 code points, 2000 UTF-16 units)", json.dumps(
            {"filter_criteria": {"transcript_search": "help" + "🙂" * 996}}).encode()),
        ("escaped surrogate pair",
         rb'{"filter_criteria":{"transcript_search":"\ud83d\ude42 help"}}'),
        ("every escape", rb'{"filter_criteria":{"agent_id":["\"\\\/\b\f\n\r\t\u0041"]}}'),
        ("NUL inside a string", rb'{"filter_criteria":{"agent_id":["agent\u00001"]}}'),
        ("whitespace everywhere", b' \t\r\n{ "limit" :\n3 , "page"\t: 0 }\r\n '),
    ]
    for name, body in cases:
        expected = model.list_calls(store, org, body)
        status, headers, data = client.request("POST", "/api/calls", body, api_headers(cred))
        report.check("robustness: %s" % name, compare(expected, status, headers, data),
                     short(body.decode("utf-8", "replace"), 120))
    for name, body in (
            ("lone high surrogate", rb'{"filter_criteria":{"transcript_search":"\ud800"}}'),
            ("lone low surrogate", rb'{"filter_criteria":{"agent_id":["\udc00"]}}')):
        status, headers, data = client.request("POST", "/api/calls", body, api_headers(cred))
        problems = envelope_problems(status, headers, data)[0]
        if status not in (200, 400):
            problems.append("status %d, expected 400 (or 200)" % status)
        report.check("robustness: %s" % name, problems)


def check_single_call(client, report, store, readers):
    """GET /api/calls/{call_id}: own calls with transcript and ETag; other orgs' are 404."""
    rng = random.Random(99)
    for cred in readers:
        org = cred["organization_id"]
        own = store.calls(org)
        own_ids = {call["call_id"] for call in own}
        for call in rng.sample(own, min(5, len(own))):
            path = "/api/calls/" + urllib.parse.quote(call["call_id"], safe="")
            status, headers, data = client.request("GET", path, b"", api_headers(cred, None))
            expected = model.Result(200, None, model.public_call(call, True), None)
            problems = compare(expected, status, headers, data, message=None)
            if status == 200 and not headers.get("etag"):
                problems.append("no ETag")
            report.check("GET own call %s (%s)" % (call["call_id"], org), problems, path)
        foreign = sorted({call["call_id"] for other in store.by_org if other != org
                          for call in store.calls(other)} - own_ids)
        for call_id in foreign[:3]:
            path = "/api/calls/" + urllib.parse.quote(call_id, safe="")
            check_error(client, report, "GET another organization's call %s (%s)" % (
                call_id, org), "GET", path, b"", api_headers(cred, None), 404, "not_found")


# --------------------------------------------------------------------------- writes

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Writer:
    """Random PUT/PATCH/DELETE of one organization's calls, mirrored in the model."""

    def __init__(self, rng, store, org):
        self.rng, self.store, self.org = rng, store, org
        self.pools = gen_data.Pools(random.Random(rng.random()))
        self.agents = self.pools.agents_for(rng, org) + ["writer-agent"]
        self.created = 0

    def new_record(self, call_id):
        """A valid PUT body for this call_id (the record without id and organization_id)."""
        record = gen_data.make_call(self.rng, self.pools, self.org, self.agents, 0, set(), set(),
                                    omit_nulls=self.rng.random() < 0.5)
        del record["id"], record["organization_id"]
        record["call_id"] = call_id
        return record

    def pick(self):
        """An existing call of the organization, or None."""
        calls = self.store.calls(self.org)
        return self.rng.choice(calls) if calls else None

    def next_operation(self):
        """(method, call_id, body dict or None, expected record or None, expected status)."""
        roll, existing = self.rng.random(), self.pick()
        if roll < 0.35 or existing is None:
            self.created += 1
            call_id = self.rng.choice(("w-%d", "W.%d", "w:%d_x")) % self.created
            record = self.new_record(call_id)
            return "PUT", call_id, record, record, 201
        if roll < 0.55:
            record = self.new_record(existing["call_id"])
            if self.rng.random() < 0.3:
                del record["call_id"]
            expected = dict(record, call_id=existing["call_id"])
            return "PUT", existing["call_id"], record, expected, 200
        if roll < 0.84:
            patch = self.patch_for(existing)
            merged = model.record_of(existing)
            for key, value in patch.items():
                merged[key] = value if value is not None else (
                    {} if key == "metadata" else None)
            merged["call_status"] = merged["call_status"].upper()
            merged["call_type"] = merged["call_type"].upper()
            return "PATCH", existing["call_id"], patch, merged, 200
        if roll < 0.92:
            # Writes that change nothing: the whole stored record again, or a field's own value.
            record = model.record_of(existing)
            for key in ("id", "organization_id", model.STAMP):
                del record[key]
            if self.rng.random() < 0.5:
                return "PUT", existing["call_id"], record, dict(record), 200
            return "PATCH", existing["call_id"], {"agent_id": existing["agent_id"]}, record, 200
        return "DELETE", existing["call_id"], None, None, 200

    def patch_for(self, call):
        """A valid top-level merge for this call."""
        rng, ended = self.rng, call["end_timestamp"] is not None
        choice = rng.randrange(8)
        if choice == 0:
            return {"agent_id": rng.choice(self.agents)}
        if choice == 1:
            return {"transcript": gen_data.make_transcript(rng)}
        if choice == 2 and not ended:
            end = min(call["start_timestamp"] + rng.choice(self.pools.durations),
                      gen_data.MAX_TIMESTAMP)
            return {"call_status": rng.choice(("ended", "ERROR", "Ended")), "end_timestamp": end}
        if choice == 2:
            return {"call_status": rng.choice(("ongoing", "SCHEDULED")), "end_timestamp": None}
        if choice == 3:
            return {rng.choice(("from_number", "to_number")): rng.choice(
                (None, "+15550001111", rng.choice(self.pools.numbers)))}
        if choice == 4:
            return {"metadata": rng.choice((None, {"campaign": "patched", "n": "1"}))}
        if choice == 5:
            return {"call_type": rng.choice(("web_call", "PHONE_CALL")),
                    "direction": rng.choice(("inbound", "OUTBOUND"))}
        if choice == 6 and not ended:
            return {"start_timestamp": rng.choice(self.pools.timestamps)}
        return {"transcript": "patched " + rng.choice(("Café", "refund", "zebra")),
                "agent_id": rng.choice(self.agents)}


def apply_expected(store, org, method, call_id, expected_record, data, since_ms):
    """Mirror a successful write in the model; return the expected response data and the
    problems with the `updated_timestamp` it answered (judged by `model.stamp_problems`,
    then learned)."""
    if method == "DELETE":
        removed = store.remove(org, call_id)
        return (model.public_call(removed, True) if removed else None), []
    old = store.find(org, call_id)
    old = dict(old) if old is not None else None
    call_id_value = (old or {}).get("id") or (data or {}).get("id")
    full = dict(expected_record, id=call_id_value, organization_id=org)
    new = store.put(full)
    changed = old is None or not model.same_stored_fields(old, new)
    stamp = (data or {}).get(model.STAMP)
    problems = model.stamp_problems(old, changed, stamp, since_ms)
    new[model.STAMP] = stamp
    return model.public_call(new, True), problems


def check_writes(client, report, store, contexts, reader, writer_cred, count, seed, since_ms):
    """Interleave random writes with list requests; the list must reflect every 2xx write,
    and each write's `updated_timestamp` must follow its rules (a write that changes
    nothing keeps it and the ETag)."""
    org = writer_cred["organization_id"]
    rng = random.Random(seed)
    writer = Writer(rng, store, org)
    ctx = contexts.get(org) or contexts[None]
    headers = api_headers(writer_cred)
    for index in range(count):
        method, call_id, body, expected_record, expected_status = writer.next_operation()
        path = "/api/calls/" + urllib.parse.quote(call_id, safe="")
        raw = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        before = store.find(org, call_id)
        tag_before = None
        if before is not None and method != "DELETE":
            tag_before = (client.request("GET", path, b"", api_headers(reader, None))[1]
                          .get("etag") or [None])[0]
        status, got_headers, data = client.request(method, path, raw, headers)
        parsed = parse_or_text(data)
        got = parsed.get("data") if isinstance(parsed, dict) else None
        problems = envelope_problems(status, got_headers, data)[0]
        if status != expected_status:
            problems.append("status %d, expected %d: %s" % (status, expected_status,
                                                           short(parsed, 300)))
        else:
            old = dict(before) if before is not None else None
            expected, stamp_problems = apply_expected(store, org, method, call_id,
                                                      expected_record, got, since_ms)
            problems += stamp_problems + json_diff(expected, got)
            now = store.find(org, call_id)
            if old is not None and now is not None and model.same_stored_fields(old, now):
                tag = (got_headers.get("etag") or [None])[0]
                if tag != tag_before:
                    problems.append("a write that changed nothing changed the ETag %s to %s"
                                    % (tag_before, tag))
            refresh_stamp_pools(store, contexts)
            if expected_status == 201:
                if not UUID_RE.match(str((got or {}).get("id"))):
                    problems.append("id %r is not a lower-case UUID" % (got or {}).get("id"))
                if not got_headers.get("location"):
                    problems.append("201 without Location")
        report.check("write #%d %s %s" % (index, method, call_id), problems,
                     short(raw.decode("utf-8"), 300))
        for _ in range(2):
            body_bytes, label = gen_body(rng, ctx)
            expected = model.list_calls(store, org, body_bytes)
            status, got_headers, data = client.request("POST", "/api/calls", body_bytes,
                                                       api_headers(reader))
            report.check("list after write #%d (%s)" % (index, label),
                         compare(expected, status, got_headers, data),
                         short(body_bytes.decode("utf-8", "replace"), 300))


def every_call(client, cred):
    """Every call the key's organization lists, paged by call_id; and the last status."""
    seen, page, status = [], 0, 200
    while page < 1000:
        body = json.dumps({"page": page, "limit": 100, "sort_by": "call_id",
                           "sort_order": "asc"}).encode()
        status, _, data = client.request("POST", "/api/calls", body, api_headers(cred))
        if status != 200:
            break
        calls = json.loads(data)["data"]["calls"]
        if not calls:
            break
        seen += calls
        page += 1
    return seen, status


def learn_stamps(client, report, store, contexts, readers, since_ms):
    """Page through each organization's calls and learn the `updated_timestamp` the server
    gave each one at load: an integer, not before the test started, written right after
    `call_duration`. Lists are then compared with the model using these values."""
    for cred in readers:
        org = cred["organization_id"]
        calls, status = every_call(client, cred)
        problems = [] if status == 200 else ["status %d while paging" % status]
        for call in calls:
            problems += model.stamp_problems(None, True, call.get(model.STAMP), since_ms)
            keys = list(call)
            if model.STAMP in keys and keys[keys.index(model.STAMP) - 1] != "call_duration":
                problems.append("updated_timestamp does not follow call_duration: %s" % keys)
            store.learn_stamp(org, call.get("call_id"), call.get(model.STAMP))
        report.check("updated_timestamp of every loaded call (%s)" % org, problems[:8])
    refresh_stamp_pools(store, contexts)


def refresh_stamp_pools(store, contexts):
    """Give the request generators the stamps the store holds now."""
    for org, ctx in contexts.items():
        calls = [c for o in store.by_org for c in store.calls(o)] if org is None else store.calls(org)
        ctx.updated = sorted({c[model.STAMP] for c in calls if type(c[model.STAMP]) is int}) or [0]


def check_stamp_refused(client, report, store, reader, writer_cred):
    """A write body carrying `updated_timestamp` is 400 naming it (PUT, PATCH, an import
    line), and the call stays as it was."""
    org = writer_cred["organization_id"]
    calls = sorted(store.calls(org), key=lambda call: call["call_id"])
    if not calls:
        report.check("updated_timestamp refused in write bodies", ["no call to write"])
        return
    call = calls[0]
    path = "/api/calls/" + urllib.parse.quote(call["call_id"], safe="")
    record = model.record_of(call)
    for key in ("id", "organization_id"):
        del record[key]
    record[model.STAMP] = 5
    line = json.dumps(record).encode() + b"\n"
    cases = (("PUT", path, json.dumps(record).encode(), "application/json"),
             ("PATCH", path, json.dumps({model.STAMP: 5}).encode(), "application/json"),
             ("POST", "/api/calls/import", line, "application/x-ndjson"))
    for method, target, body, content_type in cases:
        status, headers, data = client.request(method, target, body,
                                               api_headers(writer_cred, content_type))
        expected = model.Result(400, "invalid_request", None, model.STAMP)
        report.check("%s carrying updated_timestamp" % method,
                     compare(expected, status, headers, data), short(body.decode(), 300))
    status, headers, data = client.request("GET", path, b"", api_headers(reader, None))
    expected = model.Result(200, None, model.public_call(call, True), None)
    report.check("call unchanged after refused stamps", compare(expected, status, headers, data,
                                                                 message=None))


def check_stamp_order(client, report, store, reader):
    """Lists sorted by `updated_timestamp` both ways, and the calls written since a stamp,
    as the model orders them with the server's values."""
    org = reader["organization_id"]
    stamps = sorted({c[model.STAMP] for c in store.calls(org) if type(c[model.STAMP]) is int})
    bodies = [{"sort_by": model.STAMP, "sort_order": order, "limit": 100}
              for order in ("asc", "desc")]
    for stamp in stamps[-3:]:
        bodies.append({"sort_by": model.STAMP, "sort_order": "asc", "limit": 100,
                       "filter_criteria": {model.STAMP: {"lower_threshold": stamp}}})
        bodies.append({"limit": 100, "filter_criteria": {
            model.STAMP: {"upper_threshold": stamp}, "call_status": ["ended"]}})
    for body in bodies:
        raw = json.dumps(body).encode()
        expected = model.list_calls(store, org, raw)
        status, headers, data = client.request("POST", "/api/calls", raw, api_headers(reader))
        report.check("list by updated_timestamp %s" % raw.decode(),
                     compare(expected, status, headers, data))


def check_tenancy(client, report, store, readers):
    """Each organization's key pages through exactly its own calls, and no other's."""
    for cred in readers:
        org = cred["organization_id"]
        seen, _ = every_call(client, cred)
        expected = {call["id"] for call in store.calls(org)}
        got = {call.get("id") for call in seen}
        foreign = [c.get("call_id") for c in seen if c.get("organization_id") != org]
        problems = []
        if foreign:
            problems.append("calls of other organizations: %s" % short(foreign))
        if got != expected:
            problems.append("%d calls seen, %d expected; missing %d, extra %d" % (
                len(got), len(expected), len(expected - got), len(got - expected)))
        if len(seen) != len(got):
            problems.append("a call appeared on two pages")
        report.check("tenancy %s" % org, problems)


def main(argv=None):
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="server URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--data", required=True, help="NDJSON dataset imported by the server")
    parser.add_argument("--keys", required=True, help="NDJSON of `keys create` outputs")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4, help="parallel connections")
    parser.add_argument("--writes", type=int, default=0,
                        help="random PUT/PATCH/DELETE, each followed by list checks (needs "
                             "a calls:write key of an organization that also has a reader)")
    parser.add_argument("--single-call", action="store_true",
                        help="also check GET /api/calls/{call_id} (tenancy, transcript, ETag)")
    parser.add_argument("--max-report", type=int, default=60)
    parser.add_argument("--since-ms", type=int, default=0,
                        help="the time (ms since the epoch) before the server started: no "
                             "updated_timestamp may be earlier")
    args = parser.parse_args(argv)

    store = model.Store.from_ndjson(args.data)
    with open(args.data, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    contexts = {None: Context(records)}
    for org in {record["organization_id"] for record in records}:
        contexts[org] = Context([r for r in records if r["organization_id"] == org])
    creds = load_credentials(args.keys)
    readers = [c for c in creds if "calls:read" in c.get("scopes", [])]
    writers = [c for c in creds if "calls:read" not in c.get("scopes", [])]
    if len(readers) < 2:
        print("need at least two keys with calls:read in %s" % args.keys)
        return 2
    client = Client(args.base)
    report = Report(args.max_report)
    learn_stamps(client, report, store, contexts, readers, args.since_ms)
    check_auth(client, report, readers)
    check_scope(client, report, writers)
    check_routes(client, report, readers[0])
    check_media_types(client, report, store, readers[0])
    check_robustness(client, report, store, readers[0])
    check_tenancy(client, report, store, readers)
    if args.single_call:
        check_single_call(client, report, store, readers)
    if args.writes:
        pairs = [(r, w) for w in creds if "calls:write" in w.get("scopes", [])
                 for r in readers if r["organization_id"] == w["organization_id"]]
        if pairs:
            check_stamp_refused(client, report, store, pairs[0][0], pairs[0][1])
            check_writes(client, report, store, contexts, pairs[0][0], pairs[0][1],
                         args.writes, args.seed + 1000, args.since_ms)
            check_stamp_order(client, report, store, pairs[0][0])
        else:
            report.check("writes", ["no calls:write key with a reader of the same organization"])
    random_requests(args.base, report, store, contexts, readers, args.requests, args.seed,
                    args.workers)
    check_cursor_paging(client, report, store, contexts, readers, max(10, args.requests // 30),
                        args.seed + 2000)
    client.close()
    if client.reconnects:
        print("note: %d reconnects (the server closed keep-alive connections)" % client.reconnects)
    print("%d passed, %d failed" % (report.passed, report.failed))
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
