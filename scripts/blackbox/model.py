"""Reference model of `POST /api/calls` as specified in /work/shared/API.md.

Written from the contract's text alone, independently of the Swift server, so that
`api_diff.py` can compare every response of the live server with what the contract
says.  Entry point: `list_calls(store, organization_id, body_bytes)`, which returns a
`Result` (HTTP status, `error` code or None, `data` or None, and for body errors the
field path that the error message must name).

Readings chosen where API.md leaves room (also listed in the final report):
- A key given twice is a JSON-level error, reported before any field check; the
  message must name the duplicated key by its path.
- A number written with a fraction or an exponent (`1.0`, `1e2`) is never an integer.
- An explicit `null` means "not given" everywhere in the list body, including a
  threshold inside a range; a null *item* of a list is a non-string item (400).
- `lower_threshold > upper_threshold` names the range (`filter_criteria.duration_ms`).
- `transcript_search` length is counted in Unicode code points, before trimming.
- `call_id` sorts by code point (it is ASCII, so this is byte order too).
- `updated_timestamp` is the server's clock, which the model cannot predict: the model
  learns each call's value from the server's answers, checks it by its rules
  (`stamp_problems`: an integer, not before the test started, never lower than before,
  unchanged by a write that changes no stored field) and then sorts and filters by it.
"""

import json
import unicodedata
from collections import namedtuple

INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1

TOP_FIELDS = ("page", "limit", "sort_by", "sort_order", "include_transcript", "filter_criteria",
              "cursor")
FILTER_FIELDS = ("call_status", "agent_id", "call_type", "direction", "from_number",
                 "to_number", "duration_ms", "start_timestamp", "transcript_search",
                 "updated_timestamp")
RANGE_FIELDS = ("lower_threshold", "upper_threshold")
ENUMS = {
    "call_status": ("SCHEDULED", "REGISTERED", "ONGOING", "ENDED", "ERROR"),
    "call_type": ("PHONE_CALL", "WEB_CALL"),
    "direction": ("INBOUND", "OUTBOUND"),
}
STRING_LISTS = ("agent_id", "from_number", "to_number")
RANGES = ("duration_ms", "start_timestamp", "updated_timestamp")
SORT_FIELDS = ("start_timestamp", "end_timestamp", "call_duration", "call_id", "updated_timestamp")
SORT_ORDERS = {"ascending": "ascending", "asc": "ascending",
               "descending": "descending", "desc": "descending"}
MAX_SEARCH_CHARS = 1000
MAX_LIST_ITEMS = 1000
MAX_SEARCH_TERMS = 32
SUCCESS_MESSAGE = "Calls retrieved successfully"

Result = namedtuple("Result", "status code data path")
Result.__doc__ = """Expected outcome: HTTP status, error code (None on success), data (None on
error), and the field path the error message must contain (None when no field is named)."""


class BodyError(Exception):
    """A 400 `invalid_request`; `path` is the offending field's path or None."""

    def __init__(self, path, reason):
        super().__init__(reason)
        self.path = path
        self.reason = reason


# --------------------------------------------------------------------------- JSON decoding

class JsonFloat:
    """A JSON number written with a fraction or exponent; never an integer here."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return "JsonFloat(%s)" % self.text


class JsonObject(dict):
    """A decoded JSON object that remembers its keys' order and any duplicated key."""

    def __init__(self, pairs):
        super().__init__()
        self.duplicates = []
        for key, value in pairs:
            if key in self and key not in self.duplicates:
                self.duplicates.append(key)
            self[key] = value


def _reject_constant(name):
    raise ValueError("non-JSON constant %s" % name)


def decode_json(body):
    """Decode request bytes strictly: UTF-8, one JSON value, floats marked, NaN rejected.

    Raises BodyError(None, ...) for malformed JSON and BodyError(path, ...) for a key
    given twice in one object.
    """
    try:
        text = body.decode("utf-8")
        value = json.loads(text, object_pairs_hook=JsonObject, parse_float=JsonFloat,
                           parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BodyError(None, "malformed JSON: %s" % exc)
    path = _first_duplicate(value, "")
    if path is not None:
        raise BodyError(path, "duplicate key")
    return value


def _join(prefix, key):
    return key if not prefix else "%s.%s" % (prefix, key)


def _first_duplicate(value, prefix):
    """Path of a duplicated key anywhere in `value`, or None."""
    if isinstance(value, JsonObject):
        if value.duplicates:
            return _join(prefix, value.duplicates[0])
        for key, item in value.items():
            found = _first_duplicate(item, _join(prefix, key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _first_duplicate(item, "%s[%d]" % (prefix, index))
            if found is not None:
                return found
    return None


# --------------------------------------------------------------------------- validation

def _is_int(value):
    return type(value) is int


def _int_field(value, path, minimum, maximum=INT64_MAX):
    """Validate a JSON integer within [minimum, maximum] and int64."""
    if not _is_int(value):
        raise BodyError(path, "must be an integer")
    if value < INT64_MIN or value > INT64_MAX:
        raise BodyError(path, "does not fit in 64 bits")
    if value < minimum or value > maximum:
        raise BodyError(path, "out of range")
    return value


def _check_unknown(obj, allowed, prefix):
    for key in obj:
        if key not in allowed:
            raise BodyError(_join(prefix, key), "unknown field")


def _given(obj, key):
    """True when `key` is present and not an explicit null."""
    return key in obj and obj[key] is not None


def _enum_list(value, path, allowed):
    """Validate a list of enumeration names (any case); return it lower-cased, de-duplicated.

    Items are checked one by one in order (type, then value).
    """
    if not isinstance(value, list):
        raise BodyError(path, "must be a list of strings")
    if len(value) > MAX_LIST_ITEMS:
        raise BodyError(path, "too many items")
    for index, item in enumerate(value):
        item_path = "%s[%d]" % (path, index)
        if not isinstance(item, str):
            raise BodyError(item_path, "must be a string")
        if item.upper() not in allowed:
            raise BodyError(item_path, "unknown value")
    return _dedupe([item.lower() for item in value])


def _string_list(value, path):
    """Validate a list whose items are all strings; return it de-duplicated."""
    if not isinstance(value, list):
        raise BodyError(path, "must be a list of strings")
    if len(value) > MAX_LIST_ITEMS:
        raise BodyError(path, "too many items")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise BodyError("%s[%d]" % (path, index), "must be a string")
    return _dedupe(value)


def _dedupe(items):
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _range(value, path):
    """Validate a `{lower_threshold?, upper_threshold?}` object; return the given bounds."""
    if not isinstance(value, dict):
        raise BodyError(path, "must be an object")
    _check_unknown(value, RANGE_FIELDS, path)
    bounds = {}
    for key in RANGE_FIELDS:
        if _given(value, key):
            bounds[key] = _int_field(value[key], _join(path, key), 0)
    if len(bounds) == 2 and bounds["lower_threshold"] > bounds["upper_threshold"]:
        raise BodyError(path, "lower_threshold is greater than upper_threshold")
    return bounds


def _search(value, path):
    if not isinstance(value, str):
        raise BodyError(path, "must be a string")
    if len(value) > MAX_SEARCH_CHARS:
        raise BodyError(path, "too long")
    distinct = {(kind, tuple(term) if kind == "phrase" else term) for kind, term in parse_query(value)}
    if len(distinct) > MAX_SEARCH_TERMS:
        raise BodyError(path, "too many terms")
    return value.strip()


def validate_filters(value):
    """Validate `filter_criteria`; return the normalized `applied_filters` dict."""
    prefix = "filter_criteria"
    if not isinstance(value, dict):
        raise BodyError(prefix, "must be an object")
    _check_unknown(value, FILTER_FIELDS, prefix)
    applied = {}
    for key in FILTER_FIELDS:
        if not _given(value, key):
            continue
        path = _join(prefix, key)
        if key in ENUMS:
            normalized = _enum_list(value[key], path, ENUMS[key])
        elif key in STRING_LISTS:
            normalized = _string_list(value[key], path)
        elif key in RANGES:
            normalized = _range(value[key], path)
        else:
            normalized = _search(value[key], path)
            if not parse_query(normalized):
                normalized = None
        if normalized:
            applied[key] = normalized
    return applied


Query = namedtuple("Query", "page limit sort_by sort_order include_transcript filters cursor")


class AnyCursor:
    """Stands for a `next_cursor` the model expects to be a token: tokens are opaque (signed
    by the server), so a comparison accepts any non-empty string here."""

    def __repr__(self):
        return "<a cursor>"


ANY_CURSOR = AnyCursor()


def validate_body(value):
    """Validate a decoded list body in API.md's order; return a Query or raise BodyError."""
    if not isinstance(value, dict):
        raise BodyError(None, "body must be a JSON object")
    _check_unknown(value, TOP_FIELDS, "")
    page, limit, sort_by, order = 0, 20, "start_timestamp", "descending"
    include, filters = False, {}
    if _given(value, "page"):
        page = _int_field(value["page"], "page", 0)
    if _given(value, "limit"):
        limit = _int_field(value["limit"], "limit", 1, 100)
    if _given(value, "sort_by"):
        if value["sort_by"] not in SORT_FIELDS:
            raise BodyError("sort_by", "unknown sort field")
        sort_by = value["sort_by"]
    if _given(value, "sort_order"):
        if not isinstance(value["sort_order"], str) or value["sort_order"] not in SORT_ORDERS:
            raise BodyError("sort_order", "unknown sort order")
        order = SORT_ORDERS[value["sort_order"]]
    if _given(value, "include_transcript"):
        if not isinstance(value["include_transcript"], bool):
            raise BodyError("include_transcript", "must be a boolean")
        include = value["include_transcript"]
    if _given(value, "filter_criteria"):
        filters = validate_filters(value["filter_criteria"])
    cursor = None
    if _given(value, "cursor"):
        # Only the server can tell its tokens; the model checks the form and `page` beside it.
        if not isinstance(value["cursor"], str) or _given(value, "page"):
            raise BodyError("cursor", "must be a string, without page")
        cursor = value["cursor"]
    return Query(page, limit, sort_by, order, include, filters, cursor)


# --------------------------------------------------------------------------- transcript search

def _is_word_char(ch):
    return unicodedata.category(ch)[0] in "LN"


def split_words(text):
    """Return (word, end_index) for every maximal run of Unicode letters and numbers."""
    words, start = [], None
    for index, ch in enumerate(text):
        if _is_word_char(ch):
            if start is None:
                start = index
        elif start is not None:
            words.append((text[start:index], index))
            start = None
    if start is not None:
        words.append((text[start:], len(text)))
    return words


def fold(word):
    """Case- and diacritic-insensitive form: NFKD, combining marks dropped, lower case."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if unicodedata.category(ch)[0] != "M").lower()


def folded_words(text):
    """The folded words of a transcript, in order."""
    return [fold(word) for word, _ in split_words(text)]


def parse_query(query):
    """Parse a search string into terms: ('word', w), ('prefix', p) or ('phrase', [w, ...]).

    Double quotes delimit phrases (an unterminated quote runs to the end); outside
    quotes a word immediately followed by `*` is a prefix term.  An empty result
    means "no search".
    """
    terms = []
    for index, part in enumerate(query.split('"')):
        words = split_words(part)
        if index % 2 == 1:
            folded = [fold(word) for word, _ in words]
            if len(folded) == 1:
                terms.append(("word", folded[0]))
            elif folded:
                terms.append(("phrase", folded))
            continue
        for word, end in words:
            kind = "prefix" if part[end:end + 1] == "*" else "word"
            terms.append((kind, fold(word)))
    return terms


def _has_phrase(words, phrase):
    size = len(phrase)
    return any(words[i:i + size] == phrase for i in range(len(words) - size + 1))


def matches_search(terms, words, word_set):
    """True when every term occurs in the transcript given as folded words."""
    for kind, term in terms:
        if kind == "word" and term not in word_set:
            return False
        if kind == "prefix" and not any(word.startswith(term) for word in word_set):
            return False
        if kind == "phrase" and not _has_phrase(words, term):
            return False
    return True


# --------------------------------------------------------------------------- the store

class Store:
    """Calls by organization, as imported from the generated NDJSON file."""

    def __init__(self):
        self.by_org = {}

    @classmethod
    def from_ndjson(cls, path):
        """Load a dataset written by gen_data.py."""
        store = cls()
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    store.add(json.loads(line))
        return store

    def add(self, record):
        """Add one import record (API.md call record plus `organization_id` and `id`)."""
        call = _stored_call(record)
        self.by_org.setdefault(call["organization_id"], []).append(call)

    def calls(self, organization_id):
        """All calls of one organization."""
        return self.by_org.get(organization_id, [])

    def find(self, organization_id, call_id):
        """The stored call with this call_id in the organization, or None."""
        for call in self.calls(organization_id):
            if call["call_id"] == call_id:
                return call
        return None

    def put(self, record):
        """Create or replace (by organization and call_id) from a full record; return it."""
        call = _stored_call(record)
        calls = self.by_org.setdefault(call["organization_id"], [])
        for index, old in enumerate(calls):
            if old["call_id"] == call["call_id"]:
                calls[index] = call
                return call
        calls.append(call)
        return call

    def learn_stamp(self, organization_id, call_id, value):
        """Record the `updated_timestamp` the server returned for a call."""
        call = self.find(organization_id, call_id)
        if call is not None:
            call["updated_timestamp"] = value

    def remove(self, organization_id, call_id):
        """Delete a call; return it (or None when absent)."""
        call = self.find(organization_id, call_id)
        if call is not None:
            self.by_org[organization_id].remove(call)
        return call


def record_of(call):
    """The full record (as imported) of a stored call."""
    record = public_call(call, True)
    record["metadata"] = dict(call["metadata"])
    return record


def _stored_call(record):
    start, end = record["start_timestamp"], record.get("end_timestamp")
    transcript = record.get("transcript") or ""
    words = folded_words(transcript)
    return {
        "id": record["id"],
        "call_id": record["call_id"],
        "agent_id": record["agent_id"],
        "organization_id": record["organization_id"],
        "call_status": record["call_status"].upper(),
        "call_type": record["call_type"].upper(),
        "direction": record["direction"].upper(),
        "from_number": record.get("from_number"),
        "to_number": record.get("to_number"),
        "start_timestamp": start,
        "end_timestamp": end,
        "call_duration": None if end is None else end - start,
        # Learned from the server (see the module's notes); None until then.
        "updated_timestamp": record.get("updated_timestamp"),
        "transcript": transcript,
        "metadata": record.get("metadata") or {},
        "_words": words,
        "_word_set": set(words),
    }


# --------------------------------------------------------------------------- query execution

def _in_range(value, bounds):
    if value is None:
        return False
    return (value >= bounds.get("lower_threshold", value)
            and value <= bounds.get("upper_threshold", value))


def call_matches(call, filters, terms):
    """True when the call satisfies every applied filter (AND)."""
    for key in ENUMS:
        if key in filters and call[key].lower() not in filters[key]:
            return False
    for key in STRING_LISTS:
        if key in filters and call[key] not in filters[key]:
            return False
    if "duration_ms" in filters and not _in_range(call["call_duration"], filters["duration_ms"]):
        return False
    if "start_timestamp" in filters and not _in_range(call["start_timestamp"],
                                                       filters["start_timestamp"]):
        return False
    if terms and not matches_search(terms, call["_words"], call["_word_set"]):
        return False
    if "updated_timestamp" in filters and not _in_range(call["updated_timestamp"],
                                                         filters["updated_timestamp"]):
        return False
    return True


def sort_calls(calls, sort_by, descending):
    """Order by the sort field, calls without a value last, ties by id in the same direction."""
    valued = [call for call in calls if call[sort_by] is not None]
    missing = [call for call in calls if call[sort_by] is None]
    valued.sort(key=lambda call: (call[sort_by], call["id"]), reverse=descending)
    missing.sort(key=lambda call: call["id"], reverse=descending)
    return valued + missing


STAMP = "updated_timestamp"


def same_stored_fields(old, new):
    """True when two stored calls agree on every field a write can change (all but the stamp)."""
    keys = [key for key in old if not key.startswith("_") and key != STAMP]
    return all(old[key] == new.get(key) for key in keys)


def stamp_problems(previous, changed, value, since_ms):
    """Problems with the `updated_timestamp` a write answered with.

    `previous` is the stored call before the write (None when it created the call),
    `changed` whether the write changed a stored field, `since_ms` the time the test
    started (the server's clock cannot be earlier for a write made since).
    """
    if type(value) is not int:
        return ["updated_timestamp %r is not an integer" % (value,)]
    problems = []
    if value < since_ms:
        problems.append("updated_timestamp %d is before the test started (%d)" % (value, since_ms))
    old = previous.get(STAMP) if previous else None
    if old is not None and value < old:
        problems.append("updated_timestamp went down from %d to %d" % (old, value))
    if old is not None and not changed and value != old:
        problems.append("a write that changed nothing moved updated_timestamp from %d to %d"
                        % (old, value))
    return problems


def public_call(call, include_transcript):
    """A call as the API shows it in a list page."""
    out = {key: value for key, value in call.items()
           if not key.startswith("_") and key not in ("transcript", "metadata")}
    if include_transcript:
        out["transcript"] = call["transcript"]
    if call["metadata"]:
        out["metadata"] = dict(call["metadata"])
    return out


def sort_key(call, sort_by):
    """A call's position in the order of `sort_by`: its value (None sorts last) and id."""
    return (call[sort_by], call["id"])


def follows(call, key, sort_by, descending):
    """Whether `call` comes strictly after the position `key` in the list order."""
    value, identifier = call[sort_by], call["id"]
    key_value, key_id = key
    if (value is None) != (key_value is None):
        return value is None
    if value != key_value:
        return (value < key_value) if descending else (value > key_value)
    return (identifier < key_id) if descending else (identifier > key_id)


def run_query(calls, organization_id, query, after=None):
    """Compute the success `data` object for a validated query; with `after` (a `sort_key`),
    the page of calls that come after that position, as a cursor continues."""
    terms = parse_query(query.filters.get("transcript_search", ""))
    matching = [call for call in calls if call_matches(call, query.filters, terms)]
    descending = query.sort_order == "descending"
    ordered = sort_calls(matching, query.sort_by, descending)
    total = len(matching)
    total_pages = (total + query.limit - 1) // query.limit
    if after is None:
        start = query.page * query.limit
    else:
        start = next((index for index, call in enumerate(ordered)
                      if follows(call, after, query.sort_by, descending)), total)
    page = ordered[start:start + query.limit]
    more = bool(page) and start + len(page) < total
    if after is None:
        number, has_next, has_previous = query.page, query.page + 1 < total_pages, query.page > 0
    else:
        number = start // query.limit if page else total_pages
        has_next, has_previous = more, start > 0
    return {
        "organization_id": organization_id,
        "calls": [public_call(call, query.include_transcript) for call in page],
        "pagination": {
            "page": number,
            "limit": query.limit,
            "total_count": total,
            "total_pages": total_pages,
            "has_next_page": has_next,
            "has_previous_page": has_previous,
            "next_cursor": ANY_CURSOR if more else None,
        },
        "returned_count": len(page),
        "sort_order": query.sort_order,
        "sort_by": query.sort_by,
        "applied_filters": query.filters,
    }


def list_calls(store, organization_id, body):
    """Expected result of an authenticated `POST /api/calls` with this body (bytes)."""
    try:
        value = {} if body == b"" else decode_json(body)
        query = validate_body(value)
    except BodyError as err:
        return Result(400, "invalid_request", None, err.path)
    if query.cursor is not None:
        # A token the server did not issue for this list (the model has none of its own).
        return Result(400, "invalid_request", None, "cursor")
    return Result(200, None, run_query(store.calls(organization_id), organization_id, query), None)
