"""Queries for sources."""

from collections.abc import Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, defer, undefer

from app.fulltext.indexing import SOURCE
from app.fulltext.repository import documents_with_words
from app.models import Attribution, Source
from app.models.search import SearchDocument
from app.statements.repository import has_pending_proposals, is_live


def list_sources(
    session: Session, *, outlet: str | None, waiting: bool = False, after_id: int | None, limit: int
) -> list[Source]:
    statement = select(Source).options(defer(Source.text, raiseload=True))
    if waiting:
        statement = statement.where(has_pending_proposals())
    if outlet is not None:
        statement = statement.where(func.lower(Source.outlet) == outlet.lower())
    if after_id is not None:
        statement = statement.where(Source.id > after_id)
    return list(session.scalars(statement.order_by(Source.id).limit(limit + 1)))


def attribution_counts(session: Session, source_ids: Sequence[int]) -> dict[int, int]:
    if not source_ids:
        return {}
    statement = (
        select(Attribution.source_id, func.count())
        .where(Attribution.source_id.in_(source_ids), is_live())
        .group_by(Attribution.source_id)
    )
    return dict(session.execute(statement).all())


def get_source_with_text(session: Session, source_id: int) -> Source | None:
    """A source with its text, refreshed: the session may hold it loaded without the text."""
    statement = (
        select(Source)
        .where(Source.id == source_id)
        .options(undefer(Source.text))
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).one_or_none()


def source_with_sha256(session: Session, digest: str) -> Source | None:
    """The source holding the text with this hash, if any."""
    return session.scalars(select(Source).where(Source.sha256 == digest)).one_or_none()


def span_bounds(session: Session, source_id: int) -> list[tuple[int, int, int]]:
    """(id, start, end) of every shown statement of a source, in text order: three numbers a
    statement, so that a long source can be cut into parts and its statements numbered without
    loading them."""
    statement = (
        select(Attribution.id, Attribution.quote_start, Attribution.quote_end)
        .where(Attribution.source_id == source_id, is_live())
        .order_by(Attribution.quote_start, Attribution.quote_end.desc(), Attribution.id)
    )
    return [(row_id, start, end) for row_id, start, end in session.execute(statement)]


def source_refs(session: Session, source_ids: Sequence[int]) -> list[Source]:
    """Sources by id, without their texts."""
    statement = select(Source).where(Source.id.in_(source_ids)).options(defer(Source.text, raiseload=True))
    return list(session.scalars(statement.order_by(Source.id)))


def sources_with_words(
    session: Session, words: Sequence[str], *, title_terms: str, limit: int
) -> list[tuple[Source, bool]]:
    """Sources whose title or outlet has a word starting with each of `words` (folded), through the
    search index (never a scan of titles): a source whose title is exactly `title_terms` first, then
    the newest. Each comes with whether its title is that exact one."""
    exact = SearchDocument.primary_terms == title_terms
    statement = (
        select(Source, exact)
        .join(SearchDocument, and_(SearchDocument.kind == SOURCE, SearchDocument.object_id == Source.id))
        .where(documents_with_words(SOURCE, words, own=False))
        .options(defer(Source.text, raiseload=True))
        .order_by(exact.desc(), Source.published_on.desc().nulls_last(), Source.id.desc())
        .limit(limit)
    )
    return [(source, bool(is_exact)) for source, is_exact in session.execute(statement)]
