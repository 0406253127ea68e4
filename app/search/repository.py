"""Search queries: the backend's full-text index finds the documents, one portable rule ranks them.

Matching is each backend's own full-text search over the folded `terms` (SQLite FTS5, PostgreSQL
tsvector/tsquery with the 'simple' configuration): every query word must start a word of the
document. Ranking is *not* the backends' scores (bm25 and ts_rank disagree), so that both give
the same order: documents that have more of the query words in their own text (rather than in their
context: a statement's actor, an actor's role) come first, shorter ones before longer ones, then
claims, statements, actors and sources, then by id. The sort key doubles as the keyset cursor, so a
deep page starts where the previous one ended instead of counting past every earlier row.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from app.claims.repository import ClaimFilters, claim_conditions, is_contested, statement_conditions
from app.models import Actor, Attribution, Claim, Source
from app.models.search import SearchDocument
from app.search.fulltext import has_words, starts_a_word
from app.search.indexing import ACTOR, ATTRIBUTION, CLAIM, KINDS, SOURCE

POSITION_SIZE = 4
"""The sort key of a result: (-score, length of its own text, kind order, object id)."""


def _score(terms: Sequence[str]) -> ColumnElement[int]:
    """How many query words start a word of the document's own text (not of its context)."""
    total: ColumnElement[int] = literal(0, Integer)
    for term in terms:
        total = total + case((starts_a_word(SearchDocument.primary_terms, term), 1), else_=0)
    return total


def _kind_order() -> ColumnElement[int]:
    return case(*((SearchDocument.kind == kind, order) for order, kind in enumerate(KINDS)), else_=len(KINDS))


def _passes(filters: ClaimFilters) -> ColumnElement[bool]:
    """A claim passes as the claims index filters it; a statement must itself match the statement
    filters (and its claim the claim filters); an actor or a source must have such a statement."""
    claim_passes = SearchDocument.object_id.in_(select(Claim.id).where(*claim_conditions(filters)))
    claim_level = claim_conditions(ClaimFilters(status=filters.status, contested=filters.contested))
    statement = exists().where(
        Attribution.claim_id == Claim.id,
        Attribution.deleted_at.is_(None),
        *claim_level,
        *statement_conditions(filters),
        or_(
            and_(SearchDocument.kind == ATTRIBUTION, Attribution.id == SearchDocument.object_id),
            and_(SearchDocument.kind == ACTOR, Attribution.actor_id == SearchDocument.actor_id),
            and_(SearchDocument.kind == SOURCE, Attribution.source_id == SearchDocument.source_id),
        ),
    )
    is_claim = SearchDocument.kind == CLAIM
    return or_(and_(is_claim, claim_passes), and_(~is_claim, statement))


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    position: tuple[int, ...]


def search(
    session: Session,
    terms: Sequence[str],
    filters: ClaimFilters | None,
    *,
    after: tuple[int, ...] | None,
    limit: int,
) -> list[Hit]:
    """A page of ranked hits, `limit + 1` of them so that the caller can tell if more follow."""
    score = _score(terms)
    length = func.length(SearchDocument.primary_terms)
    kind_order = _kind_order()
    ranked = select(
        SearchDocument.kind,
        SearchDocument.object_id,
        (-score).label("neg_score"),
        length.label("length"),
        kind_order.label("kind_order"),
    ).where(has_words(terms))
    if filters is not None:
        ranked = ranked.where(_passes(filters))
    hits = ranked.subquery()
    key = (hits.c.neg_score, hits.c.length, hits.c.kind_order, hits.c.object_id)
    statement = select(hits.c.kind, *key)
    if after is not None:
        statement = statement.where(tuple_(*key) > tuple_(*(literal(value, Integer) for value in after)))
    rows: Sequence[Row[str, int, int, int, int]] = session.execute(
        statement.order_by(*key).limit(limit + 1)
    ).all()
    return [Hit(kind=row[0], object_id=row[4], position=tuple(row[1:])) for row in rows]


# Loading what the hits show, one query per kind whatever the number of hits.


def claims_by_id(session: Session, claim_ids: Sequence[int]) -> dict[int, Claim]:
    if not claim_ids:
        return {}
    return {claim.id: claim for claim in session.scalars(select(Claim).where(Claim.id.in_(claim_ids)))}


def contested_claim_ids(session: Session, claim_ids: Sequence[int]) -> set[int]:
    if not claim_ids:
        return set()
    statement = select(Claim.id).where(Claim.id.in_(claim_ids), is_contested())
    return set(session.scalars(statement))


def attributions_by_id(session: Session, attribution_ids: Sequence[int]) -> dict[int, Attribution]:
    if not attribution_ids:
        return {}
    statement = (
        select(Attribution)
        .where(Attribution.id.in_(attribution_ids))
        .options(
            joinedload(Attribution.actor).selectinload(Actor.aliases),
            joinedload(Attribution.claim),
            joinedload(Attribution.source).load_only(
                Source.id, Source.title, Source.outlet, Source.published_on, raiseload=True
            ),
        )
    )
    return {row.id: row for row in session.scalars(statement).unique()}


def actors_by_id(session: Session, actor_ids: Sequence[int]) -> dict[int, Actor]:
    if not actor_ids:
        return {}
    statement = select(Actor).where(Actor.id.in_(actor_ids)).options(selectinload(Actor.aliases))
    return {actor.id: actor for actor in session.scalars(statement)}


def sources_by_id(session: Session, source_ids: Sequence[int]) -> dict[int, Source]:
    if not source_ids:
        return {}
    statement = (
        select(Source)
        .where(Source.id.in_(source_ids))
        .options(load_only(Source.id, Source.title, Source.outlet, Source.published_on, raiseload=True))
    )
    return {source.id: source for source in session.scalars(statement)}
