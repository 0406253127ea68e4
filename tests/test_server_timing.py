"""Speed as the server sees it: every answer says how long the server took to start it (Server-Timing),
pages, API and errors alike; start-up keeps full garbage collections short."""

import gc
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.db import make_session_factory
from app.main import create_app
from tests.conftest import QueryLog

SERVER_TIMING = re.compile(r'^app;dur=(\d+\.\d)(?:, db;dur=\d+\.\d;desc="(\d+) queries")?$')


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/search?q=ropcke", 200),
        ("/api/v1/claims", 200),
        ("/claims/999999", 404),
        ("/?q=%25", 422),
    ],
)
def test_every_answer_carries_the_servers_own_time(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)

    assert response.status_code == status
    match = SERVER_TIMING.match(response.headers["server-timing"])
    assert match is not None, response.headers["server-timing"]
    assert 0 < float(match.group(1)) < 60_000


def test_start_up_freezes_the_heap_once_per_process(seeded_engine: Engine) -> None:
    """Full garbage collections then skip the start-up heap (they held requests up by ~140 ms).

    Once per process: a second start (the tests build an app per test) neither collects nor freezes
    again, since a full collection of a large heap is the very cost the freeze avoids."""
    with TestClient(create_app(session_factory=make_session_factory(seeded_engine))) as started:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert started.get("/").status_code == 200
    with TestClient(create_app(session_factory=make_session_factory(seeded_engine))) as again:
        assert again.get("/").status_code == 200
        assert gc.get_freeze_count() == frozen


@pytest.mark.parametrize("url", ["/", "/api/v1/claims", "/claims/1", "/api/v1/search?q=ropcke"])
def test_the_database_part_counts_the_queries_the_answer_ran(
    counted_client: tuple[TestClient, QueryLog], url: str
) -> None:
    client, log = counted_client
    log.reset()

    response = client.get(url)

    assert response.status_code == 200
    match = SERVER_TIMING.match(response.headers["server-timing"])
    assert match is not None, response.headers["server-timing"]
    assert match.group(2) is not None
    # The tests' savepoints are statements too, as any a request runs.
    assert int(match.group(2)) == log.count + log.savepoints
