from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.actor import Actor
from app.models.base import Base, UTCDateTime, check_in, utcnow
from app.models.claim import Claim
from app.models.source import Source
from app.vocabulary import ProposalState, Stance, values


class Proposal(Base):
    """A statement the extractor proposes in a source, waiting for an editor, or decided.

    The spans are character offsets into the source's text, as an attribution's quote is. `key` says
    which statement it is (its spans and stance), so that running the extractor again on the source
    proposes neither a statement decided already nor one rejected.
    """

    __tablename__ = "proposals"
    __table_args__ = (
        UniqueConstraint("source_id", "key"),
        CheckConstraint(check_in("stance", values(Stance)), name="stance"),
        CheckConstraint(check_in("state", values(ProposalState)), name="state"),
        CheckConstraint("quote_start >= 0 AND quote_end > quote_start", name="quote_span"),
        # The queue of a source, and the sources with proposals waiting.
        Index(None, "source_id", "state", "quote_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    quote_start: Mapped[int] = mapped_column(Integer)
    """Where the whole statement starts: the first of its spans."""
    quote_end: Mapped[int] = mapped_column(Integer)
    source_start: Mapped[int | None] = mapped_column(Integer)
    source_end: Mapped[int | None] = mapped_column(Integer)
    cue_start: Mapped[int] = mapped_column(Integer)
    cue_end: Mapped[int] = mapped_column(Integer)
    content_start: Mapped[int | None] = mapped_column(Integer)
    content_end: Mapped[int | None] = mapped_column(Integer)
    stance: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"), index=True)
    """The known actor the statement resolves to; None when the extractor proposes a new one."""
    actor_name: Mapped[str | None] = mapped_column(String(300))
    """The name the extractor gave: a known actor's, or the proposed new actor's."""
    medium: Mapped[str | None] = mapped_column(String(200))
    via: Mapped[list[str]] = mapped_column(JSON, default=list)
    """The reporting chain, as names, from the actor towards the source."""
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"), index=True)
    """The existing claim the content fits, found through the search index."""
    claim_text: Mapped[str | None] = mapped_column(Text)
    """A new claim drafted from the content, when no existing claim fits."""
    state: Mapped[str] = mapped_column(String(16), default=ProposalState.PENDING.value)
    attribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("attributions.id", ondelete="SET NULL"), index=True
    )
    """The statement an accepted proposal became."""
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[Source] = relationship(lazy="raise")
    actor: Mapped[Actor | None] = relationship(lazy="raise")
    claim: Mapped[Claim | None] = relationship(lazy="raise")
