"""Queries of the verification workflow."""

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Claim, Source


def claim_for_update(session: Session, claim_id: int) -> Claim | None:
    """The claim, its row locked until the transaction ends (PostgreSQL; SQLite locks the database).

    A second writer waits here and then reads the committed version, so that its If-Match is
    checked against what the first writer left, not against what both read before.
    """
    return session.get(Claim, claim_id, with_for_update=True, populate_existing=True)


def existing_source_ids(session: Session, source_ids: Collection[int]) -> set[int]:
    if not source_ids:
        return set()
    return set(session.scalars(select(Source.id).where(Source.id.in_(source_ids))))
