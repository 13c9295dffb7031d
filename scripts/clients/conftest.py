"""Shared fixtures: one server for the whole run, with default options."""

import pytest

from callserver import CallServer, binary


@pytest.fixture(scope="session")
def server():
    running = CallServer(binary())
    yield running
    running.stop()
