"""What the verification tests share: tokens of named users, and what a claim's status change left."""

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.service import issue_token
from app.models import AuditEntry
from app.vocabulary import Role
from tests.conftest import Accounts
from tests.helpers import get_json


def token_of(accounts: Accounts, role: Role, name: str) -> dict[str, str]:
    """An Authorization header for a new user `name` of this role."""
    issued = issue_token(accounts.session, accounts.user(role, name), "test", by="test")
    accounts.session.flush()
    return {"Authorization": f"Bearer {issued.secret}"}


@dataclass(frozen=True)
class ClaimState:
    """What a write may change: the claim's status and version, its history, and the audit log."""

    status: str
    version: int
    history: list[dict[str, Any]]
    audit_count: int


def state_of(client: TestClient, session: Session, claim_id: int) -> ClaimState:
    detail = get_json(client, f"/api/v1/claims/{claim_id}")
    audit_count = session.scalar(select(func.count()).select_from(AuditEntry))
    assert audit_count is not None
    return ClaimState(detail["verification_status"], detail["version"], detail["history"], audit_count)


def status_audit(session: Session, claim_id: int) -> list[AuditEntry]:
    """The audit records of the claim's status changes, oldest first."""
    statement = (
        select(AuditEntry)
        .where(
            AuditEntry.object_type == "claims",
            AuditEntry.object_id == claim_id,
            AuditEntry.action == "status_change",
        )
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(statement))
