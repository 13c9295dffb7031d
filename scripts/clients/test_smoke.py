"""The fixture's server answers the list route for its writer key (the suites below rely on it)."""


def test_list_route_answers_for_the_writer(server):
    status, _, body = server.request("POST", "/api/calls", {"limit": 1}, server.writer.headers)
    assert status == 200
    assert body["data"]["organization_id"] == "org-alpha"
    assert body["data"]["pagination"]["total_count"] == sum(1 for c in server.calls if c["organization_id"] == "org-alpha")
