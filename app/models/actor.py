from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, check_in, utcnow
from app.vocabulary import ActorKind, values


class Actor(Base):
    """A person or organisation that makes statements."""

    __tablename__ = "actors"
    __table_args__ = (CheckConstraint(check_in("kind", values(ActorKind)), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))
    role: Mapped[str | None] = mapped_column(Text)
    affiliation_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    wikidata_qid: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    affiliation: Mapped["Actor | None"] = relationship(remote_side=[id], lazy="raise")
    aliases: Mapped[list["ActorAlias"]] = relationship(
        back_populates="actor",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ActorAlias.id",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def other_names(self) -> list[str]:
        """The aliases, without the canonical name itself."""
        return [alias.alias for alias in self.aliases if not alias.is_name]


class ActorAlias(Base):
    """One name or description of an actor; `name_key` is its folded look-up key."""

    __tablename__ = "actor_aliases"
    __table_args__ = (UniqueConstraint("actor_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    is_name: Mapped[bool] = mapped_column(Boolean, default=False)

    actor: Mapped[Actor] = relationship(back_populates="aliases", lazy="raise")
