"""GET /openapi.json, proven by the clients that read it: openapi-spec-validator accepts it, schemathesis finds no
response that breaks it and no input it misstates, and FastMCP's from_openapi makes working tools of it."""

import asyncio
import json
import os
import pathlib
import subprocess
import sys
import urllib.request

import httpx2
from fastmcp import Client, FastMCP
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from callserver import CallServer, binary

HERE = pathlib.Path(__file__).resolve().parent
# Fixed so that CI is reproducible; run with other seeds through OPENAPI_SEED.
SEED = int(os.environ.get("OPENAPI_SEED", "20261206"))
MAX_EXAMPLES = int(os.environ.get("OPENAPI_MAX_EXAMPLES", "60"))


def fetch_document(server):
    with urllib.request.urlopen(server.base_url + "/openapi.json", timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("application/json")
        return json.loads(response.read())


def test_openapi_document_is_valid_as_served(server):
    document = fetch_document(server)
    validate(document)
    assert document["openapi"] == "3.1.0"
    operation_ids = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert {"list_calls", "get_call", "put_call", "patch_call", "delete_call", "import_calls", "list_changes", "health"} <= operation_ids
    # The bodies given as examples obey the schemas they illustrate.
    examples = 0
    for path in document["paths"].values():
        for operation in path.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                if "example" in content:
                    Draft202012Validator(content["schema"]).validate(content["example"])
                    examples += 1
    assert examples >= 3


def test_openapi_schemathesis_finds_no_failure():
    """Every check of schemathesis, positive and negative data, examples, coverage, fuzzing and stateful phases,
    against a server of its own (it writes)."""
    running = CallServer(binary())
    try:
        st = pathlib.Path(sys.executable).parent / "st"
        args = [
            str(st), "run", running.base_url + "/openapi.json",
            "--checks", "all",
            "-H", f"X-API-KEY: {running.writer.key}", "-H", f"X-API-SECRET: {running.writer.secret}",
            "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--no-shrink",
            "--request-timeout", "30",
        ]
        env = dict(os.environ, SCHEMATHESIS_HOOKS="openapi_hooks", PYTHONPATH=str(HERE), NO_COLOR="1")
        result = subprocess.run(args, cwd=running.work, env=env, capture_output=True, text=True, timeout=600)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output[-20000:]
        # The run tested every operation of the document, not a subset.
        operations = sum(len(path) for path in fetch_document(running)["paths"].values())
        assert f"Tested: {operations}" in output, output[-5000:]
    finally:
        running.stop()


async def _list_and_get(server, document, body):
    headers = server.writer.headers
    async with httpx2.AsyncClient(base_url=server.base_url, headers=headers, timeout=30) as http:
        mcp = FastMCP.from_openapi(openapi_spec=document, client=http, name="calls")
        async with Client(mcp) as client:
            names = {tool.name for tool in await client.list_tools()}
            listed = await client.call_tool("list_calls", body)
            first = listed.structured_content["data"]["calls"][0]["call_id"]
            got = await client.call_tool("get_call", {"call_id": first})
            return names, listed, got


def test_openapi_fastmcp_tools_answer_as_the_routes_do(server):
    document = fetch_document(server)
    body = {
        "limit": 5, "sort_by": "call_id", "sort_order": "asc",
        "filter_criteria": {"call_status": ["ended", "ERROR"], "direction": ["inbound", "outbound"]},
    }
    names, listed, got = asyncio.run(_list_and_get(server, document, body))
    assert {"list_calls", "get_call", "put_call", "patch_call", "delete_call", "import_calls", "list_changes", "health"} <= names

    status, _, direct = server.request("POST", "/api/calls", body, server.writer.headers)
    assert status == 200
    assert not listed.is_error
    assert listed.structured_content["data"] == direct["data"]
    assert direct["data"]["returned_count"] > 0

    first = direct["data"]["calls"][0]
    status, _, single = server.request("GET", f"/api/calls/{first['call_id']}", headers=server.writer.headers)
    assert status == 200
    assert not got.is_error
    assert got.structured_content["data"] == single["data"]
    assert got.structured_content["data"]["transcript"] == single["data"]["transcript"]
