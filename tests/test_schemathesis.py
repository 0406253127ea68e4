"""The API answers as its OpenAPI document says: Schemathesis generates requests from the document (valid
ones and invalid ones) for every operation and checks each answer against it, with its default checks.

Bounded, so that it runs in the suite: a fixed seed, a few examples per operation and a time limit. It
runs in-process (ASGI) on a SQLite database of its own loaded with the seeds, once as an anonymous
client and once with an administrator's API token, so that the writes are exercised too.
"""

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.accounts.service import create_user, issue_token
from app.cli import load_seeds, upgrade_database
from app.config import Settings, get_settings
from app.db import create_db_engine
from app.main import create_app
from app.vocabulary import Role
from tests.conftest import PASSWORD

SEED = 20261207
EXAMPLES = 15
SECONDS = 90  # per run, at most: a run takes about 25 s; one that hangs is stopped, and fails

# Answers that are right for a request the document calls valid, and that no schema can say beforehand:
# an unknown id (404), a deleted item (410), an ETag that is not the current one (412), a rule across
# fields or about the data (422: a quote that is not in its source, date_from after date_to, a search
# without a word). A schema-violating request may also meet those first (a write's 412 before its body).
ACCEPTED_ANSWERS = ["2xx", "3xx", "401", "403", "404", "409", "410", "412", "422", "429"]
REJECTED_ANSWERS = ["400", "401", "403", "404", "405", "409", "410", "412", "422", "428"]


def run_config(headers: dict[str, str]) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            # No `max-time`: with one, Schemathesis fuzzes again and again until the time is up.
            "seed": SEED,
            "headers": headers,
            "generation": {"max-examples": EXAMPLES, "deterministic": True},
            # Sequences of calls through links are a later step: the document declares no links yet.
            "phases": {"stateful": {"enabled": False}},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ACCEPTED_ANSWERS},
                "negative_data_rejection": {"expected-statuses": REJECTED_ANSWERS},
                # 428 is how a missing If-Match is refused (RFC 6585).
                "missing_required_header": {"expected-statuses": ["400", "401", "403", "422", "428"]},
            },
        }
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('schemathesis')) / 'claimtrack.db'}"
    engine = create_db_engine(url)
    upgrade_database(engine)
    load_seeds(engine, get_settings().seeds_dir)
    yield url, engine
    engine.dispose()


def admin_token(engine: Engine) -> dict[str, str]:
    with Session(engine) as session, session.begin():
        user = create_user(session, "schemathesis-admin", PASSWORD, Role.ADMIN, by="test")
        secret = issue_token(session, user, "schemathesis", by="test").secret
    return {"Authorization": f"Bearer {secret}"}


def describe(label: str, check: str, title: str, case: Any, status: int | None, body: bytes) -> str:
    sent = {
        "path": case.path_parameters,
        "query": case.query,
        "headers": {name: value for name, value in (case.headers or {}).items() if name != "Authorization"},
        "body": None if type(case.body).__name__ == "NotSet" else case.body,
    }
    return f"{label} [{check}] {title} -> {status}\n    sent {sent!r:.600}\n    got {body[:300]!r}"


def failures_of(url: str, headers: dict[str, str]) -> tuple[list[str], int]:
    """Every distinct failure (by operation, check and kind) of a bounded run, and how many checks ran."""
    app = create_app(Settings(database_url=url))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=run_config(headers))
    found: dict[tuple[str, str, str], str] = {}
    checks = 0
    started = time.monotonic()
    stream = from_schema(schema).execute()
    for event in stream:
        if time.monotonic() - started > SECONDS:
            stream.stop()
            found[("time", "", "")] = (
                f"the run was stopped after {SECONDS} s, before it had tested everything"
            )
            break
        if isinstance(event, events.NonFatalError):
            # In-process, an exception the app lets out (a 500 over HTTP) reaches Schemathesis as it is.
            error = f"{type(event.value).__name__}: {event.value}"
            found[(event.label, "error", error)] = f"{event.label} raised {error:.600}"
        if isinstance(event, events.FatalError):
            found[("run", "error", str(event.exception))] = f"the run failed: {event.exception!r:.600}"
        if not isinstance(event, events.ScenarioFinished):
            continue
        recorder = event.recorder
        for case_id, nodes in recorder.checks.items():
            for node in nodes:
                checks += 1
                if node.status != Status.FAILURE or node.failure_info is None:
                    continue
                title = node.failure_info.failure.title
                key = (recorder.label, node.name, title)
                if key in found:
                    continue
                interaction = recorder.interactions.get(case_id)
                response = interaction.response if interaction is not None else None
                found[key] = describe(
                    recorder.label,
                    node.name,
                    title,
                    recorder.cases[case_id].value,
                    response.status_code if response is not None else None,
                    response.content if response is not None else b"",
                )
    return sorted(found.values()), checks


def test_the_api_answers_anonymous_clients_as_documented(database: tuple[str, Engine]) -> None:
    url, _engine = database

    failures, checks = failures_of(url, {})

    assert checks > 0
    assert failures == [], "\n".join(failures)


def test_the_api_answers_an_administrator_as_documented(database: tuple[str, Engine]) -> None:
    url, engine = database

    failures, checks = failures_of(url, admin_token(engine))

    assert checks > 0
    assert failures == [], "\n".join(failures)
