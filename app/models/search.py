from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

FULL_TEXT_TABLE = "search_fts"
"""SQLite: the FTS5 table over `search_documents.terms` (with its shadow tables `search_fts_*`)."""
FULL_TEXT_INDEX = "ix_search_documents_terms_tsvector"
"""PostgreSQL: the GIN index of `to_tsvector('simple', search_documents.terms)`."""


class SearchDocument(Base):
    """One searchable thing (a claim, a statement, an actor or a source) as the search index holds it.

    Derived data, rebuilt from the rows it describes whenever they change (see app/search/indexing.py):
    `terms` is every searchable word, folded as app/names.py folds names, so that `ropcke` meets
    `Röpcke` and `zelensky` meets `Zelenskyy`; `primary_terms` are the words of the thing itself (a
    claim's text, a quote, an actor's names, a source's title), which rank above context words.
    The backend's full-text structures over `terms` are created by the migration, not by this model.
    """

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "object_id"),
        Index(None, "claim_id"),
        Index(None, "actor_id"),
        Index(None, "source_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[int] = mapped_column(Integer)
    # What the document is about, for filters and links; no foreign keys: the rows are derived and are
    # removed with what they describe, in the same flush.
    claim_id: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    source_id: Mapped[int | None] = mapped_column(Integer)
    primary_terms: Mapped[str] = mapped_column(Text)
    terms: Mapped[str] = mapped_column(Text)


def in_migrated_schema(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's `include_name`: leave out the backend-specific full-text structures.

    They cannot be described by the shared metadata (an FTS5 virtual table exists only on SQLite, an
    expression GIN index only on PostgreSQL), so the migration creates them with SQL and the drift
    comparison between models and migrations skips them by name.
    """
    if name is None:
        return True
    if type_ == "table":
        return not (name == FULL_TEXT_TABLE or name.startswith(FULL_TEXT_TABLE + "_"))
    if type_ == "index":
        return name != FULL_TEXT_INDEX
    return True
