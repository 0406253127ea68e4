"""The whole database as one JSON-ready document, in id order, for backups and diffs."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.service import SECRET_FIELDS
from app.audit.service import snapshot
from app.models import (
    Actor,
    ActorAlias,
    ApiToken,
    Attribution,
    AuditEntry,
    Base,
    Claim,
    ClaimRelation,
    Proposal,
    ReportingStep,
    Source,
    StatusChange,
    User,
)
from app.repository import all_rows

EXPORT_FORMAT = "claimtrack-export/1"
# Browser sessions and login throttles are transient and are not exported; password and token
# hashes never leave the database.
TABLES: list[tuple[str, type[Base]]] = [
    ("sources", Source),
    ("actors", Actor),
    ("actor_aliases", ActorAlias),
    ("claims", Claim),
    ("claim_relations", ClaimRelation),
    ("status_changes", StatusChange),
    ("attributions", Attribution),
    ("reporting_steps", ReportingStep),
    # The review queue: what an editor decided is kept, so that a rejected statement stays rejected.
    ("proposals", Proposal),
    ("users", User),
    ("api_tokens", ApiToken),
    ("audit_log", AuditEntry),
]


def export_database(session: Session) -> dict[str, Any]:
    """Every row of every table, as plain values; `exported_at` is the only field that varies."""
    document: dict[str, Any] = {"format": EXPORT_FORMAT, "exported_at": datetime.now(UTC).isoformat()}
    for name, model in TABLES:
        document[name] = [snapshot(row, exclude=SECRET_FIELDS) for row in all_rows(session, model)]
    return document
