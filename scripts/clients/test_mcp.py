"""The official MCP Python SDK (mcp 2.3.0) against `/mcp`: in its default mode (which probes the stateless
revision first and must fall back to the handshake at once) and in its handshake-only mode, the tools' results
equal the REST routes' `data` for the same input, refusals are error results carrying the REST envelope, and the
README's client configuration and Python snippet work as printed. Plus raw requests for the HTTP-level rules."""

import json
import os
import pathlib
import re
import subprocess
import sys

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"
PRINTED_BASE = "http://127.0.0.1:8080"
MODES = ("auto", "legacy")
PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}


def connect(url, headers, mode="auto", on_response=None):
    """An SDK client for `url`, its headers on the httpx2 client handed to the transport (the SDK's own way)."""
    hooks = {"response": [on_response]} if on_response else {}
    http = httpx2.AsyncClient(headers=headers, event_hooks=hooks)
    return http, Client(streamable_http_client(url, http_client=http), mode=mode)


def run_client(server, credential, mode, body, on_response=None):
    """Runs `body(client)` on a connected client and returns what it returns."""

    async def main():
        http, client = connect(server.base_url + "/mcp", credential.headers, mode, on_response)
        async with http, client:
            return await body(client)

    return anyio.run(main)


def alpha_calls(server):
    return [call for call in server.calls if call["organization_id"] == "org-alpha"]


def list_bodies(server):
    """List bodies over the generated data: filters that match something, ranges, search, sort and paging."""
    calls = alpha_calls(server)
    agent = calls[0]["agent_id"]
    word = next(w for w in ("refund", "help", "support", "payment") if any(w in c.get("transcript", "") for c in calls))
    return [
        {},
        {"limit": 5, "filter_criteria": {"call_status": ["ended", "ERROR"]}},
        {"filter_criteria": {"agent_id": [agent], "call_type": ["phone_call"]}, "limit": 100},
        {"filter_criteria": {"duration_ms": {"lower_threshold": 1000, "upper_threshold": 600000}},
         "sort_by": "call_duration", "sort_order": "asc"},
        {"filter_criteria": {"transcript_search": word, "direction": ["inbound"]}, "include_transcript": True},
        {"page": 1, "limit": 7, "sort_by": "call_id"},
        {"page": 10_000, "limit": 3},
    ]


def rest_list(server, body, credential):
    status, _, envelope = server.request("POST", "/api/calls", body, credential.headers)
    return status, envelope


def text_json(result):
    assert len(result.content) == 1 and result.content[0].type == "text"
    return json.loads(result.content[0].text)


@pytest.mark.parametrize("mode", MODES)
def test_tools_return_the_rest_routes_data(server, mode):
    bodies = list_bodies(server)
    first_id = alpha_calls(server)[0]["call_id"]

    async def body(client):
        tools = (await client.list_tools()).tools
        listed = {tool.name: tool for tool in tools}
        results = [await client.call_tool("list_calls", each) for each in bodies]
        got = await client.call_tool("get_call", {"call_id": first_id})
        return client.session.protocol_version, listed, results, got

    version, listed, results, got = run_client(server, server.writer, mode, body)
    assert version == "2025-11-25"
    assert set(listed) == {"list_calls", "get_call", "list_changes"}
    for tool in listed.values():
        assert tool.annotations.read_only_hint is True
        assert tool.output_schema["type"] == "object"
    for each, result in zip(bodies, results):
        status, envelope = rest_list(server, each, server.writer)
        assert status == 200
        assert not result.is_error, each
        assert result.structured_content == envelope["data"], each
        assert text_json(result) == envelope["data"]
    status, _, envelope = server.request("GET", f"/api/calls/{first_id}", None, server.writer.headers)
    assert status == 200
    assert not got.is_error
    assert got.structured_content == envelope["data"]
    assert "transcript" in got.structured_content


@pytest.mark.parametrize("mode", MODES)
def test_refusals_are_error_results_with_the_rest_envelope(server, mode):
    bad_bodies = [
        {"limit": 0},
        {"filter_criteria": {"call_status": ["done"]}},
        {"filter_critera": {}},
        {"sort_by": "loudness"},
        {"filter_criteria": {"duration_ms": {"lower_threshold": 10, "upper_threshold": 1}}},
    ]
    alpha_ids = {call["call_id"] for call in alpha_calls(server)}
    # A call of another organization whose call_id org-alpha does not use (the generated data shares some).
    other_id = next(c["call_id"] for c in server.calls if c["organization_id"] == "org-beta" and c["call_id"] not in alpha_ids)

    async def body(client):
        listed = [await client.call_tool("list_calls", each) for each in bad_bodies]
        missing = await client.call_tool("get_call", {"call_id": "no-such-call"})
        foreign = await client.call_tool("get_call", {"call_id": other_id})
        return listed, missing, foreign

    listed, missing, foreign = run_client(server, server.reader, mode, body)
    for each, result in zip(bad_bodies, listed):
        status, envelope = rest_list(server, each, server.reader)
        assert status == 400
        assert result.is_error, each
        assert text_json(result) == envelope
    assert text_json(listed[1])["message"].startswith("filter_criteria.call_status[0]")
    for result in (missing, foreign):
        assert result.is_error
        assert text_json(result)["error"] == "not_found"
        assert text_json(result)["status"] == "error"


@pytest.mark.parametrize("mode", MODES)
def test_list_changes_follows_the_feed_as_the_rest_route_does(server, mode):
    async def body(client):
        answers, arguments = [], {"since": None, "limit": 40}
        while len(answers) < 20:
            result = await client.call_tool("list_changes", arguments)
            answers.append((arguments, result))
            if result.is_error or not result.structured_content["has_more"]:
                break
            arguments = {"since": result.structured_content["next_since"], "limit": 40}
        foreign = await client.call_tool("list_changes", {"since": "bm90LWEtdG9rZW4"})
        return answers, foreign

    answers, foreign = run_client(server, server.reader, mode, body)
    ids = []
    for arguments, result in answers:
        status, _, envelope = server.request("POST", "/api/calls/changes", arguments, server.reader.headers)
        assert status == 200 and not result.is_error, arguments
        assert result.structured_content == envelope["data"]
        assert text_json(result) == envelope["data"]
        ids += [change["call"]["id"] for change in envelope["data"]["changes"]]
    # From since null, every current call once (the fixture's calls are never deleted).
    assert sorted(ids) == sorted(call["id"] for call in alpha_calls(server))
    assert foreign.is_error
    assert text_json(foreign)["error"] == "invalid_request"
    assert text_json(foreign)["message"].startswith("since ")


@pytest.mark.parametrize("mode", MODES)
def test_list_calls_pages_by_cursor_as_the_rest_route_does(server, mode):
    query = {"limit": 3, "sort_by": "call_id", "sort_order": "asc", "filter_criteria": {"call_status": ["ended"]}}

    async def body(client):
        answers, arguments = [], dict(query)
        while len(answers) < 8:
            result = await client.call_tool("list_calls", arguments)
            answers.append((arguments, result))
            cursor = None if result.is_error else result.structured_content["pagination"]["next_cursor"]
            if cursor is None:
                break
            arguments = dict(query, cursor=cursor, limit=len(answers) % 3 + 2)
        refused = await client.call_tool("list_calls", dict(arguments, page=0))
        return answers, refused

    answers, refused = run_client(server, server.reader, mode, body)
    assert len(answers) > 1
    listed = []
    for arguments, result in answers:
        status, envelope = rest_list(server, arguments, server.reader)
        assert status == 200 and not result.is_error, arguments
        assert result.structured_content == envelope["data"]
        listed += [call["call_id"] for call in envelope["data"]["calls"]]
    assert listed == sorted(set(listed), key=lambda text: text.encode())
    assert refused.is_error
    assert text_json(refused)["error"] == "invalid_request"
    assert text_json(refused)["message"].startswith("cursor ")


def test_the_default_mode_falls_back_to_the_handshake_at_once(server):
    seen = []

    async def record(response):
        seen.append((response.request.headers.get("mcp-protocol-version"), json.loads(response.request.content or b"null"),
                     response.status_code))

    async def body(client):
        return (await client.list_tools()).tools

    tools = run_client(server, server.reader, "auto", body, on_response=record)
    assert [tool.name for tool in tools] == ["list_calls", "get_call", "list_changes"]
    # One probe of the stateless revision, refused with a JSON-RPC error it does not treat as modern, then the
    # handshake straight away: no retry, no wait for a timeout.
    version, probe, status = seen[0]
    assert (version, probe["method"], status) == ("2026-07-28", "server/discover", 400)
    assert seen[1][1]["method"] == "initialize" and seen[1][2] == 200
    assert [message["method"] for _, message, _ in seen[2:]] == ["notifications/initialized", "tools/list"]
    assert all(version == "2025-11-25" for version, _, _ in seen[3:])


def mcp_post(server, message, headers=None, credential=None):
    sent = {"Accept": "application/json, text/event-stream", **(credential or server.reader).headers, **(headers or {})}
    if credential is False:
        sent = {k: v for k, v in sent.items() if not k.startswith("X-API")}
    return server.request("POST", "/mcp", message, sent)


def test_raw_requests_get_the_contracts_statuses(server):
    status, headers, body = mcp_post(server, PING, credential=False)
    assert status == 401 and body["error"] == "unauthorized"
    assert headers["WWW-Authenticate"] == 'ApiKey realm="calls"'

    status, _, body = mcp_post(server, PING, headers={"Origin": "http://evil.example"}, credential=False)
    assert status == 403 and body["error"] == "forbidden"

    for method in ("GET", "DELETE"):
        status, headers, body = server.request(method, "/mcp", None, server.reader.headers)
        assert status == 405 and headers["Allow"] == "POST"

    status, _, body = mcp_post(server, [PING])
    assert status == 400 and body["error"]["code"] == -32600

    status, headers, body = mcp_post(server, {"jsonrpc": "2.0", "method": "notifications/initialized"})
    assert status == 202 and body == ""

    status, _, body = mcp_post(server, {"jsonrpc": "2.0", "id": 7, "method": "resources/list"})
    assert status == 200 and body["id"] == 7 and body["error"]["code"] == -32601

    status, _, body = mcp_post(server, PING, headers={"MCP-Protocol-Version": "2024-01-01"})
    assert status == 400 and body["error"]["code"] == -32600
    assert body["error"]["data"]["supported"] == ["2025-11-25", "2025-06-18"]

    status, _, body = mcp_post(server, {"jsonrpc": "2.0", "id": 8, "method": "tools/call", "params": {"name": "drop_calls"}})
    assert status == 200 and body["error"]["code"] == -32602


def readme_mcp_section():
    text = README.read_text()
    start = text.index("\n## MCP\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def readme_block(language):
    blocks = re.findall(rf"```{language}\n(.*?)```", readme_mcp_section(), re.S)
    assert len(blocks) == 1, f"the README's MCP section should hold one {language} block"
    return blocks[0]


def test_the_readme_configuration_connects_as_printed(server):
    # The client expands ${VAR} from its environment; the test's environment holds a real key. Only the printed
    # address is replaced by the test server's.
    environment = {"CALLSERVER_KEY": server.reader.key, "CALLSERVER_SECRET": server.reader.secret}
    entry = json.loads(readme_block("json"))["mcpServers"]["callserver"]
    expanded = json.loads(re.sub(r"\$\{(\w+)\}", lambda m: environment[m.group(1)], json.dumps(entry)))
    assert expanded["type"] == "http"
    assert expanded["url"].startswith(PRINTED_BASE + "/")
    url = server.base_url + expanded["url"][len(PRINTED_BASE):]

    async def main():
        http, client = connect(url, expanded["headers"])
        async with http, client:
            return await client.call_tool("list_calls", {"limit": 1})

    result = anyio.run(main)
    assert not result.is_error
    assert result.structured_content["organization_id"] == "org-alpha"


def test_the_readme_python_snippet_runs_as_printed(server):
    environment = {**os.environ, "CALLSERVER_MCP_URL": server.base_url + "/mcp",
                   "CALLSERVER_KEY": server.reader.key, "CALLSERVER_SECRET": server.reader.secret}
    run = subprocess.run([sys.executable, "-c", readme_block("python")], env=environment,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    _, envelope = rest_list(server, {"limit": 3, "filter_criteria": {"call_status": ["ended"]}}, server.reader)
    expected = [f"{c['call_id']} {c['call_status']} {c['call_duration']}" for c in envelope["data"]["calls"]]
    assert run.stdout.splitlines() == expected
