"""Search queries: ranked retrieval that stops after the page, and counts that stop at a cap.

Matching is each backend's own full-text search over the folded words (fulltext.py): every query
word must start a word of the document. Ranking is one portable rule that an index can produce in
order, so that a page costs a few index reads however many documents match:

1. tier: documents with every query word in their own text (a claim's text, a quote, an actor's
   names, a source's title) before those that match only through their context (who said it, an
   actor's role, a source's outlet);
2. kind: actors, then claims, then sources, then statements (a name query shows the actor first);
3. newest first: the object's id, descending.

Each (tier, kind) is a stream read in document-id order (the id is the kind and the object id,
app/models/search.py) with a LIMIT of what the page still needs (a tier's four streams in one
query): SQLite's FTS5 yields matches in rowid order and stops there; PostgreSQL walks the primary
key backwards testing each row's stored tsvector when the words are common, or gathers the few
matches from a GIN index when they are rare (its planner chooses from the statistics). A page reads
the tiers in order until it has `limit + 1` hits; the position (tier, kind, id) of its last hit is
the keyset cursor of the next.

Filters become facet tokens matched inside the same index (a statement carries its actor, source,
stance and claim status; claims and sources carry those of their statements), so a rare actor and a
common word meet in the index rather than row by row; what facets cannot say exactly (several
filters on one statement of a claim or a source, dates, contested) is checked on each candidate.

Counts stop at `cap`: the number of results is exact up to it, and "more than" beyond.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, func, literal, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session, joinedload, load_only, selectinload

from app.claims.repository import ClaimFilters, is_contested, statement_conditions
from app.models import Actor, Attribution, Claim, Source
from app.models.search import SearchDocument
from app.search.fulltext import FTS, FacetQuery, fts5_expression, fts5_matches, tsvector_conditions
from app.search.indexing import (
    ACTOR,
    ATTRIBUTION,
    CLAIM,
    KIND_CODES,
    KINDS,
    actor_facet,
    kind_range,
    source_facet,
    stance_facet,
    status_facet,
)

TIERS = (1, 2)
POSITION_SIZE = 3
"""The position of a result: (tier, kind code, object id)."""


def valid_position(position: tuple[int, ...]) -> bool:
    tier, code, object_id = position
    return tier in TIERS and code in KIND_CODES.values() and object_id >= 0


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    position: tuple[int, ...]


def _facets(kind: str, filters: ClaimFilters | None) -> FacetQuery:
    """The filter tokens a document of this kind must carry (see app/search/indexing.py)."""
    if filters is None:
        return FacetQuery()
    any_of: tuple[tuple[str, ...], ...] = ()
    if filters.actor_ids is not None:
        any_of = (tuple(actor_facet(actor_id) for actor_id in filters.actor_ids),)
    if kind == ACTOR:
        return FacetQuery(any_of=any_of)
    all_of: list[str] = []
    if filters.source_id is not None:
        all_of.append(source_facet(filters.source_id))
    if filters.stance is not None:
        all_of.append(stance_facet(filters.stance.value))
    if filters.status is not None:
        all_of.append(status_facet(filters.status.value))
    return FacetQuery(all_of=tuple(all_of), any_of=any_of)


def _checks(
    kind: str, object_id: ColumnElement[int] | InstrumentedAttribute[int], filters: ClaimFilters | None
) -> list[ColumnElement[bool]]:
    """What the facets cannot say exactly, checked on each candidate of this kind: a claim passes as the
    claims index filters it; a statement must itself match the statement filters (and its claim the
    claim filters); an actor or a source must have such a statement."""
    if filters is None:
        return []
    on_statement = statement_conditions(filters)
    dated = filters.date_from is not None or filters.date_to is not None
    claim_level: list[ColumnElement[bool]] = []
    if filters.status is not None:
        claim_level.append(Claim.verification_status == filters.status.value)
    if filters.contested is not None:
        claim_level.append(is_contested() if filters.contested else ~is_contested())
    if kind == ATTRIBUTION:
        # Actor, source, stance and status are exact facets of a statement.
        if not dated and filters.contested is None:
            return []
        dates = statement_conditions(ClaimFilters(date_from=filters.date_from, date_to=filters.date_to))
        return [
            exists().where(
                Attribution.id == object_id, Claim.id == Attribution.claim_id, *dates, *claim_level
            )
        ]
    if kind == CLAIM:
        checks: list[ColumnElement[bool]] = []
        if on_statement:
            checks.append(
                exists().where(
                    Attribution.claim_id == object_id, Attribution.deleted_at.is_(None), *on_statement
                )
            )
        if filters.contested is not None:
            contested = is_contested()
            checks.append(
                exists().where(Claim.id == object_id, contested if filters.contested else ~contested)
            )
        return checks
    if not on_statement and not claim_level:
        return []
    of_object = Attribution.actor_id == object_id if kind == ACTOR else Attribution.source_id == object_id
    return [
        exists().where(
            of_object,
            Attribution.deleted_at.is_(None),
            Claim.id == Attribution.claim_id,
            Claim.deleted_at.is_(None),
            *on_statement,
            *claim_level,
        )
    ]


def _matching(
    session: Session,
    terms: Sequence[str],
    filters: ClaimFilters | None,
    *,
    kind: str,
    tier: int | None,
    below: int | None,
) -> Select[int]:
    """The ids of one kind's matching documents (below an id, if given), for the backend at hand."""
    low, high = kind_range(kind)
    if below is not None:
        high = min(high, below)
    facets = _facets(kind, filters)
    if session.get_bind().dialect.name == "sqlite":
        rowid = FTS.c.rowid
        return select(rowid).where(
            fts5_matches(fts5_expression(terms, tier=tier, facets=facets)),
            rowid >= low,
            rowid < high,
            *_checks(kind, rowid - literal(low), filters),
        )
    return select(SearchDocument.id).where(
        SearchDocument.id >= low,
        SearchDocument.id < high,
        *tsvector_conditions(terms, tier=tier, facets=facets),
        *_checks(kind, SearchDocument.object_id, filters),
    )


def search(
    session: Session,
    terms: Sequence[str],
    filters: ClaimFilters | None,
    *,
    after: tuple[int, ...] | None,
    limit: int,
) -> list[Hit]:
    """A page of ranked hits, `limit + 1` of them so that the caller can tell if more follow.

    One query per tier: the kinds' streams side by side (UNION ALL), each in id order with the page's
    LIMIT; the second tier is read only when the first runs out before the page is full.
    """
    hits: list[Hit] = []
    for tier in TIERS:
        if after is not None and tier < after[0]:
            continue
        need = limit + 1 - len(hits)
        streams = []
        for kind in KINDS:
            code = KIND_CODES[kind]
            below = None
            if after is not None and tier == after[0]:
                if code < after[1]:
                    continue
                if code == after[1]:
                    below = kind_range(kind)[0] + after[2]
            matching = _matching(session, terms, filters, kind=kind, tier=tier, below=below)
            (id_column,) = matching.selected_columns
            stream = matching.order_by(id_column.desc()).limit(need).subquery()
            streams.append(select(literal(code).label("code"), stream.c[0].label("id")))
        ranked = union_all(*streams).subquery()
        rows = session.execute(
            select(ranked.c.code, ranked.c.id).order_by(ranked.c.code, ranked.c.id.desc()).limit(need)
        ).all()
        for code, document_id in rows:
            kind = KINDS[code - 1]
            object_id = document_id - kind_range(kind)[0]
            hits.append(Hit(kind, object_id, (tier, code, object_id)))
        if len(hits) > limit:
            break
    return hits


@dataclass(frozen=True)
class Count:
    value: int
    capped: bool
    """There are more than `value` results."""


def count(session: Session, terms: Sequence[str], filters: ClaimFilters | None, *, cap: int) -> Count:
    """How many results there are, reading at most `cap + 1` of them (in one query)."""
    every_kind = union_all(
        *(_matching(session, terms, filters, kind=kind, tier=None, below=None) for kind in KINDS)
    ).subquery()
    first = select(every_kind.c[0]).limit(cap + 1).subquery()
    found = session.scalar(select(func.count()).select_from(first)) or 0
    return Count(value=cap, capped=True) if found > cap else Count(value=found, capped=False)


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
