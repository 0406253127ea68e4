"""The request's session, committed when the endpoint returns, rolled back when it raises, and never
opened by a request that does not need it. On an app of its own, for the route that fails after writing.

The app's sessions join a rolled-back transaction through savepoints, so a commit here releases a
savepoint that the test can still read, and a rollback removes what the request wrote.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, event, select
from sqlalchemy.orm import sessionmaker

from app.config import Settings
from app.errors import Conflict
from app.main import create_app
from app.models import LoginThrottle
from app.models.base import utcnow
from app.web import SessionDep


@dataclass
class Served:
    client: TestClient
    connection: Connection
    statements: list[str] = field(default_factory=list)

    def throttle_keys(self) -> set[str]:
        return set(self.connection.scalars(select(LoginThrottle.key)))


@pytest.fixture
def served(seeded_engine: Engine) -> Iterator[Served]:
    connection = seeded_engine.connect()
    outer = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    app = create_app(Settings(), session_factory=factory)

    @app.post("/test/write-then-fail")
    def write_then_fail(session: SessionDep) -> None:
        session.add(LoginThrottle(key="test:rolled-back", failures=1, window_started_at=utcnow()))
        session.flush()
        raise Conflict("Refused after writing.")

    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            result = Served(client=client, connection=connection)

            def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
                result.statements.append(statement)

            event.listen(connection, "before_cursor_execute", record)
            yield result
            event.remove(connection, "before_cursor_execute", record)
    finally:
        outer.rollback()
        connection.close()


def test_a_request_that_needs_no_database_sends_it_nothing(served: Served) -> None:
    response = served.client.get("/livez")

    assert response.status_code == 200
    assert served.statements == []


def test_an_anonymous_read_looks_up_no_credentials(served: Served) -> None:
    response = served.client.get("/api/v1/claims?actor=kuleba")

    assert response.status_code == 200
    assert served.statements, "the claims were read"
    assert not [s for s in served.statements if re.search(r"\b(login_sessions|api_tokens)\b", s)]


def test_a_refused_sign_in_is_committed_so_that_the_failure_counts(served: Served) -> None:
    form = served.client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None

    response = served.client.post(
        "/login", data={"name": "nobody-here", "password": "not-the-password", "csrf_token": csrf.group(1)}
    )

    assert response.status_code == 401
    assert "account:nobody-here" in served.throttle_keys()


def test_an_endpoint_that_raises_after_writing_leaves_nothing_behind(served: Served) -> None:
    response = served.client.post("/test/write-then-fail")

    assert response.status_code == 409
    assert "test:rolled-back" not in served.throttle_keys()
