"""Many writers on SQLite: a change waits a bounded time for its turn to write, then is refused with 503
and Retry-After, having changed nothing; reads answer meanwhile. Through the real session dependency,
on a database file of its own, with SQLite's write lock held by another connection (as another process,
or a bulk load, would hold it).

Bounded: a wait of WAIT seconds, and a fixed number of requests, all in this process.
"""

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.accounts.service import create_user, issue_token
from app.cli import upgrade_database
from app.config import Settings
from app.db import create_db_engine, make_session_factory
from app.main import create_app
from app.models import Claim
from app.vocabulary import Role
from tests.conftest import sqlite_only
from tests.helpers import run_coroutine

WAIT = 1.0
"""The app's `write_wait`, in seconds."""
WRITERS = 48
"""More concurrent writers than the thread pool has threads (40)."""


@dataclass
class Served:
    app: FastAPI
    database_url: str
    editor: dict[str, str]
    """The Authorization header of an editor's API token."""

    @property
    def database_file(self) -> str:
        database = make_url(self.database_url).database
        assert database
        return database

    def claim_count(self) -> int:
        engine = create_db_engine(self.database_url)
        try:
            with make_session_factory(engine)() as session:
                return session.scalar(select(func.count()).select_from(Claim)) or 0
        finally:
            engine.dispose()


@contextmanager
def serve(database_url: str, write_wait: float) -> Iterator[Served]:
    """The app on a new migrated database with an editor, its writers waiting at most `write_wait` s."""
    engine = create_db_engine(database_url)
    upgrade_database(engine)
    with make_session_factory(engine)() as session:
        editor = create_user(session, "busy-editor", "a-long-test-passphrase-7", Role.EDITOR, by="test")
        secret = issue_token(session, editor, "test", by="test").secret
        session.commit()
    engine.dispose()
    app = create_app(Settings(database_url=database_url, write_wait=write_wait))
    try:
        yield Served(app=app, database_url=database_url, editor={"Authorization": f"Bearer {secret}"})
    finally:
        app.state.session_factory.kw["bind"].dispose()


@pytest.fixture
def served(fresh_database_url: str) -> Iterator[Served]:
    with serve(fresh_database_url, WAIT) as app:
        yield app


def hold_write_lock(database_file: str) -> sqlite3.Connection:
    """Another connection takes SQLite's write lock and keeps it until it is closed."""
    holder = sqlite3.connect(database_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def new_claim(number: int) -> dict[str, str]:
    return {"text": f"Claim {number} written while another connection holds the write lock."}


@sqlite_only
def test_a_change_that_cannot_get_the_write_lock_is_refused_with_503_and_changes_nothing(
    served: Served,
) -> None:
    with TestClient(served.app, raise_server_exceptions=False) as client:
        holder = hold_write_lock(served.database_file)
        try:
            refused = client.post("/api/v1/claims", json=new_claim(1), headers=served.editor)
            read = client.get("/api/v1/claims")
            health = client.get("/healthz")
        finally:
            holder.close()
        written = client.post("/api/v1/claims", json=new_claim(2), headers=served.editor)

    assert refused.status_code == 503
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == "1"
    problem = refused.json()
    assert problem["title"] == "Temporarily unavailable"
    assert problem["retry_after"] == 1
    assert problem["detail"].startswith("The database is too busy to take this request now (another ")
    assert "Nothing was changed" in problem["detail"]
    assert (read.status_code, read.json()) == (200, {"items": [], "next_cursor": None})
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert written.status_code == 201, "the lock released, the next change goes through"
    assert served.claim_count() == 1


@sqlite_only
def test_many_writers_wait_for_their_turn_without_holding_up_the_readers(served: Served) -> None:
    """48 writers at once, behind a write lock held elsewhere: a read sent after them answers before
    any of them, and each writer is answered 503 with Retry-After once its bounded wait is over."""
    answered: list[str] = []

    async def post(client: httpx.AsyncClient, number: int) -> httpx.Response:
        response = await client.post("/api/v1/claims", json=new_claim(number), headers=served.editor)
        answered.append("write")
        return response

    async def read(client: httpx.AsyncClient, url: str) -> httpx.Response:
        await asyncio.sleep(0.05)  # after the writers have all arrived
        response = await client.get(url)
        answered.append(url)
        return response

    async def load() -> tuple[list[httpx.Response], list[httpx.Response]]:
        transport = httpx.ASGITransport(app=served.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://claimtrack.test") as client:
            writes = [asyncio.create_task(post(client, n)) for n in range(WRITERS)]
            reads = [asyncio.create_task(read(client, url)) for url in ("/healthz", "/api/v1/claims", "/")]
            return list(await asyncio.gather(*writes)), list(await asyncio.gather(*reads))

    holder = hold_write_lock(served.database_file)
    try:
        writes, reads = run_coroutine(asyncio.wait_for(load(), timeout=60))
    finally:
        holder.close()

    assert [response.status_code for response in reads] == [200, 200, 200]
    assert set(answered[:3]) == {"/healthz", "/api/v1/claims", "/"}, "the reads answered first"
    assert [response.status_code for response in writes] == [503] * WRITERS
    assert {response.headers["retry-after"] for response in writes} == {"1"}
    assert served.claim_count() == 0


@pytest.mark.parametrize("backend", ["postgresql"], scope="session")
def test_more_writers_than_threads_and_connections_all_get_through(fresh_database_url: str) -> None:
    """96 changes at once on PostgreSQL, more than the 40 threads and 40 pooled connections: with them
    all let in, every connection was held by a request waiting for a thread, and every thread by one
    waiting for a connection, until the pool gave up 30 s later."""
    changes = 96

    async def load(served: Served) -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=served.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://claimtrack.test") as client:
            return list(
                await asyncio.gather(
                    *(
                        client.post("/api/v1/claims", json=new_claim(n), headers=served.editor)
                        for n in range(changes)
                    )
                )
            )

    with serve(fresh_database_url, write_wait=30) as served:
        writes = run_coroutine(asyncio.wait_for(load(served), timeout=60))
        assert [response.status_code for response in writes] == [201] * changes
        assert served.claim_count() == changes
