#!/usr/bin/env python3
"""Write a deterministic NDJSON dataset of calls for the CallServer black-box tests.

Each line is an API.md call record plus `organization_id` and `id` (a lower-case
UUID), the server's `--import` format.  The data is built to exercise the list
route: agents shared across organizations and differing only by case, every status
(ENDED/ERROR with `end_timestamp`, the others without), both types and directions,
E.164 numbers or null, duplicated timestamps and durations (so ties are broken by
id), edge timestamps (0 and year 9999), and transcripts mixing common and rare
words, punctuation, digits, apostrophes, accents (Café, naïve, ÉCOLE), Cyrillic,
Greek and CJK words.

Usage: gen_data.py [--count 3000] [--seed 7] [--out calls.ndjson]
"""

import argparse
import json
import random
import sys
import uuid

ORGANIZATIONS = ("org-alpha", "org-beta", "org-gamma")
STATUSES = ("SCHEDULED", "REGISTERED", "ONGOING", "ENDED", "ERROR")
ENDED_STATUSES = ("ENDED", "ERROR")
TYPES = ("PHONE_CALL", "WEB_CALL")
DIRECTIONS = ("INBOUND", "OUTBOUND")
MAX_TIMESTAMP = 253402300799999
BASE_TIMESTAMP = 1703097600000

SHARED_AGENTS = ("agent-1", "agent-2", "agent-3", "Agent-1", "support team", "agent-José")
LONG_AGENT = "agent-" + "x" * 122

COMMON_WORDS = ("help", "support", "account", "refund", "refunds", "refunded", "order",
                "payment", "card", "credit", "billing", "the", "and", "thanks", "please",
                "call", "issue", "number", "phone", "email", "delivery", "cancel",
                "subscription", "update", "address", "password", "reset", "you", "I",
                "can", "with", "today", "hello", "yes", "no", "my", "your", "a", "is")
RARE_WORDS = ("zebra", "quixotic", "xylophone", "Café", "cafe", "CAFÉ", "naïve", "naive",
              "ÉCOLE", "école", "résumé", "resume", "Zürich", "São", "Paulo", "Ångström",
              "façade", "jalapeño", "crème", "brûlée", "coöperate", "Москва", "привет",
              "καλημέρα", "Αθήνα", "東京", "ありがとう", "señor", "Ñandú", "übermorgen")
NUMBER_WORDS = ("12345", "2024", "3pm", "A1B2", "42", "0800", "x9", "v2")
GLUE = (" ", " ", " ", " ", ", ", ". ", "! ", "? ", " - ", " — ", " (", ") ", ": ", "; ",
        " 🙂 ", "\n", " #", "/", "_", "'", " \"", "\" ", "\t", "\\", " \u0007 ", "\u2028",
        "\u00a0")
FIXED_PHRASES = ("credit card", "credit-card", "credit, card", "card credit", "don't know",
                 "e-mail", "order#98765", "foo_bar", "help support", "support help",
                 "customer's refund", "1-800-555-0199", "l'école", "naïve café")


def make_uuid(rng, used):
    """A lower-case random (version 4) UUID not used before."""
    while True:
        value = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if value not in used:
            used.add(value)
            return value


def make_number(rng):
    """An E.164 number: '+' and 7 to 15 digits."""
    return "+" + "".join(rng.choice("0123456789") for _ in range(rng.randint(7, 15)))


def make_transcript(rng):
    """A transcript of 0-80 words with Zipf-like word frequencies and varied glue."""
    if rng.random() < 0.04:
        return ""
    parts = []
    for _ in range(rng.randint(1, 80)):
        roll = rng.random()
        if roll < 0.70:
            word = COMMON_WORDS[min(int(rng.expovariate(0.15)), len(COMMON_WORDS) - 1)]
        elif roll < 0.82:
            word = rng.choice(RARE_WORDS)
        elif roll < 0.90:
            word = rng.choice(NUMBER_WORDS)
        else:
            word = rng.choice(FIXED_PHRASES)
        if rng.random() < 0.1:
            word = word.upper() if rng.random() < 0.5 else word.capitalize()
        parts.append(word)
        parts.append(rng.choice(GLUE))
    speaker = rng.choice(("Agent: ", "Customer: ", "", ""))
    return speaker + "".join(parts).strip()


def make_call_id(rng, index, used):
    """A call_id unique in its organization, of [A-Za-z0-9._:-], 1-128 chars."""
    special = ("A", "a", "Z", "z", "0", "9", "CALL-x", "call-X", "a.b_c:d-e", "x" * 128,
               "call-00010", "Call-00010", "c:1", "c.1", "c_1", "c-1")
    candidate = special[index] if index < len(special) else "call-%05d" % index
    if rng.random() < 0.05 and index >= len(special):
        candidate = "%s-%d" % (rng.choice(("web", "WEB", "pstn", "Sip")), index)
    while candidate in used:
        candidate += "x"
    used.add(candidate)
    return candidate


class Pools:
    """Value pools shared by the calls of one dataset, so that values repeat."""

    def __init__(self, rng):
        self.timestamps = [BASE_TIMESTAMP + rng.randrange(0, 30 * 86400) * 1000
                           for _ in range(300)] + [0, 1, MAX_TIMESTAMP - 1, MAX_TIMESTAMP]
        self.durations = [0, 1, 999, 1000, 30000, 59999, 60000, 180000, 300000, 300001] + \
            [rng.randrange(0, 3600) * 1000 for _ in range(40)]
        self.numbers = [make_number(rng) for _ in range(60)] + ["+0987654321", "+1234567890"]

    def agents_for(self, rng, organization):
        """Agents of one organization: the shared names plus its own."""
        own = ["%s-bot-%d" % (organization.split("-")[1], i) for i in range(1, 5)]
        shared = [agent for agent in SHARED_AGENTS if rng.random() < 0.8]
        return shared + own + [LONG_AGENT]


def make_call(rng, pools, organization, agents, index, used_ids, used_call_ids, omit_nulls):
    """One import record."""
    status = rng.choice(STATUSES)
    start = rng.choice(pools.timestamps)
    record = {
        "id": make_uuid(rng, used_ids),
        "organization_id": organization,
        "call_id": make_call_id(rng, index, used_call_ids),
        "agent_id": rng.choice(agents),
        "call_status": status,
        "call_type": rng.choice(TYPES),
        "direction": rng.choice(DIRECTIONS),
        "from_number": rng.choice(pools.numbers) if rng.random() < 0.85 else None,
        "to_number": rng.choice(pools.numbers) if rng.random() < 0.85 else None,
        "start_timestamp": start,
        "transcript": make_transcript(rng),
    }
    if status in ENDED_STATUSES:
        end = min(start + rng.choice(pools.durations), MAX_TIMESTAMP)
        record["end_timestamp"] = end
        if rng.random() < 0.5:
            record["call_duration"] = end - start
    elif not omit_nulls and rng.random() < 0.5:
        record["end_timestamp"] = None
    add_metadata(rng, record)
    return record


def add_metadata(rng, record):
    """Give some calls metadata, a few an empty object, most none."""
    roll = rng.random()
    if roll < 0.3:
        record["metadata"] = {"campaign": rng.choice(("spring", "winter", "Été")),
                              "lang": rng.choice(("en", "fr", "de"))}
    elif roll < 0.35:
        record["metadata"] = {}


def generate(count, seed, omit_nulls=False):
    """Return `count` records over the three organizations, deterministic for `seed`."""
    rng = random.Random(seed)
    pools = Pools(rng)
    used_ids = set()
    per_org = {org: {"agents": pools.agents_for(rng, org), "call_ids": set(), "n": 0}
               for org in ORGANIZATIONS}
    records = []
    for _ in range(count):
        organization = rng.choice(ORGANIZATIONS)
        state = per_org[organization]
        records.append(make_call(rng, pools, organization, state["agents"], state["n"],
                                 used_ids, state["call_ids"], omit_nulls))
        state["n"] += 1
    return records


def main(argv=None):
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="-", help="output file ('-' = stdout)")
    parser.add_argument("--omit-nulls", action="store_true",
                        help="leave out end_timestamp instead of writing null")
    args = parser.parse_args(argv)
    records = generate(args.count, args.seed, args.omit_nulls)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    with out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
