"""Speed as the server sees it: every answer says how long the server took to start it (Server-Timing),
pages, API and errors alike; start-up keeps full garbage collections short."""

import gc
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.db import make_session_factory
from app.main import create_app

SERVER_TIMING = re.compile(r"^app;dur=(\d+\.\d)$")


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


def test_start_up_freezes_what_it_built_and_shutting_down_thaws_it(seeded_engine: Engine) -> None:
    """Full garbage collections then skip the start-up heap (they held requests up by ~140 ms)."""
    app = create_app(session_factory=make_session_factory(seeded_engine))
    before = gc.get_freeze_count()
    with TestClient(app) as started:
        assert gc.get_freeze_count() > before
        assert started.get("/").status_code == 200
    assert gc.get_freeze_count() == 0
