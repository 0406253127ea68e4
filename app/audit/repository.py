"""Queries for recording in the audit log."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry


def entries_of(session: Session, object_type: str, object_id: int) -> list[AuditEntry]:
    """Every record of one object, oldest first."""
    statement = (
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(statement))
