#!/usr/bin/env python3
"""Offline unit checks of model.py on hand-made examples taken from API.md's text.

Run: python3 -m unittest scripts/blackbox/test_model.py   (or run this file)
Needs no server: it keeps the reference model honest before it judges the server.
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model  # noqa: E402

EXAMPLE_CALL = {"id": "00000000-0000-4000-8000-000000000001", "call_id": "call-456",
                "agent_id": "agent-123", "organization_id": "org-789", "call_status": "ENDED",
                "call_type": "PHONE_CALL", "direction": "OUTBOUND",
                "from_number": "+0987654321", "to_number": "+1234567890",
                "start_timestamp": 1703097600000, "end_timestamp": 1703097780000,
                "updated_timestamp": 1703097790000,
                "transcript": "Thanks for calling support, how can I help?"}


def store_of(*records):
    """A store holding these records (defaults filled in from EXAMPLE_CALL)."""
    store = model.Store()
    for index, record in enumerate(records):
        full = dict(EXAMPLE_CALL, id="00000000-0000-4000-8000-%012d" % index,
                    call_id="call-%d" % index)
        full.update(record)
        store.add(full)
    return store


def run(store, body, org="org-789"):
    """The model's result for a body given as a Python value or raw text."""
    raw = body if isinstance(body, bytes) else (
        body.encode() if isinstance(body, str) else json.dumps(body).encode())
    return model.list_calls(store, org, raw)


class ExampleFromApiMd(unittest.TestCase):
    """The curl example and response of API.md."""

    BODY = ('{"page":0,"limit":50,"sort_by":"start_timestamp","sort_order":"descending",'
            '"filter_criteria":{"call_status":["ongoing","ended"],"agent_id":["agent-123"],'
            '"duration_ms":{"lower_threshold":30000,"upper_threshold":300000},'
            '"transcript_search":"help support"}}')

    def test_response_data(self):
        result = run(store_of({"id": EXAMPLE_CALL["id"], "call_id": "call-456"}), self.BODY)
        self.assertEqual(result.status, 200)
        expected_call = dict(EXAMPLE_CALL, call_duration=180000)
        del expected_call["transcript"]
        self.assertEqual(result.data, {
            "organization_id": "org-789", "calls": [expected_call],
            "pagination": {"page": 0, "limit": 50, "total_count": 1, "total_pages": 1,
                           "has_next_page": False, "has_previous_page": False,
                           "next_cursor": None},
            "returned_count": 1, "sort_order": "descending", "sort_by": "start_timestamp",
            "applied_filters": {"call_status": ["ongoing", "ended"], "agent_id": ["agent-123"],
                                "duration_ms": {"lower_threshold": 30000,
                                                "upper_threshold": 300000},
                                "transcript_search": "help support"}})


class Validation(unittest.TestCase):
    """Strict JSON, types, ranges and the order of reported errors."""

    def assertError(self, body, path):
        result = run(model.Store(), body)
        self.assertEqual((result.status, result.code, result.path),
                         (400, "invalid_request", path), body)

    def test_empty_body_is_defaults(self):
        result = run(model.Store(), b"")
        self.assertEqual((result.status, result.data["pagination"]["limit"],
                          result.data["sort_by"], result.data["sort_order"],
                          result.data["applied_filters"]),
                         (200, 20, "start_timestamp", "descending", {}))

    def test_strict_numbers_and_types(self):
        for text in ('{"page":1.0}', '{"page":1e0}', '{"page":true}', '{"page":"1"}',
                     '{"page":-1}', '{"page":9223372036854775808}'):
            self.assertError(text, "page")
        self.assertEqual(run(model.Store(), '{"page":9223372036854775807}').status, 200)
        self.assertError('{"limit":0}', "limit")
        self.assertError('{"limit":101}', "limit")
        self.assertError('{"include_transcript":1}', "include_transcript")

    def test_duplicate_keys_and_malformed(self):
        self.assertError('{"page":1,"page":1}', "page")
        self.assertError('{"filter_criteria":{"agent_id":["a"],"agent_id":["b"]}}',
                         "filter_criteria.agent_id")
        for text in ('{"page":1,}', "[]", '{"page":NaN}', b'{"a":"\xff"}'):
            self.assertError(text, None)

    def test_unknown_fields_first(self):
        self.assertError('{"page":-1,"filter_critera":{}}', "filter_critera")
        self.assertError('{"filter_criteria":{"call_status":["x"],"status":[]}}',
                         "filter_criteria.status")

    def test_order_of_fields(self):
        self.assertError('{"limit":0,"page":-1}', "page")
        self.assertError('{"filter_criteria":{"agent_id":[1]},"sort_by":"x"}', "sort_by")
        self.assertError('{"filter_criteria":{"transcript_search":1,"call_status":["x"]}}',
                         "filter_criteria.call_status[0]")

    def test_list_items(self):
        self.assertError('{"filter_criteria":{"call_status":["ended","bogus"]}}',
                         "filter_criteria.call_status[1]")
        self.assertError('{"filter_criteria":{"direction":["inbound",null]}}',
                         "filter_criteria.direction[1]")
        self.assertError('{"filter_criteria":{"agent_id":"a"}}', "filter_criteria.agent_id")

    def test_ranges(self):
        self.assertError('{"filter_criteria":{"duration_ms":{"lower_threshold":2,'
                         '"upper_threshold":1}}}', "filter_criteria.duration_ms")
        self.assertError('{"filter_criteria":{"start_timestamp":{"lower_threshold":-1}}}',
                         "filter_criteria.start_timestamp.lower_threshold")
        self.assertError('{"filter_criteria":{"start_timestamp":{"min":1}}}',
                         "filter_criteria.start_timestamp.min")

    def test_search_length(self):
        ok = {"filter_criteria": {"transcript_search": "a" * 1000}}
        self.assertEqual(run(model.Store(), ok).status, 200)
        self.assertError({"filter_criteria": {"transcript_search": "a" * 1001}},
                         "filter_criteria.transcript_search")

    def test_nulls_and_empties_are_not_given(self):
        body = {"page": None, "limit": None, "filter_criteria": {
            "call_status": [], "agent_id": None, "transcript_search": "",
            "duration_ms": {}, "start_timestamp": {"lower_threshold": None}}}
        result = run(model.Store(), body)
        self.assertEqual((result.status, result.data["applied_filters"]), (200, {}))

    def test_normalized_applied_filters(self):
        body = {"sort_order": "asc", "filter_criteria": {
            "call_status": ["ENDED", "ended", "Ongoing"], "agent_id": ["b", "a", "b", "A"],
            "duration_ms": {"upper_threshold": 5}, "transcript_search": "  help  "}}
        result = run(model.Store(), body)
        self.assertEqual(result.data["sort_order"], "ascending")
        self.assertEqual(result.data["applied_filters"], {
            "call_status": ["ended", "ongoing"], "agent_id": ["b", "a", "A"],
            "duration_ms": {"upper_threshold": 5}, "transcript_search": "help"})
        result = run(model.Store(), {"filter_criteria": {"transcript_search": " !! * "}})
        self.assertEqual(result.data["applied_filters"], {})


class Search(unittest.TestCase):
    """API.md's transcript search paragraph, sentence by sentence."""

    def found(self, transcript, query):
        store = store_of({"transcript": transcript})
        result = run(store, {"filter_criteria": {"transcript_search": query}})
        return result.data["pagination"]["total_count"] == 1

    def test_words_case_and_diacritics(self):
        self.assertTrue(self.found("Le Café est ouvert", "cafe"))
        self.assertTrue(self.found("une ÉCOLE naïve", "ecole NAIVE"))
        self.assertFalse(self.found("cafeteria", "cafe"))
        self.assertTrue(self.found("order#123, ok", "123"))
        self.assertFalse(self.found("don't", "dont"))

    def test_every_term_anywhere(self):
        self.assertTrue(self.found("support first ... then help", "help support"))
        self.assertFalse(self.found("support only", "help support"))

    def test_prefix(self):
        self.assertTrue(self.found("two refunds", "refund*"))
        self.assertTrue(self.found("two refunds", "REFUNDS*"))
        self.assertFalse(self.found("two refunds", "refunded*"))

    def test_phrases(self):
        self.assertTrue(self.found("my credit, card is", '"credit card"'))
        self.assertFalse(self.found("card credit", '"credit card"'))
        self.assertFalse(self.found("credit the card", '"credit card"'))
        self.assertTrue(self.found("a credit card b", '"credit card'))

    def test_no_words_is_no_search(self):
        self.assertTrue(self.found("anything", "  ?! "))
        self.assertTrue(self.found("", '""'))


class Order(unittest.TestCase):
    """Nulls last in both orders, ties by id in the same direction, pages are slices."""

    def test_nulls_last_and_ties(self):
        store = store_of({"end_timestamp": None, "call_status": "ONGOING"},
                         {"end_timestamp": 1703097780000},
                         {"end_timestamp": 1703097780000},
                         {"end_timestamp": 1703097790000})
        for order, expected in (("asc", ["call-1", "call-2", "call-3", "call-0"]),
                                ("desc", ["call-3", "call-2", "call-1", "call-0"])):
            result = run(store, {"sort_by": "end_timestamp", "sort_order": order})
            self.assertEqual([c["call_id"] for c in result.data["calls"]], expected)

    def test_pages(self):
        store = store_of(*[{"start_timestamp": i} for i in range(5)])
        result = run(store, {"page": 2, "limit": 2, "sort_order": "ascending"})
        self.assertEqual([c["start_timestamp"] for c in result.data["calls"]], [4])
        self.assertEqual(result.data["pagination"], {
            "page": 2, "limit": 2, "total_count": 5, "total_pages": 3,
            "has_next_page": False, "has_previous_page": True, "next_cursor": None})
        result = run(store, {"page": 9, "limit": 2})
        self.assertEqual((result.data["calls"], result.data["returned_count"]), ([], 0))
        result = run(store, {"page": 1, "limit": 2})
        self.assertIs(result.data["pagination"]["next_cursor"], model.ANY_CURSOR)

    def test_after_a_position(self):
        store = store_of(*[{"start_timestamp": i // 2} for i in range(6)])
        query = model.validate_body({"limit": 2, "sort_order": "ascending"})
        ordered = model.run_query(store.calls("org-789"), "org-789", query._replace(limit=6))["calls"]
        key = model.sort_key(ordered[2], "start_timestamp")
        result = model.run_query(store.calls("org-789"), "org-789", query, after=key)
        self.assertEqual(result["calls"], ordered[3:5])
        self.assertEqual(result["pagination"], {
            "page": 1, "limit": 2, "total_count": 6, "total_pages": 3, "has_next_page": True,
            "has_previous_page": True, "next_cursor": model.ANY_CURSOR})
        last = model.run_query(store.calls("org-789"), "org-789", query,
                               after=model.sort_key(ordered[5], "start_timestamp"))
        self.assertEqual((last["calls"], last["pagination"]["page"],
                          last["pagination"]["next_cursor"]), ([], 3, None))

    def test_cursor_with_page_names_cursor(self):
        result = run(model.Store(), {"cursor": "abc", "page": 0})
        self.assertEqual((result.status, result.path), (400, "cursor"))
        result = run(model.Store(), {"cursor": 5, "filter_criteria": {"call_status": ["x"]}})
        self.assertEqual(result.path, "filter_criteria.call_status[0]")


class UpdatedTimestamp(unittest.TestCase):
    """The server's stamp: sorted and filtered by the learned values, judged by its rules."""

    def test_sort_and_filter(self):
        store = store_of({"updated_timestamp": 3}, {"updated_timestamp": 1}, {"updated_timestamp": 2})
        result = run(store, {"sort_by": "updated_timestamp", "sort_order": "asc"})
        self.assertEqual([c["call_id"] for c in result.data["calls"]], ["call-1", "call-2", "call-0"])
        body = {"filter_criteria": {"updated_timestamp": {"lower_threshold": 2}}}
        result = run(store, body)
        self.assertEqual(sorted(c["call_id"] for c in result.data["calls"]), ["call-0", "call-2"])
        self.assertEqual(result.data["applied_filters"], body["filter_criteria"])

    def test_errors_come_after_transcript_search(self):
        result = run(model.Store(), '{"filter_criteria":{"updated_timestamp":{"lower_threshold":-1},'
                                    '"transcript_search":1}}')
        self.assertEqual((result.status, result.path), (400, "filter_criteria.transcript_search"))
        result = run(model.Store(), '{"filter_criteria":{"updated_timestamp":'
                                    '{"lower_threshold":2,"upper_threshold":1}}}')
        self.assertEqual((result.status, result.path), (400, "filter_criteria.updated_timestamp"))

    def test_stamp_rules(self):
        old = {"call_id": "c", "updated_timestamp": 100}
        self.assertEqual(model.stamp_problems(None, True, 50, 10), [])
        self.assertEqual(len(model.stamp_problems(None, True, 5, 10)), 1)
        self.assertEqual(len(model.stamp_problems(None, True, 5.0, 0)), 1)
        self.assertEqual(model.stamp_problems(old, True, 100, 10), [])
        self.assertEqual(len(model.stamp_problems(old, True, 99, 10)), 1)
        self.assertEqual(len(model.stamp_problems(old, False, 101, 10)), 1)
        self.assertEqual(model.stamp_problems(old, False, 100, 10), [])

    def test_same_stored_fields_ignores_only_the_stamp(self):
        store = store_of({"updated_timestamp": 3})
        call = store.calls("org-789")[0]
        self.assertTrue(model.same_stored_fields(call, dict(call, updated_timestamp=9)))
        self.assertFalse(model.same_stored_fields(call, dict(call, agent_id="other")))


if __name__ == "__main__":
    unittest.main()
