from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.actor import Actor
from app.models.base import Base, SoftDeletion, UTCDateTime, check_in, utcnow
from app.models.claim import Claim
from app.models.source import Source
from app.vocabulary import Stance, values


class Attribution(SoftDeletion, Base):
    """A statement: an actor takes a stance on a claim, in a source, with an anchored quote.

    The quote is anchored twice, as W3C Web Annotation selectors do: by character offsets into the
    source text (TextPositionSelector) and by the exact text with a little context
    (TextQuoteSelector), so it can be verified and re-anchored.
    """

    __tablename__ = "attributions"
    __table_args__ = (
        UniqueConstraint(
            "source_id", "actor_id", "claim_id", "quote_start", "quote_end", name="uq_attributions_statement"
        ),
        CheckConstraint(check_in("stance", values(Stance)), name="stance"),
        CheckConstraint("quote_start >= 0 AND quote_end > quote_start", name="quote_span"),
        # The hot queries read live statements only, so their indexes hold only those (a query that
        # says `deleted_at IS NULL` can use them); the admins' list of deleted ones has its own.
        # A claim's stances, actors, origins and reporting chains, counted from this index alone:
        Index(
            "ix_attributions_live_claim_summary",
            "claim_id",
            "stance",
            "actor_id",
            "first_step_actor_id",
            "source_id",
            "chain_key",
            "id",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # A claim's statements of one stance, a page at a time in id order:
        Index(
            "ix_attributions_live_claim_stance_id",
            "claim_id",
            "stance",
            "id",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # An actor's claims, with their stances, a page of claims at a time:
        Index(
            "ix_attributions_live_actor_claim",
            "actor_id",
            "claim_id",
            "stance",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # An actor's statements in id order (the statements list filtered by actor):
        Index(
            "ix_attributions_live_actor_id",
            "actor_id",
            "id",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # A source's statements in id order (its API answer, the statements list filtered by source):
        Index(
            "ix_attributions_live_source_id",
            "source_id",
            "id",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index(None, "source_id", "quote_start"),
        Index(
            "ix_attributions_deleted",
            "deleted_at",
            sqlite_where=text("deleted_at IS NOT NULL"),
            postgresql_where=text("deleted_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="RESTRICT"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"))
    stance: Mapped[str] = mapped_column(String(32))
    quote_start: Mapped[int] = mapped_column(Integer)
    quote_end: Mapped[int] = mapped_column(Integer)
    quote_exact: Mapped[str] = mapped_column(Text)
    quote_prefix: Mapped[str] = mapped_column(Text, default="")
    quote_suffix: Mapped[str] = mapped_column(Text, default="")
    medium: Mapped[str | None] = mapped_column(String(200))
    # How the statement travelled, kept beside the chain so that a claim's origins and reporting
    # chains are counted by the database from one index instead of loading every statement: the
    # first intermediary (None: the source heard it directly), and a digest of the speaker's medium
    # and every step (`app.attributions.chains.chain_key`). Set only with the chain itself.
    first_step_actor_id: Mapped[int | None] = mapped_column(Integer)
    chain_key: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    claim: Mapped[Claim] = relationship(lazy="raise")
    actor: Mapped[Actor] = relationship(lazy="raise")
    source: Mapped[Source] = relationship(lazy="raise")
    via: Mapped[list["ReportingStep"]] = relationship(
        back_populates="attribution",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ReportingStep.position",
    )

    __mapper_args__ = {"version_id_col": version}


class ReportingStep(Base):
    """One intermediary in the chain through which a statement reached its source, in order."""

    __tablename__ = "reporting_steps"
    __table_args__ = (
        UniqueConstraint("attribution_id", "position"),
        CheckConstraint("position >= 0", name="position"),
        Index(None, "actor_id", "attribution_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attribution_id: Mapped[int] = mapped_column(ForeignKey("attributions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="RESTRICT"))
    medium: Mapped[str | None] = mapped_column(String(200))

    attribution: Mapped[Attribution] = relationship(back_populates="via", lazy="raise")
    actor: Mapped[Actor] = relationship(lazy="raise")
