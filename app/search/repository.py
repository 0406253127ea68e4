"""Search queries: ranked retrieval that stops after the page, and counts that stop at a cap.

Matching is each backend's own full-text search over the folded words (fulltext.py): every query
word must start a word of the document. Ranking is one portable rule that an index can produce in
order, so that a page costs a few index reads however many documents match:

1. tier: documents with every query word in their own text (a claim's text, a quote, an actor's
   names, a source's title) before those that match only through their context (who said it, an
   actor's role, a source's outlet);
2. kind: actors, then claims, then sources, then statements (a name query shows the actor first);
3. newest first: the object's id, descending.

A document's id is its kind's code in the high bits (descending in ranking order) and the object's
id in the low ones (app/fulltext/indexing.py), so a tier read in descending id order is already in
ranking order: each tier is one index scan with a LIMIT of what the page still needs. SQLite's FTS5
yields matches in rowid order and stops there (one scan also means its prefix look-ups are done
once a tier); PostgreSQL walks the primary key backwards testing each row's stored tsvector when the
words are common, or gathers the few matches from a GIN index when they are rare (its planner
chooses from the statistics). A page reads the tiers in order until it has `limit + 1` hits; the
position (tier, kind, id) of its last hit is the keyset cursor of the next.

Filters become facet tokens matched inside the same index: a statement carries every combination of
its actor, source, stance and claim status, claims and sources every combination of those of each of
their statements, so any set of filters is one token (`a12xtassertedxvunverified`) and a rare actor
and a common word meet in the index rather than row by row; what facets cannot say (dates,
contested, an actor's statements) is checked on the candidates, apart from the scan.

Counts stop at `cap`: the number of results is exact up to it, and "more than" beyond.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, select, true, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session, joinedload, load_only, selectinload

from app.claims.repository import is_contested, statement_conditions
from app.claims.schemas import ClaimFilters
from app.fulltext.indexing import (
    ACTOR,
    ATTRIBUTION,
    CLAIM,
    KIND_CODES,
    KINDS,
    SOURCE,
    actor_facet,
    combined_facet,
    kind_facet,
    kind_of,
    kind_range,
    source_facet,
    stance_facet,
    status_facet,
)
from app.fulltext.repository import FTS, FacetQuery, fts5_expression, fts5_matches, tsvector_conditions
from app.models import Actor, Attribution, Claim, Source
from app.models.search import KIND_SHIFT, SearchDocument

TIERS = (1, 2)
MAX_CANDIDATES = 5_000
"""Candidates read in one round of a tier at most (see `search`)."""


def valid_position(position: tuple[int, ...]) -> bool:
    tier, code, object_id = position
    return tier in TIERS and code in KIND_CODES.values() and object_id >= 0


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    position: tuple[int, ...]


def _facets(kind: str, filters: ClaimFilters | None) -> FacetQuery:
    """The filter tokens a document of this kind must carry (see app/fulltext/indexing.py): a
    statement's actor, source and stance as one combined token; a claim's own status; a source
    itself; an actor itself. The rest is checked on each candidate (`_checks`)."""
    if filters is None:
        return FacetQuery()
    actors = tuple(actor_facet(actor_id) for actor_id in filters.actor_ids or ())
    source = source_facet(filters.source_id) if filters.source_id is not None else None
    stance = stance_facet(filters.stance.value) if filters.stance is not None else None
    if kind == ACTOR:
        return FacetQuery(any_of=(actors,) if actors else ())
    if kind == CLAIM:
        status = status_facet(filters.status.value) if filters.status is not None else None
        return FacetQuery(all_of=(status,) if status else ())
    if kind == SOURCE:
        return FacetQuery(all_of=(source,) if source else ())
    rest = [facet for facet in (source, stance) if facet]
    combined = tuple(combined_facet(actor, *rest) for actor in actors) if actors else ()
    if not actors and rest:
        combined = (combined_facet(*rest),)
    return FacetQuery(any_of=(combined,) if combined else ())


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
        # Actor, source and stance are exact facets of a statement; its claim's status is not.
        if not dated and not claim_level:
            return []
        dates = statement_conditions(ClaimFilters(date_from=filters.date_from, date_to=filters.date_to))
        return [
            exists().where(
                Attribution.id == object_id, Claim.id == Attribution.claim_id, *dates, *claim_level
            )
        ]
    if kind == CLAIM:
        checks: list[ColumnElement[bool]] = []
        # Its status is a claim's own facet; who said what on it, where and when is its statements'.
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
    if kind == ACTOR and filters == ClaimFilters(actor_ids=filters.actor_ids):
        return []  # the actor filter alone is the actor's own facet
    if kind == SOURCE and filters == ClaimFilters(source_id=filters.source_id):
        return []  # the source filter alone is the source's own facet
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


def _groups(session: Session, filters: ClaimFilters | None) -> list[tuple[str, ...]]:
    """Kinds whose documents one index scan reads together, in ranking order.

    SQLite: as few scans as the facets allow (each FTS5 scan looks a prefix's words up afresh), so one
    for every kind, or, when a filter needs facets that actors do not carry, actors apart. PostgreSQL:
    one scan a kind, so that its planner weighs each kind's words and facets on their own.
    """
    if session.get_bind().dialect.name != "sqlite":
        return [(kind,) for kind in KINDS]
    if filters is None or filters == ClaimFilters(actor_ids=filters.actor_ids):
        return [KINDS]
    return [(ACTOR,), KINDS[1:]]


def _checked(
    document: ColumnElement[int],
    object_of: Callable[[str], ColumnElement[int] | InstrumentedAttribute[int]],
    kinds: Sequence[str],
    filters: ClaimFilters | None,
) -> list[ColumnElement[bool]]:
    """Each kind's checks, chosen by the document id's kind bits (the kinds tested highest ids first)."""
    checks = {kind: _checks(kind, object_of(kind), filters) for kind in kinds}
    if not any(checks.values()):
        return []
    if len(kinds) == 1:
        return checks[kinds[0]]
    ordered = sorted(kinds, key=lambda kind: -KIND_CODES[kind])
    return [
        case(
            *((document >= kind_range(kind)[0], and_(true(), *checks[kind])) for kind in ordered[:-1]),
            else_=and_(true(), *checks[ordered[-1]]),
        )
    ]


def _matching(
    session: Session,
    terms: Sequence[str],
    filters: ClaimFilters | None,
    *,
    kinds: tuple[str, ...],
    tier: int | None,
    below: int | None,
    checked: bool,
) -> Select[int] | None:
    """The ids of the matching documents of some kinds (below an id, if given), for the backend at hand,
    with or without the checks the facets leave; None when the range is empty."""
    low = min(kind_range(kind)[0] for kind in kinds)
    high = max(kind_range(kind)[1] for kind in kinds)
    if below is not None:
        high = min(high, below)
    if high <= low:
        return None
    by_kind = [_facets(kind, filters) for kind in kinds]
    facets = by_kind[0]
    if any(query != facets for query in by_kind):
        facets = FacetQuery(
            by_kind=tuple((kind_facet(kind), query) for kind, query in zip(kinds, by_kind, strict=True))
        )
    sqlite = session.get_bind().dialect.name == "sqlite"
    document: ColumnElement[int] = FTS.c.rowid if sqlite else SearchDocument.__table__.c.id

    def object_of(kind: str) -> ColumnElement[int] | InstrumentedAttribute[int]:
        return document - literal(kind_range(kind)[0]) if sqlite else SearchDocument.object_id

    checks = _checked(document, object_of, kinds, filters) if checked else []
    if sqlite:
        return select(document).where(
            fts5_matches(fts5_expression(terms, tier=tier, facets=facets)),
            document >= low,
            document < high,
            *checks,
        )
    return select(document).where(
        document >= low,
        document < high,
        *tsvector_conditions(terms, tier=tier, facets=facets),
        *checks,
    )


def _passing(session: Session, documents: Sequence[int], filters: ClaimFilters | None) -> set[int]:
    """The candidates that pass what their facets could not decide, in one query by primary key."""
    checks = _checked(SearchDocument.__table__.c.id, lambda _kind: SearchDocument.object_id, KINDS, filters)
    if not checks or not documents:
        return set(documents)
    return set(session.scalars(select(SearchDocument.id).where(SearchDocument.id.in_(documents), *checks)))


def search(
    session: Session,
    terms: Sequence[str],
    filters: ClaimFilters | None,
    *,
    after: tuple[int, ...] | None,
    limit: int,
) -> list[Hit]:
    """A page of ranked hits, `limit + 1` of them so that the caller can tell if more follow.

    A tier is read in descending document id (its ranking order) with the page's LIMIT, in one query;
    the candidates that the facets cannot decide alone are then checked in one more, and if some fail
    the tier is read on from the last candidate. The second tier is read only when the first runs out
    before the page is full. The checks run apart from the scan so that the planner never prices a
    scan by them.
    """
    hits: list[Hit] = []
    groups = _groups(session, filters)
    for tier in TIERS:
        if after is not None and tier < after[0]:
            continue
        below = None
        if after is not None and tier == after[0]:
            below = (after[1] << KIND_SHIFT) + after[2]
        rounds = 0
        while len(hits) <= limit:
            # When checks turn candidates away (a rare actor among a common word's claims), each round
            # reads four times as many as the last, so that the rounds stay few however rare the filter.
            need = min(max(limit + 1 - len(hits), (limit + 1) * 4**rounds), MAX_CANDIDATES)
            rounds += 1
            candidates = _candidates(session, terms, filters, groups, tier=tier, below=below, need=need)
            passing = _passing(session, candidates, filters)
            for document in candidates:
                if document in passing and len(hits) <= limit:
                    kind, object_id = kind_of(document)
                    hits.append(Hit(kind, object_id, (tier, KIND_CODES[kind], object_id)))
            if len(candidates) < need:
                break  # the tier is exhausted
            below = candidates[-1]
        if len(hits) > limit:
            break
    return hits


def _candidates(
    session: Session,
    terms: Sequence[str],
    filters: ClaimFilters | None,
    groups: list[tuple[str, ...]],
    *,
    tier: int,
    below: int | None,
    need: int,
) -> list[int]:
    """The next `need` documents of a tier below an id, by words and facets, in ranking order."""
    streams = []
    for kinds in groups:
        matching = _matching(session, terms, filters, kinds=kinds, tier=tier, below=below, checked=False)
        if matching is not None:
            (id_column,) = matching.selected_columns
            streams.append(matching.order_by(id_column.desc()).limit(need))
    if not streams:
        return []
    if len(streams) == 1:
        statement = streams[0]
    else:
        ranked = union_all(*(select(stream.subquery().c[0].label("id")) for stream in streams)).subquery()
        statement = select(ranked.c.id).order_by(ranked.c.id.desc()).limit(need)
    return list(session.scalars(statement).all())


@dataclass(frozen=True)
class Count:
    value: int
    capped: bool
    """There are more than `value` results."""


def count(session: Session, terms: Sequence[str], filters: ClaimFilters | None, *, cap: int) -> Count:
    """How many results there are, reading at most `cap + 1` of them, in one query (statements first:
    their facets are exact, so they are the cheapest to count)."""
    groups = []
    for kinds in reversed(_groups(session, filters)):
        matching = _matching(session, terms, filters, kinds=kinds, tier=None, below=None, checked=True)
        if matching is not None:
            # Each kind read in id order and cut at the cap, as the ranked streams are, so that on
            # PostgreSQL a common word is counted by walking the primary key until the cap rather than
            # by building the bitmap of every match from the GIN index first.
            (id_column,) = matching.selected_columns
            groups.append(select(matching.order_by(id_column.desc()).limit(cap + 1).subquery().c[0]))
    every_kind = union_all(*groups).subquery() if len(groups) > 1 else groups[0].subquery()
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
