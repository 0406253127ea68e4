"""A database that cannot be reached: /healthz, the API and the pages answer 503 with the reason and
Retry-After, never a 500. On SQLite, a file that cannot be opened; on PostgreSQL, a database that does
not exist and a port on loopback where nothing listens.
"""

import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app.cli import upgrade_database
from app.config import Settings
from app.db import create_db_engine, make_session_factory, unavailable
from app.main import create_app
from tests.conftest import sqlite_only
from tests.helpers import parse

BEARER = {"Authorization": "Bearer ct_a-token-the-database-would-check"}


@contextmanager
def client_of(database_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=database_url))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.session_factory.kw["bind"].dispose()


@pytest.fixture
def unreachable(backend: str, fresh_database_url: str) -> Iterator[tuple[TestClient, str]]:
    """A client of the app on a database that cannot be reached, and the reason it should give."""
    url = make_url(fresh_database_url)
    if backend == "sqlite":
        assert url.database
        missing = url.set(database=url.database.replace("claimtrack.db", "no-such-directory/claimtrack.db"))
        reason = "the database file cannot be opened (is it there, and readable by the server?)"
    else:
        missing = url.set(database=f"{url.database}_missing")
        reason = "the database named in DATABASE_URL does not exist"
    with client_of(missing.render_as_string(hide_password=False)) as client:
        yield client, reason


def closed_loopback_port() -> int:
    """A loopback port on which nothing listens (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_unavailable(response_status: int, headers: dict[str, str], detail: str, reason: str) -> None:
    assert response_status == 503
    assert headers["retry-after"] == "10"
    assert detail == (
        f"claimtrack cannot reach its database: {reason}. Nothing was changed. Try again in 10 s; if "
        "this goes on, whoever runs claimtrack should check the database and DATABASE_URL (the "
        "server's log has the database's own words)."
    )


def test_healthz_api_and_pages_answer_503_with_the_reason(unreachable: tuple[TestClient, str]) -> None:
    client, reason = unreachable

    for response in (
        client.get("/healthz"),
        client.get("/api/v1/claims"),
        client.post("/api/v1/claims", json={"text": "Written to no database."}, headers=BEARER),
    ):
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["title"] == "Temporarily unavailable"
        assert problem["retry_after"] == 10
        assert_unavailable(response.status_code, dict(response.headers), problem["detail"], reason)

    page = client.get("/")
    assert page.headers["content-type"].startswith("text/html")
    detail = parse(page.text).select_one(".error-page .error-detail")
    assert detail is not None
    assert_unavailable(page.status_code, dict(page.headers), detail.get_text(), reason)


def test_a_database_server_that_refuses_connections_is_a_503() -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_loopback_port()}/claimtrack"
    with client_of(url) as client:
        response = client.get("/healthz")

        assert_unavailable(
            response.status_code,
            dict(response.headers),
            response.json()["detail"],
            "the database server refused the connection or did not answer (is it running, at that address?)",
        )


def test_healthz_is_503_on_a_database_without_claimtrack_tables(fresh_database_url: str) -> None:
    """As SQLite makes an empty file where the database was removed, or where a mistyped URL points."""
    with client_of(fresh_database_url) as client:
        response = client.get("/healthz")

        assert response.status_code == 503
        assert response.headers["retry-after"] == "10"
        assert response.json()["detail"] == (
            "The database answered with an error: it may not hold claimtrack's tables (run "
            "`claimtrack db upgrade` against it), or have been removed. The server's log has the "
            "database's own words."
        )


@sqlite_only
def test_healthz_is_503_once_the_sqlite_file_is_removed_under_the_running_server(
    fresh_database_url: str,
) -> None:
    """The server's open connections still read (and write, to be lost) the removed file."""
    engine = create_db_engine(fresh_database_url)
    upgrade_database(engine)
    engine.dispose()
    database_file = Path(str(make_url(fresh_database_url).database))

    with client_of(fresh_database_url) as client:
        assert client.get("/healthz").status_code == 200
        for path in database_file.parent.glob(f"{database_file.name}*"):  # with its -wal and -shm
            path.unlink()
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.headers["retry-after"] == "10"
    assert response.json()["detail"] == (
        "claimtrack cannot reach its database: the database file named in DATABASE_URL is not there "
        "any more (removed or moved while the server ran; what is written now is lost). Put it back, "
        "then restart the server."
    )


def test_a_request_that_gets_no_pooled_connection_in_time_is_a_503(fresh_database_url: str) -> None:
    engine = create_engine(fresh_database_url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    app = create_app(Settings(write_wait=2), session_factory=make_session_factory(engine))
    held = engine.connect()  # the pool's only connection
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get("/api/v1/claims")
    finally:
        held.close()
        engine.dispose()

    assert response.status_code == 503
    assert response.headers["retry-after"] == "2", "as long as a change may wait for its turn"
    assert response.json()["detail"] == (
        "The database is too busy to take this request now (every connection to the database is in "
        "use). Nothing was changed: try again in 2 s."
    )


def test_a_connection_lost_during_a_request_does_not_claim_that_nothing_was_saved() -> None:
    """Lost perhaps during COMMIT: the change may have been saved, and the user should look first."""
    lost = OperationalError(
        "COMMIT",
        {},
        psycopg.OperationalError("server closed the connection unexpectedly"),
        connection_invalidated=True,
    )

    refusal = unavailable(lost)

    assert refusal is not None
    assert (refusal.status_code, refusal.details) == (503, {"retry_after": 10})
    assert refusal.message == (
        "claimtrack lost its connection to the database during this request. A change sent with it may "
        "or may not have been saved: look before sending it again. Try again in 10 s."
    )


def test_other_database_errors_stay_errors_of_ours() -> None:
    """A constraint or a query that is wrong is not the database being away: it stays a 500."""
    broken_query = OperationalError("SELECT nope", {}, sqlite3.OperationalError("no such column: nope"))

    assert unavailable(broken_query) is None
