from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SoftDeletion, UTCDateTime, check_in, utcnow
from app.vocabulary import RelationKind, VerificationStatus, values


class Claim(SoftDeletion, Base):
    """One checkable proposition, stated neutrally and independent of who said it."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint(
            check_in("verification_status", values(VerificationStatus)), name="verification_status"
        ),
        # Few claims are ever deleted: the index holds only those (the admins' list, and "is this
        # statement's claim deleted?"), so the planner never mistakes it for a way into live claims.
        Index(
            "ix_claims_deleted",
            "deleted_at",
            sqlite_where=text("deleted_at IS NOT NULL"),
            postgresql_where=text("deleted_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    text: Mapped[str] = mapped_column(Text)
    verification_status: Mapped[str] = mapped_column(
        String(32), default=VerificationStatus.UNVERIFIED.value, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    relations: Mapped[list["ClaimRelation"]] = relationship(
        foreign_keys="ClaimRelation.claim_id",
        back_populates="claim",
        lazy="raise",
        cascade="all, delete-orphan",
    )
    status_changes: Mapped[list["StatusChange"]] = relationship(
        back_populates="claim",
        lazy="raise",
        order_by="StatusChange.id",
    )

    __mapper_args__ = {"version_id_col": version}


class ClaimRelation(Base):
    """Read as "<claim> <kind> <related_claim>": the false-flag claim contradicts the strike claim."""

    __tablename__ = "claim_relations"
    __table_args__ = (
        UniqueConstraint("claim_id", "related_claim_id", "kind"),
        CheckConstraint(check_in("kind", values(RelationKind)), name="kind"),
        CheckConstraint("claim_id <> related_claim_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    related_claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))

    claim: Mapped[Claim] = relationship(foreign_keys=[claim_id], back_populates="relations", lazy="raise")
    related_claim: Mapped[Claim] = relationship(foreign_keys=[related_claim_id], lazy="raise")


class StatusChange(Base):
    """One entry of a claim's append-only verification history."""

    __tablename__ = "status_changes"
    __table_args__ = (CheckConstraint(check_in("to_status", values(VerificationStatus)), name="to_status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    rationale: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[dict[str, str | int | None]]] = mapped_column(JSON, default=list)
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="status_changes", lazy="raise")


class ClaimSummary(Base):
    """Who stands where on a claim, counted: derived from its live statements, kept current by
    app/claims/summaries.py in the transaction that changes them.

    A list of claims shows each claim's stances, actors and sources; counting them from the
    statements at every read would cost a list of popular claims hundreds of thousands of rows.
    `stances` holds, for each stance taken, in vocabulary order: the statements, the distinct actors,
    and the ids of the first three actors in the order of their first statement.
    """

    __tablename__ = "claim_summaries"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    attribution_count: Mapped[int] = mapped_column(Integer)
    source_count: Mapped[int] = mapped_column(Integer)
    contested: Mapped[bool] = mapped_column(Boolean, index=True)
    stances: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
