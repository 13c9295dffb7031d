"""Schemathesis hooks for the OpenAPI suite (loaded through SCHEMATHESIS_HOOKS).

- A serializer for `application/x-ndjson`: the document states the import body as the list of its lines.
- `map_case` gives valid PUT and PATCH bodies the path's call_id (a rule between path and body).
- `filter_failure` drops exactly the refusals the contract requires and JSON Schema cannot state, each checked
  against the request that was sent (not against the server's answer alone), so the check stays on for
  everything else:
  * 412 to a request that carried `If-Match`: preconditions are evaluated before the content (RFC 9110
    §13.2.1), so a made-up tag is refused whatever the body;
  * 413 to a request whose body is over the route's limit (decided from its length, before its fields);
  * 400 to a schema-valid body that breaks a rule JSON Schema cannot state (a rule between fields, an
    integer written as 1.0, a list cursor or changes token the server did not sign), listed in
    `unstatable_rule`.
"""

import json
import urllib.parse

import schemathesis

MAX_TRANSCRIPT_BYTES = 256 * 1024
# The server's default body limits (--max-body-bytes, --max-import-bytes): a size, not a shape, so no schema states it.
MAX_BODY_BYTES = 1024 * 1024
MAX_IMPORT_BYTES = 64 * 1024 * 1024
ENDED = {"ENDED", "ERROR"}


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    lines = value if isinstance(value, list) else [value]
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def _record_problem(record, path_call_id=None):
    """A rule between fields of a PUT body or import line that `record` breaks, or None."""
    if not isinstance(record, dict):
        return None
    call_id = record.get("call_id")
    if path_call_id is not None and call_id is not None and call_id != path_call_id:
        return "call_id in the body differs from the path's"
    start, end = record.get("start_timestamp"), record.get("end_timestamp")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        return "end_timestamp before start_timestamp"
    duration = record.get("call_duration")
    if duration is not None:
        if not (isinstance(start, int) and isinstance(end, int)) or duration != end - start:
            return "call_duration is not end_timestamp - start_timestamp"
    transcript = record.get("transcript")
    if isinstance(transcript, str) and len(transcript.encode("utf-8", "surrogatepass")) > MAX_TRANSCRIPT_BYTES:
        return "transcript over 256 KiB of UTF-8"
    return None


def _list_problem(body):
    criteria = body.get("filter_criteria") if isinstance(body, dict) else None
    if not isinstance(criteria, dict):
        return None
    for name in ("duration_ms", "start_timestamp", "updated_timestamp"):
        bounds = criteria.get(name)
        if isinstance(bounds, dict):
            lower, upper = bounds.get("lower_threshold"), bounds.get("upper_threshold")
            if isinstance(lower, int) and isinstance(upper, int) and lower > upper:
                return f"{name}.lower_threshold above upper_threshold"
    return None


def _has_fraction_form(value):
    """Whether a number is written as a float (6581.0): JSON Schema counts it an integer, the API does not."""
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_fraction_form(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_fraction_form(item) for item in value)
    return False


def unstatable_rule(case, message):
    """The rule JSON Schema cannot state that this request breaks, or None."""
    operation = case.operation.definition.raw.get("operationId")
    body = case.body
    # The API has no field of type number: every float sent is one written where an integer belongs.
    if _has_fraction_form(body):
        return "an integer written with a fraction part (1.0)"
    path_call_id = urllib.parse.unquote(str((case.path_parameters or {}).get("call_id", "")))
    if operation == "list_calls":
        if _list_problem(body):
            return _list_problem(body)
        # More than 32 distinct search terms: counting terms needs the server's word splitting.
        if "transcript_search" in message and "distinct terms" in message:
            return "transcript_search over 32 distinct terms"
        # A cursor is a token the server signs: one made up here is not one of its own, and one beside a page
        # breaks a rule between two fields. Both are refused naming cursor.
        cursor = body.get("cursor") if isinstance(body, dict) else None
        if isinstance(cursor, str) and message.startswith("cursor "):
            if body.get("page") is not None:
                return "cursor together with page"
            return "a cursor the server did not issue"
    if operation == "list_changes":
        # A since token is one the server signs: one made up here is not one of its own, refused naming since.
        since = body.get("since") if isinstance(body, dict) else None
        if isinstance(since, str) and message.startswith("since "):
            return "a since token the server did not issue"
    if operation == "put_call":
        return _record_problem(body, path_call_id)
    if operation == "patch_call":
        if isinstance(body, dict) and body.get("call_id") not in (None, path_call_id):
            return "call_id in the body differs from the path's"
        # The merged call must pass the PUT rules: which depends on the stored call, not on the body alone.
        if message.startswith(("end_timestamp", "call_duration", "transcript must be at most")):
            return "the merged call breaks a rule between fields"
    if operation == "import_calls" and isinstance(body, list):
        seen = set()
        for record in body:
            if _record_problem(record):
                return _record_problem(record)
            call_id = record.get("call_id") if isinstance(record, dict) else None
            if call_id in seen:
                return "a call_id twice in one import"
            seen.add(call_id)
    return None


@schemathesis.hook
def map_case(context, case):
    # A valid PUT or PATCH body that names a call_id other than the path's is refused at that field, before the
    # fields after it are looked at: give positive bodies the path's call_id so the rest of them is tested too.
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    if case.operation.definition.raw.get("operationId") in ("put_call", "patch_call") and isinstance(case.body, dict):
        if "call_id" in case.body and case.body["call_id"] is not None and "call_id" in (case.path_parameters or {}):
            case.body["call_id"] = case.path_parameters["call_id"]
    return case


def _over_body_limit(case, response):
    """Whether the request's body was over the route's limit (413 is then the answer, before any field is read)."""
    body = response.request.body or b""
    limit = MAX_IMPORT_BYTES if case.operation.definition.raw.get("operationId") == "import_calls" else MAX_BODY_BYTES
    return len(body) > limit


def _sent_if_match(case):
    return any(name.lower() == "if-match" for name in (case.headers or {}))


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if response.status_code == 412 and _sent_if_match(case):
        return False
    if response.status_code == 413 and _over_body_limit(case, response):
        return False
    if type(failure).__name__ == "RejectedPositiveData" and response.status_code == 400:
        try:
            message = json.loads(response.content)["message"]
        except (ValueError, KeyError, TypeError):
            return True
        return unstatable_rule(case, message) is None
    return True
