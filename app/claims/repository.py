"""Queries for claims."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    not_,
    or_,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from app import vocabulary
from app.claims.schemas import ClaimFilters
from app.fulltext.indexing import CLAIM
from app.fulltext.repository import claims_with_own_words, documents_with_words
from app.models import Actor, Attribution, Claim, ClaimRelation, ClaimSummary, Source, StatusChange
from app.models.search import SearchDocument
from app.vocabulary import Stance


def statement_conditions(filters: ClaimFilters) -> list[ColumnElement[bool]]:
    """What one statement (an `Attribution` row) must satisfy: actor, stance, source and its date."""
    conditions: list[ColumnElement[bool]] = []
    if filters.actor_ids is not None:
        conditions.append(Attribution.actor_id.in_(filters.actor_ids))
    if filters.stance is not None:
        conditions.append(Attribution.stance == filters.stance.value)
    if filters.source_id is not None:
        conditions.append(Attribution.source_id == filters.source_id)
    if filters.date_from is not None or filters.date_to is not None:
        published = select(Source.id)
        if filters.date_from is not None:
            published = published.where(Source.published_on >= filters.date_from)
        if filters.date_to is not None:
            published = published.where(Source.published_on <= filters.date_to)
        conditions.append(Attribution.source_id.in_(published))
    return conditions


def is_contested() -> ColumnElement[bool]:
    """Someone asserted or confirmed the `Claim` and someone denied or disputed it (live statements),
    as its summary (app/claims/summaries.py) records."""
    return exists().where(ClaimSummary.claim_id == Claim.id, ClaimSummary.contested.is_(True))


FEW_STATEMENTS = 5_000
"""Up to this many statements fit the statement filters, the claims are gathered from them."""


def claim_conditions(
    filters: ClaimFilters, *, with_statements: bool = True, from_statements: bool = False
) -> list[ColumnElement[bool]]:
    """What a live `Claim` row must satisfy; `with_statements=False` leaves the statement filters to
    a caller that applies them to one statement of its own.

    `from_statements`: the statements that fit the filters are few (`fits_few_statements`), so their
    claims are gathered from them through their index; otherwise each claim, read in id order, is
    probed for one such statement, which stops after the page because one is never far.
    """
    conditions: list[ColumnElement[bool]] = [Claim.deleted_at.is_(None)]
    on_statements = statement_conditions(filters) if with_statements else []
    if on_statements:
        live = [Attribution.deleted_at.is_(None), *on_statements]
        if from_statements:
            conditions.append(Claim.id.in_(select(Attribution.claim_id).where(*live)))
        else:
            conditions.append(exists().where(Attribution.claim_id == Claim.id, *live))
    if filters.status is not None:
        conditions.append(Claim.verification_status == filters.status.value)
    if filters.contested is not None:
        contested = is_contested()
        conditions.append(contested if filters.contested else not_(contested))
    if filters.words:
        conditions.append(claims_with_own_words(filters.words, common=filters.common_words))
    return conditions


def fits_few_statements(session: Session, filters: ClaimFilters) -> bool:
    """Whether at most `FEW_STATEMENTS` live statements fit the statement filters (a count that
    stops there, through the filters' index). An actor who spoke on a few claims is found from their
    statements; the busiest actor's claims are found by probing claims in id order: gathering a
    hundred thousand statements to fill a page of fifty claims would cost more than the page."""
    on_statements = statement_conditions(filters)
    if not on_statements:
        return False
    first = (
        select(Attribution.id)
        .where(Attribution.deleted_at.is_(None), *on_statements)
        .limit(FEW_STATEMENTS + 1)
    )
    return (session.scalar(select(func.count()).select_from(first.subquery())) or 0) <= FEW_STATEMENTS


def list_claims(session: Session, filters: ClaimFilters, *, after_id: int | None, limit: int) -> list[Claim]:
    """A page of claims in id order, `limit + 1` rows so that the caller can tell if more follow."""
    few = fits_few_statements(session, filters)
    statement = select(Claim).where(*claim_conditions(filters, from_statements=few))
    if after_id is not None:
        statement = statement.where(Claim.id > after_id)
    return list(session.scalars(statement.order_by(Claim.id).limit(limit + 1)))


def newest_claims(session: Session, filters: ClaimFilters, *, limit: int) -> list[Claim]:
    """The `limit` newest claims that pass the filters, newest first (a feed of them)."""
    few = fits_few_statements(session, filters)
    statement = select(Claim).where(*claim_conditions(filters, from_statements=few))
    return list(session.scalars(statement.order_by(Claim.id.desc()).limit(limit)))


def get_claim(session: Session, claim_id: int) -> Claim | None:
    return session.get(Claim, claim_id)


def get_claim_for_change(session: Session, claim_id: int) -> Claim | None:
    """A claim with its outgoing relations, ready to be edited."""
    statement = select(Claim).where(Claim.id == claim_id).options(selectinload(Claim.relations))
    return session.scalars(statement).one_or_none()


def slug_is_taken(session: Session, slug: str) -> bool:
    return session.scalars(select(Claim.id).where(Claim.slug == slug)).first() is not None


def slugs_starting_with(session: Session, start: str) -> set[str]:
    return set(session.scalars(select(Claim.slug).where(Claim.slug.startswith(start, autoescape=True))))


def claim_with_text(session: Session, text: str, *, other_than: int | None = None) -> Claim | None:
    """A claim (deleted ones too) that says exactly this, other than the one `other_than`."""
    statement = select(Claim).where(Claim.text == text)
    if other_than is not None:
        statement = statement.where(Claim.id != other_than)
    return session.scalars(statement.limit(1)).first()


def claims_by_ids(session: Session, claim_ids: Sequence[int]) -> dict[int, Claim]:
    """Claims by id (deleted ones too), for a form whose fields name claims by number."""
    if not claim_ids:
        return {}
    statement = select(Claim).where(Claim.id.in_(sorted(set(claim_ids))))
    return {claim.id: claim for claim in session.scalars(statement)}


def claim_texts(session: Session, claim_ids: Sequence[int]) -> dict[int, str]:
    """The texts of some claims (deleted ones too), by id: a form's related claims, shown readably."""
    if not claim_ids:
        return {}
    statement = select(Claim.id, Claim.text).where(Claim.id.in_(sorted(set(claim_ids))))
    return dict(session.execute(statement).all())


def claims_with_words(
    session: Session,
    words: Sequence[str],
    *,
    text_terms: str,
    limit: int,
    other_than: int | None = None,
) -> list[tuple[Claim, bool]]:
    """Live claims with a word starting with each of `words` (folded) in their text, through the
    search index's claim documents (never a scan of the claims): a claim whose text is exactly
    `text_terms` first, then the newest. Each comes with whether its text is that exact one."""
    exact = SearchDocument.primary_terms == text_terms
    statement = (
        select(Claim, exact)
        .join(SearchDocument, and_(SearchDocument.kind == CLAIM, SearchDocument.object_id == Claim.id))
        .where(documents_with_words(CLAIM, words, own=True), Claim.deleted_at.is_(None))
        .order_by(exact.desc(), Claim.id.desc())
        .limit(limit)
    )
    if other_than is not None:
        statement = statement.where(Claim.id != other_than)
    return [(claim, bool(is_exact)) for claim, is_exact in session.execute(statement)]


# Deleted claims, for the administrators' list: most recently deleted first, a page at a time. The
# partial index on `deleted_at` holds only deleted claims, so neither the page nor the count reads
# the live ones.


def deleted_claims(session: Session, *, after: tuple[datetime, int] | None, limit: int) -> list[Claim]:
    """A page of soft-deleted claims, most recently deleted first (`limit + 1` rows), after the
    (deleted_at, id) of the previous page's last one."""
    statement = select(Claim).where(Claim.deleted_at.is_not(None))
    if after is not None:
        deleted_at, claim_id = after
        statement = statement.where(
            or_(Claim.deleted_at < deleted_at, and_(Claim.deleted_at == deleted_at, Claim.id < claim_id))
        )
    statement = statement.order_by(Claim.deleted_at.desc(), Claim.id.desc()).limit(limit + 1)
    return list(session.scalars(statement))


def count_deleted_claims(session: Session) -> int:
    return session.scalar(select(func.count()).where(Claim.deleted_at.is_not(None))) or 0


def relations_of(session: Session, claim_id: int) -> list[ClaimRelation]:
    """Relations in both directions, each with both of its claims loaded."""
    statement = (
        select(ClaimRelation)
        .where(or_(ClaimRelation.claim_id == claim_id, ClaimRelation.related_claim_id == claim_id))
        .options(joinedload(ClaimRelation.claim), joinedload(ClaimRelation.related_claim))
        .order_by(ClaimRelation.id)
    )
    return list(session.scalars(statement))


def sources_by_id(session: Session, source_ids: set[int]) -> dict[int, Source]:
    """Source references (without their texts) for the evidence of a history."""
    if not source_ids:
        return {}
    statement = (
        select(Source)
        .where(Source.id.in_(source_ids))
        .options(load_only(Source.id, Source.title, Source.outlet, Source.published_on, raiseload=True))
    )
    return {source.id: source for source in session.scalars(statement)}


# What a claim's page shows about its statements, counted by the database: never every statement.
# Each query reads the live statements of one claim (or of a page of claims) through the index
# ix_attributions_live_claim_summary or ix_attributions_live_claim_stance_id.


def _live_of(claim_ids: Sequence[int]) -> list[ColumnElement[bool]]:
    return [Attribution.claim_id.in_(claim_ids), Attribution.deleted_at.is_(None)]


def _whole(value: ColumnElement[Any]) -> ColumnElement[int]:
    # PostgreSQL sums integers into numerics; every count here is a whole number.
    return cast(value, Integer)


@dataclass(frozen=True)
class StanceTally:
    """The live statements of one claim in one stance: how many, by how many actors, and the first
    few of those actors in the order of their first statement."""

    claim_id: int
    stance: str
    attribution_count: int
    actor_count: int
    first_actors: list[tuple[int, str, str, str]]
    """(id, slug, name, kind) of up to `named` actors."""


def stance_tallies(
    session: Session, claim_ids: Sequence[int], *, named: int
) -> tuple[list[StanceTally], dict[int, int]]:
    """Per claim and stance taken: statements, actors, and the first `named` actors; and per claim,
    its sources. Read from the claims' summaries (app/claims/summaries.py), in two queries."""
    if not claim_ids:
        return [], {}
    summaries = session.execute(
        select(ClaimSummary.claim_id, ClaimSummary.source_count, ClaimSummary.stances).where(
            ClaimSummary.claim_id.in_(claim_ids)
        )
    ).all()
    wanted = {
        actor_id
        for _, _, stances in summaries
        for entry in stances
        for actor_id in entry["first_actor_ids"][:named]
    }
    actors = (
        {
            row[0]: (row[0], row[1], row[2], row[3])
            for row in session.execute(
                select(Actor.id, Actor.slug, Actor.name, Actor.kind).where(Actor.id.in_(wanted))
            )
        }
        if wanted
        else {}
    )
    tallies = [
        StanceTally(
            claim_id,
            entry["stance"],
            entry["attribution_count"],
            entry["actor_count"],
            [actors[actor_id] for actor_id in entry["first_actor_ids"][:named] if actor_id in actors],
        )
        for claim_id, _sources, stances in summaries
        for entry in stances
    ]
    return tallies, {claim_id: sources for claim_id, sources, _stances in summaries}


def first_sources(session: Session, claim_id: int, *, limit: int) -> list[Source]:
    """The first `limit` sources (in id order) that carry the claim's live statements."""
    ids = (
        select(Attribution.source_id)
        .where(*_live_of([claim_id]))
        .distinct()
        .order_by(Attribution.source_id)
        .limit(limit)
        .scalar_subquery()
    )
    statement = (
        select(Source)
        .where(Source.id.in_(ids))
        .options(load_only(Source.id, Source.title, Source.outlet, Source.published_on, raiseload=True))
        .order_by(Source.id)
    )
    return list(session.scalars(statement))


def statements_before(session: Session, claim_id: int, stance: str, attribution_id: int, *, cap: int) -> int:
    """How many live statements of the claim in the stance come before this one in id order (up to
    `cap`: a count that stops there, in the claim's stance index)."""
    earlier = (
        select(Attribution.id)
        .where(*_live_of([claim_id]), Attribution.stance == stance, Attribution.id < attribution_id)
        .limit(cap)
    )
    return session.scalar(select(func.count()).select_from(earlier.subquery())) or 0


def first_statement_ids(
    session: Session, wanted: Sequence[tuple[int, str, int]]
) -> dict[tuple[int, str], list[int]]:
    """For each (claim id, stance, limit): the ids of the first `limit` live statements of the claim
    in the stance, in id order. One query of short index ranges, however many statements each has."""
    pages = [
        select(Attribution.claim_id, Attribution.stance, Attribution.id)
        .where(*_live_of([claim_id]), Attribution.stance == stance)
        .order_by(Attribution.id)
        .limit(limit)
        .subquery()
        .select()
        for claim_id, stance, limit in wanted
    ]
    found: dict[tuple[int, str], list[int]] = {(claim_id, stance): [] for claim_id, stance, _ in wanted}
    if not pages:
        return found
    for claim_id, stance, attribution_id in session.execute(union_all(*pages)):
        found[(claim_id, stance)].append(attribution_id)
    for ids in found.values():
        ids.sort()
    return found


def _entry() -> ColumnElement[int]:
    """Where a statement entered the record, as one number: the first intermediary's actor id, or,
    when the chain is empty, minus the id of the source that heard the speaker directly."""
    return case(
        (Attribution.first_step_actor_id.is_(None), -Attribution.source_id),
        else_=Attribution.first_step_actor_id,
    )


@dataclass(frozen=True)
class OriginRow:
    """One independent origin of a claim's statements (see app/claims/provenance.py for the rule)."""

    stance: str
    actor_id: int
    entry: int
    """The first intermediary's actor id; minus the source's id when the source heard it directly."""
    attribution_count: int
    source_count: int
    first_attribution_id: int
    origin_count: int
    """How many origins the stance has in all (the same on every row of the stance)."""


def origins(session: Session, claim_id: int, *, per_stance: int) -> list[OriginRow]:
    """The first `per_stance` origins of each stance (in the order of their first statement), each
    with its statements and sources counted, and the number of origins of the stance."""
    entry = _entry()
    grouped = (
        select(
            Attribution.stance,
            Attribution.actor_id,
            entry.label("entry"),
            func.count().label("statements"),
            func.count(Attribution.source_id.distinct()).label("sources"),
            func.min(Attribution.id).label("first_id"),
        )
        .where(*_live_of([claim_id]))
        .group_by(Attribution.stance, Attribution.actor_id, entry)
        .subquery("grouped")
    )
    ranked = select(
        grouped,
        func.row_number().over(partition_by=grouped.c.stance, order_by=grouped.c.first_id).label("position"),
        _whole(func.count().over(partition_by=grouped.c.stance)).label("origin_count"),
    ).subquery("ranked")
    statement = (
        select(
            ranked.c.stance,
            ranked.c.actor_id,
            ranked.c.entry,
            ranked.c.statements,
            ranked.c.sources,
            ranked.c.first_id,
            ranked.c.origin_count,
        )
        .where(ranked.c.position <= per_stance)
        .order_by(ranked.c.stance, ranked.c.position)
    )
    return [OriginRow(*row) for row in session.execute(statement)]


def _first_sources(
    session: Session, claim_id: int, group: ColumnElement[Any], keys: Sequence[tuple[Any, ...]], *, first: int
) -> dict[tuple[Any, ...], list["PathSource"]]:
    """For each group of a claim's statements keyed (stance, actor id, `group`) in `keys`: the first
    `first` sources it is in (in the order of its first statement there), each with the group's
    statements in it. One query, however many statements the groups hold."""
    if not keys:
        return {}
    per_source = (
        select(
            Attribution.stance,
            Attribution.actor_id,
            group.label("group_key"),
            Attribution.source_id,
            func.count().label("statements"),
            func.min(Attribution.id).label("first_id"),
        )
        .where(*_live_of([claim_id]), tuple_(Attribution.stance, Attribution.actor_id, group).in_(keys))
        .group_by(Attribution.stance, Attribution.actor_id, group, Attribution.source_id)
        .subquery("per_source")
    )
    key = (per_source.c.stance, per_source.c.actor_id, per_source.c.group_key)
    ranked = select(
        per_source,
        func.row_number().over(partition_by=key, order_by=per_source.c.first_id).label("position"),
    ).subquery("ranked")
    statement = (
        select(
            ranked.c.stance,
            ranked.c.actor_id,
            ranked.c.group_key,
            ranked.c.source_id,
            ranked.c.statements,
            ranked.c.first_id,
        )
        .where(ranked.c.position <= first)
        .order_by(ranked.c.stance, ranked.c.actor_id, ranked.c.group_key, ranked.c.position)
    )
    found: dict[tuple[Any, ...], list[PathSource]] = {}
    for stance, actor_id, group_key, source_id, statements, first_id in session.execute(statement):
        found.setdefault((stance, actor_id, group_key), []).append(
            PathSource(source_id, statements, first_id)
        )
    return found


def origin_sources(
    session: Session, claim_id: int, origin_keys: Sequence[tuple[str, int, int]], *, per_origin: int
) -> dict[tuple[str, int, int], list[int]]:
    """The first `per_origin` sources (in the order of their first statement) quoting each origin,
    keyed (stance, actor id, entry) as `origins` gives them."""
    grouped = _first_sources(session, claim_id, _entry(), origin_keys, first=per_origin)
    return {key: [source.source_id for source in sources] for key, sources in grouped.items()}


@dataclass(frozen=True)
class PathRow:
    """The statements of a claim that one speaker made in one stance and that travelled the same
    path (the same medium and intermediaries, `chain_key`) to one or more sources."""

    stance: str
    actor_id: int
    chain_key: str
    attribution_count: int
    source_count: int
    first_attribution_id: int
    """A statement of the path, the first on record: its medium and chain show the path."""
    path_count: int
    """How many paths the claim's statements travelled in all (the same on every row)."""


def paths(session: Session, claim_id: int, *, limit: int) -> list[PathRow]:
    """The `limit` paths carrying the most statements (first on record first on a tie)."""
    grouped = (
        select(
            Attribution.stance,
            Attribution.actor_id,
            Attribution.chain_key,
            func.count().label("statements"),
            func.count(Attribution.source_id.distinct()).label("sources"),
            func.min(Attribution.id).label("first_id"),
        )
        .where(*_live_of([claim_id]))
        .group_by(Attribution.stance, Attribution.actor_id, Attribution.chain_key)
        .subquery("grouped")
    )
    ranked = select(
        grouped,
        func.row_number().over(order_by=(grouped.c.statements.desc(), grouped.c.first_id)).label("position"),
        _whole(func.count().over()).label("path_count"),
    ).subquery("ranked")
    statement = (
        select(
            ranked.c.stance,
            ranked.c.actor_id,
            ranked.c.chain_key,
            ranked.c.statements,
            ranked.c.sources,
            ranked.c.first_id,
            ranked.c.path_count,
        )
        .where(ranked.c.position <= limit)
        .order_by(ranked.c.position)
    )
    return [PathRow(*row) for row in session.execute(statement)]


@dataclass(frozen=True)
class PathSource:
    source_id: int
    attribution_count: int
    first_attribution_id: int


def path_sources(
    session: Session, claim_id: int, path_keys: Sequence[tuple[str, int, str]], *, per_path: int
) -> dict[tuple[str, int, str], list[PathSource]]:
    """The first `per_path` sources each path ends in (in the order of their first statement), with
    the statements of the path in each, keyed (stance, actor id, chain key)."""
    return _first_sources(session, claim_id, Attribution.chain_key.expression, path_keys, first=per_path)


def actor_briefs(session: Session, actor_ids: set[int]) -> dict[int, Actor]:
    """Actors by id, without their aliases, for references."""
    if not actor_ids:
        return {}
    statement = select(Actor).where(Actor.id.in_(actor_ids))
    return {actor.id: actor for actor in session.scalars(statement)}


def history_page(session: Session, claim_id: int, *, after_id: int | None, limit: int) -> list[StatusChange]:
    """A page of a claim's status changes, oldest first, `limit + 1` rows to tell if more follow."""
    statement = select(StatusChange).where(StatusChange.claim_id == claim_id)
    if after_id is not None:
        statement = statement.where(StatusChange.id > after_id)
    return list(session.scalars(statement.order_by(StatusChange.id).limit(limit + 1)))


def latest_history(session: Session, claim_id: int, *, limit: int) -> tuple[list[StatusChange], int]:
    """The last `limit` status changes of a claim, oldest first, and how many there are in all."""
    statement = (
        select(StatusChange, func.count().over().label("total"))
        .where(StatusChange.claim_id == claim_id)
        .order_by(StatusChange.id.desc())
        .limit(limit)
    )
    rows = session.execute(statement).all()
    return sorted((change for change, _total in rows), key=lambda change: change.id), (
        rows[0][1] if rows else 0
    )


# The claims' summaries (app/claims/summaries.py keeps them current)

SUMMARY_NAMED_ACTORS = 3
"""Actors a claim's summary names per stance, in the order of their first statement."""
BATCH_CLAIMS = 5_000
"""Claims counted at a time by `rebuild_summaries`."""
STANCE_ORDER = {stance.value: position for position, stance in enumerate(Stance)}


def count_summaries(connection: Connection, claim_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The summaries of these claims, counted from their live statements (claims without one get
    an empty summary)."""
    live = [Attribution.claim_id.in_(claim_ids), Attribution.deleted_at.is_(None)]
    per_actor = (
        select(
            Attribution.claim_id,
            Attribution.stance,
            Attribution.actor_id,
            func.count().label("statements"),
            func.min(Attribution.id).label("first_id"),
        )
        .where(*live)
        .group_by(Attribution.claim_id, Attribution.stance, Attribution.actor_id)
        .subquery("per_actor")
    )
    within = (per_actor.c.claim_id, per_actor.c.stance)
    ranked = select(
        per_actor.c.claim_id,
        per_actor.c.stance,
        per_actor.c.actor_id,
        func.row_number().over(partition_by=within, order_by=per_actor.c.first_id).label("position"),
        cast(func.sum(per_actor.c.statements).over(partition_by=within), Integer).label("statements"),
        cast(func.count().over(partition_by=within), Integer).label("actors"),
    ).subquery("ranked")
    summaries: dict[int, dict[str, Any]] = {
        claim_id: {"claim_id": claim_id, "attribution_count": 0, "source_count": 0, "stances": {}}
        for claim_id in claim_ids
    }
    for claim_id, stance, actor_id, statements, actors in connection.execute(
        select(ranked.c.claim_id, ranked.c.stance, ranked.c.actor_id, ranked.c.statements, ranked.c.actors)
        .where(ranked.c.position <= SUMMARY_NAMED_ACTORS)
        .order_by(ranked.c.claim_id, ranked.c.stance, ranked.c.position)
    ):
        entry = summaries[claim_id]["stances"].setdefault(
            stance,
            {"stance": stance, "attribution_count": statements, "actor_count": actors, "first_actor_ids": []},
        )
        entry["first_actor_ids"].append(actor_id)
    sources = select(Attribution.claim_id, func.count(Attribution.source_id.distinct())).where(*live)
    for claim_id, source_count in connection.execute(sources.group_by(Attribution.claim_id)):
        summaries[claim_id]["source_count"] = source_count
    for summary in summaries.values():
        stances = sorted(summary["stances"].values(), key=lambda entry: STANCE_ORDER[entry["stance"]])
        summary["stances"] = stances
        summary["attribution_count"] = sum(entry["attribution_count"] for entry in stances)
        summary["contested"] = vocabulary.is_contested({Stance(entry["stance"]) for entry in stances})
    return list(summaries.values())


def refresh_summaries(connection: Connection, claim_ids: Iterable[int]) -> None:
    """Count the summaries of these claims again, from their statements as this transaction sees them."""
    wanted = sorted(set(claim_ids))
    if not wanted:
        return
    present = connection.scalars(
        select(ClaimSummary.claim_id)
        .where(ClaimSummary.claim_id.in_(wanted))
        .order_by(ClaimSummary.claim_id)
        .with_for_update()  # PostgreSQL: one claim's summary is counted by one transaction at a time
    ).all()
    existing = set(present)
    missing = [claim_id for claim_id in wanted if claim_id not in existing]
    if missing:
        # A new claim: its row appears with the claim, in the transaction that creates it.
        live_claims = connection.scalars(select(Claim.id).where(Claim.id.in_(missing))).all()
        if live_claims:
            connection.execute(
                insert(ClaimSummary),
                [
                    {
                        "claim_id": claim_id,
                        "attribution_count": 0,
                        "source_count": 0,
                        "contested": False,
                        "stances": [],
                    }
                    for claim_id in live_claims
                ],
            )
    counted = count_summaries(connection, wanted)
    if counted:
        # An executemany: the SET clause takes the columns the rows carry besides the key.
        connection.execute(
            update(ClaimSummary).where(ClaimSummary.claim_id == bindparam("summary_of")),
            [
                {**{k: v for k, v in summary.items() if k != "claim_id"}, "summary_of": summary["claim_id"]}
                for summary in counted
            ],
        )


def rebuild_summaries(connection: Connection) -> None:
    """Count every claim's summary afresh, a batch of claims at a time (after a bulk load)."""
    connection.execute(delete(ClaimSummary))
    last = 0
    while True:
        batch = connection.scalars(
            select(Claim.id).where(Claim.id > last).order_by(Claim.id).limit(BATCH_CLAIMS)
        ).all()
        if not batch:
            return
        connection.execute(insert(ClaimSummary), count_summaries(connection, batch))
        last = batch[-1]
