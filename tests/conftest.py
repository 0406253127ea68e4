"""Fixtures: every database test runs on SQLite and on PostgreSQL (a `sqlite_only` test of pages, on
SQLite alone), inside a rolled-back transaction.

Each backend gets up to three databases per test run, built by the migrations (never by
create_all): one empty at the latest migration, one loaded with the project's seeds, and, for the
tests that need scale, one holding a generated corpus (`claimtrack bench generate`); and one app per
database with data, whose requests each open a session of their own on the test's transaction. Tests
never commit: sessions join an outer transaction through savepoints, and the outer transaction is
rolled back.
"""

import io
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.service import create_user, issue_token
from app.bench.generate import generate
from app.cli import load_seeds, main, upgrade_database
from app.config import Settings, get_settings
from app.db import create_db_engine, make_session_factory
from app.derived import keep_derived_tables_current
from app.main import create_app
from app.models import LoginSession, User
from app.vocabulary import Role

# The fixtures and factories write through sessions of their own, without the app or the command line.
keep_derived_tables_current()

POSTGRES_ADMIN_URL = os.environ.get(
    "CLAIMTRACK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgresql"]
CORPUS_ATTRIBUTIONS = 3_000
CORPUS_SEED = 1


def pytest_configure(config: pytest.Config) -> None:
    """Hash passwords at Argon2id's lowest cost: the suite creates and signs in thousands of accounts,
    and only the password tests (the `production_password_hashing` fixture) test the hashing itself.
    Set in the environment, so that the commands the tests run (in-process or not) hash cheaply too."""
    os.environ["CLAIMTRACK_PASSWORD_HASHING"] = "argon2id-cheapest-for-tests"
    get_settings.cache_clear()


@pytest.fixture
def production_password_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Passwords hashed at the production cost, for the tests of hashing."""
    monkeypatch.setenv("CLAIMTRACK_PASSWORD_HASHING", "argon2id")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _postgres_required() -> bool:
    return bool(os.environ.get("CI")) or bool(os.environ.get("CLAIMTRACK_REQUIRE_POSTGRES"))


@contextmanager
def _new_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new, empty database of this backend for this test run; dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'claimtrack.db'}"
        return
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        admin.dispose()
        message = f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error}"
        if _postgres_required():
            pytest.fail(message + " (CI requires the PostgreSQL tests to run)")
        pytest.skip(message)
    name = f"claimtrack_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses a database on each backend, a `sqlite_only` one on SQLite alone (unless
    the test names its backends itself)."""
    if "backend" not in metafunc.fixturenames:
        return
    if any(_names_backend(mark.args[0]) for mark in metafunc.definition.iter_markers("parametrize")):
        return
    only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
    metafunc.parametrize("backend", ["sqlite"] if only_sqlite else BACKENDS, scope="session")


def _names_backend(argnames: str | list[str] | tuple[str, ...]) -> bool:
    names = [name.strip() for name in argnames.split(",")] if isinstance(argnames, str) else argnames
    return "backend" in names


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of the test: each of BACKENDS in turn (see pytest_generate_tests)."""
    return str(request.param)


sqlite_only = pytest.mark.sqlite_only
"""For tests of pages and markup: the database does not change the HTML, so they run on SQLite only."""


@pytest.fixture(scope="session")
def empty_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database at the latest migration, with no rows."""
    with _new_database(backend, tmp_path_factory) as url:
        engine = create_db_engine(url)
        upgrade_database(engine)
        yield engine
        engine.dispose()


@pytest.fixture(scope="session")
def seeded_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database at the latest migration, loaded with the project's seeds."""
    with _new_database(backend, tmp_path_factory) as url:
        engine = create_db_engine(url)
        upgrade_database(engine)
        load_seeds(engine, get_settings().seeds_dir)
        yield engine
        engine.dispose()


@pytest.fixture(scope="session")
def corpus_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database at the latest migration holding a generated corpus of 3,000 statements (seed 1):
    Zipf-like popularity, long transcripts, chains, statuses, soft-deleted items, the search index.
    Generated once per test run, for tests of page budgets and query plans at more than seed scale."""
    with _new_database(backend, tmp_path_factory) as url:
        engine = create_db_engine(url)
        upgrade_database(engine)
        generate(engine, CORPUS_ATTRIBUTIONS, seed=CORPUS_SEED)
        yield engine
        engine.dispose()


@pytest.fixture
def fresh_database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a new, empty database (no schema) for one test, e.g. to run the CLI against."""
    with _new_database(backend, tmp_path_factory) as url:
        yield url


@dataclass(frozen=True)
class CommandResult:
    exit_code: int
    stdout: str
    stderr: str


Claimtrack = Callable[..., CommandResult]


@pytest.fixture
def claimtrack(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Claimtrack]:
    """The `claimtrack` command, run in-process against a database: `claimtrack(url, "users", "list",
    stdin="...")`. Its standard input is `stdin` (not a terminal, as when a password is piped)."""

    def run(database_url: str, *args: str, stdin: str = "") -> CommandResult:
        monkeypatch.setenv("DATABASE_URL", database_url)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        get_settings.cache_clear()
        capsys.readouterr()
        try:
            exit_code = main(list(args))
        finally:
            get_settings.cache_clear()
        captured = capsys.readouterr()
        return CommandResult(exit_code, captured.out, captured.err)

    yield run
    monkeypatch.undo()
    get_settings.cache_clear()


@contextmanager
def _rolled_back(engine: Engine) -> Iterator[tuple[Connection, Session]]:
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield connection, session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def session(seeded_engine: Engine) -> Iterator[Session]:
    """A session on the seeded database; everything it does is rolled back."""
    with _rolled_back(seeded_engine) as (_connection, db_session):
        yield db_session


@pytest.fixture
def corpus_session(corpus_engine: Engine) -> Iterator[Session]:
    """A session on the generated corpus; everything it does is rolled back."""
    with _rolled_back(corpus_engine) as (_connection, db_session):
        yield db_session


@pytest.fixture
def empty_session(empty_engine: Engine) -> Iterator[Session]:
    """A session on an empty migrated database; everything it does is rolled back."""
    with _rolled_back(empty_engine) as (_connection, db_session):
        yield db_session


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)
    savepoints: int = 0
    """SAVEPOINT, RELEASE and ROLLBACK TO statements: the tests' transaction bookkeeping, not counted."""

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()
        self.savepoints = 0


@pytest.fixture(scope="session")
def seeded_app(seeded_engine: Engine) -> FastAPI:
    """The app on the seeded database, built once per test run: each client points it at its test's
    transaction (`_client_on`)."""
    return create_app(Settings(), session_factory=make_session_factory(seeded_engine))


@pytest.fixture(scope="session")
def corpus_app(corpus_engine: Engine) -> FastAPI:
    """The app on the generated corpus, built once per test run, like `seeded_app`."""
    return create_app(Settings(), session_factory=make_session_factory(corpus_engine))


@pytest.fixture
def client(seeded_app: FastAPI, seeded_engine: Engine) -> Iterator[TestClient]:
    """A client of the app on the seeded database, in a rolled-back transaction."""
    with _client_on(seeded_app, seeded_engine) as (test_client, _log, _session):
        yield test_client


@pytest.fixture
def client_and_session(seeded_app: FastAPI, seeded_engine: Engine) -> Iterator[tuple[TestClient, Session]]:
    """A client and a session of the test on one rolled-back transaction: rows the test writes through
    the session are what the client's requests see, and the session reads what they wrote."""
    with _client_on(seeded_app, seeded_engine) as (test_client, _log, db_session):
        yield test_client, db_session


@pytest.fixture
def counted_client(seeded_app: FastAPI, seeded_engine: Engine) -> Iterator[tuple[TestClient, QueryLog]]:
    """A client whose SQL statements are logged, to bound the queries a request makes."""
    with _client_on(seeded_app, seeded_engine) as (test_client, log, _session):
        yield test_client, log


@pytest.fixture
def counted_client_and_session(
    seeded_app: FastAPI, seeded_engine: Engine
) -> Iterator[tuple[TestClient, QueryLog, Session]]:
    """A client whose SQL statements are logged, and a session of the test on its transaction: rows the
    test writes through the session (many statements, say) are what the client's requests count their
    way through."""
    with _client_on(seeded_app, seeded_engine) as (test_client, log, db_session):
        yield test_client, log, db_session


@pytest.fixture
def corpus_client(corpus_app: FastAPI, corpus_engine: Engine) -> Iterator[tuple[TestClient, QueryLog]]:
    """Like `counted_client`, on the generated corpus: a client whose SQL statements are logged."""
    with _client_on(corpus_app, corpus_engine) as (test_client, log, _session):
        yield test_client, log


@contextmanager
def _client_on(app: FastAPI, engine: Engine) -> Iterator[tuple[TestClient, QueryLog, Session]]:
    """A client of the test run's `app`, whose requests each get a session of their own, as in
    production, on the test's rolled-back transaction; and the test's session on that transaction.

    A request's session never shares the test's identity map, so a page that reaches through a
    relationship it did not load fails here as in production (`lazy="raise"`), and a failed request
    has its own work rolled back and closed before its error page renders. The client flushes the
    test's session before each request, so that the request sees what the test wrote, and expires it
    after, so that the test reads what the request wrote.
    """
    log = QueryLog()
    with _rolled_back(engine) as (connection, db_session):

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                log.savepoints += 1
            else:
                log.statements.append(statement)

        event.listen(connection, "before_cursor_execute", record)
        engine_sessions = app.state.session_factory
        app.state.session_factory = sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            with TestClient(app, raise_server_exceptions=False) as test_client:
                test_client.event_hooks = {
                    "request": [lambda _request: db_session.flush()],
                    "response": [lambda _response: db_session.expire_all()],
                }
                yield test_client, log, db_session
        finally:
            app.state.session_factory = engine_sessions
            event.remove(connection, "before_cursor_execute", record)


PASSWORD = "a-long-test-passphrase-7"


@dataclass
class Accounts:
    """Accounts for tests: users of each role, signed in through the real sign-in form or by token.

    Works on the `client_and_session` transaction, so what it creates is rolled back with the test.
    """

    client: TestClient
    session: Session

    def user(self, role: Role, name: str | None = None) -> User:
        name = name or f"{role.value.replace('_', '-')}-{uuid.uuid4().hex[:6]}"
        user = create_user(self.session, name, PASSWORD, role, by="test")
        self.session.flush()
        return user

    def token_headers(self, role: Role | None) -> dict[str, str]:
        """An Authorization header for a new user of this role; none for None (anonymous)."""
        if role is None:
            return {}
        issued = issue_token(self.session, self.user(role), "test", by="test")
        self.session.flush()
        return {"Authorization": f"Bearer {issued.secret}"}

    def sign_in(self, role: Role | None, name: str | None = None) -> str:
        """Sign the client in as a new user of this role; returns the session's CSRF token.

        For None, sign out instead (anonymous), and return no token.
        """
        self.client.cookies.clear()
        if role is None:
            return ""
        user = self.user(role, name)
        form = self.client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert csrf is not None, "the sign-in form carries a CSRF token"
        response = self.client.post(
            "/login",
            data={"name": user.name, "password": PASSWORD, "csrf_token": csrf.group(1), "next": "/"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        login = self.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)).one()
        return login.csrf_token


@pytest.fixture
def accounts(client_and_session: tuple[TestClient, Session]) -> Accounts:
    client, session = client_and_session
    return Accounts(client=client, session=session)


VISITORS = ["anonymous", "signed-in", "token"]


@pytest.fixture(params=VISITORS)
def visitor(request: pytest.FixtureRequest, accounts: Accounts) -> TestClient:
    """A client of each kind of visitor: anonymous, signed in (a session cookie) or with an API token.

    Signed-in visitors are admins, so that pages show everything a signed-in user may see.
    """
    client = accounts.client
    if request.param == "signed-in":
        accounts.sign_in(Role.ADMIN)
    elif request.param == "token":
        client.headers.update(accounts.token_headers(Role.ADMIN))
    return client
