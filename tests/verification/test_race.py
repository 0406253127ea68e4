"""Two fact-checkers race to set the same claim's status: exactly one wins, nothing is lost unseen.

This needs real commits and real concurrency, so it runs on its own new database with its own app,
not inside the rolled-back test transaction.
"""

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.accounts.service import create_user, issue_token
from app.cli import load_seeds, upgrade_database
from app.config import Settings, get_settings
from app.db import create_db_engine
from app.main import create_app
from app.models import AuditEntry, Claim, StatusChange
from app.vocabulary import Role
from tests.conftest import PASSWORD

TIMEOUT = 60  # seconds; a writer that waits longer than this is a deadlock, not a slow test
CLAIM = "low-altitude-entry"


@pytest.fixture
def engine(backend: str, fresh_database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(fresh_database_url)
    upgrade_database(engine)
    load_seeds(engine, get_settings().seeds_dir)
    yield engine
    engine.dispose()


def _tokens(engine: Engine) -> dict[str, str]:
    """Two fact-checkers, each with an API token, committed so that the app's sessions see them."""
    with Session(engine) as session, session.begin():
        secrets = {}
        for name in ("fiona", "gustav"):
            user = create_user(session, name, PASSWORD, Role.FACT_CHECKER, by="test")
            secrets[name] = issue_token(session, user, "race", by="test").secret
    return secrets


def test_two_writers_racing_on_one_claim_one_wins_the_other_gets_412(
    engine: Engine, fresh_database_url: str
) -> None:
    secrets = _tokens(engine)
    with Session(engine) as session:
        claim = session.scalars(select(Claim).where(Claim.slug == CLAIM)).one()
        claim_id, version = claim.id, claim.version
    app = create_app(Settings(database_url=fresh_database_url))
    wanted = {"fiona": "false", "gustav": "misleading"}
    barrier = threading.Barrier(len(wanted), timeout=TIMEOUT)
    answers: dict[str, tuple[int, Any]] = {}

    def write(name: str) -> None:
        with TestClient(app, raise_server_exceptions=False) as client:
            barrier.wait()
            response = client.post(
                f"/api/v1/claims/{claim_id}/status",
                json={"status": wanted[name], "rationale": f"{name}'s verdict."},
                headers={"Authorization": f"Bearer {secrets[name]}", "If-Match": f'"{version}"'},
            )
            answers[name] = (response.status_code, response.json())

    writers = [threading.Thread(target=write, args=(name,), daemon=True) for name in wanted]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(TIMEOUT)
    assert not any(writer.is_alive() for writer in writers), "a writer did not finish in time"

    assert sorted(status for status, _body in answers.values()) == [200, 412], answers
    (winner,) = [name for name, (status, _body) in answers.items() if status == 200]
    (loser,) = [name for name, (status, _body) in answers.items() if status == 412]
    assert answers[loser][1]["current_version"] == version + 1
    assert answers[winner][1]["verification_status"] == wanted[winner]
    with Session(engine) as session:
        claim = session.get_one(Claim, claim_id)
        assert (claim.verification_status, claim.version) == (wanted[winner], version + 1)
        changes = session.scalars(select(StatusChange).where(StatusChange.claim_id == claim_id)).all()
        assert [(change.changed_by, change.to_status) for change in changes] == [(winner, wanted[winner])]
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "claims", AuditEntry.object_id == claim_id)
        ).all()
        assert [(entry.action, entry.user_name) for entry in audit] == [
            ("create", "seed"),
            ("status_change", winner),
        ]
        (change,) = [entry for entry in audit if entry.action == "status_change"]
        assert change.before is not None
        assert change.after is not None
        assert (change.before["verification_status"], change.after["verification_status"]) == (
            "unverified",
            wanted[winner],
        )
