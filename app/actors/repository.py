"""Queries for actors."""

from collections.abc import Sequence

from sqlalchemy import case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from app.fulltext.indexing import ACTOR
from app.fulltext.repository import documents_with_words
from app.models import Actor, ActorAlias, Attribution, Claim, ReportingStep
from app.models.search import SearchDocument
from app.names import fold_name
from app.statements.repository import AttributionFilters, attribution_loading, filtered, is_live
from app.vocabulary import ActorKind, Stance


def list_actors(
    session: Session,
    *,
    actor_ids: Sequence[int] | None,
    kind: ActorKind | None,
    after_id: int | None,
    limit: int,
) -> list[Actor]:
    statement = select(Actor).options(selectinload(Actor.aliases), joinedload(Actor.affiliation))
    if actor_ids is not None:
        statement = statement.where(Actor.id.in_(actor_ids))
    if kind is not None:
        statement = statement.where(Actor.kind == kind.value)
    if after_id is not None:
        statement = statement.where(Actor.id > after_id)
    return list(session.scalars(statement.order_by(Actor.id).limit(limit + 1)))


def attribution_counts(session: Session, actor_ids: Sequence[int]) -> dict[int, int]:
    if not actor_ids:
        return {}
    statement = (
        select(Attribution.actor_id, func.count())
        .where(Attribution.actor_id.in_(actor_ids), is_live())
        .group_by(Attribution.actor_id)
    )
    return dict(session.execute(statement).all())


def get_actor_by_slug(session: Session, slug: str) -> Actor | None:
    statement = (
        select(Actor)
        .where(Actor.slug == slug)
        .options(selectinload(Actor.aliases), joinedload(Actor.affiliation))
    )
    return session.scalars(statement).one_or_none()


def get_actor(session: Session, actor_id: int) -> Actor | None:
    return session.get(Actor, actor_id)


def actor_with_slug(session: Session, slug: str, *, other_than: int | None = None) -> Actor | None:
    """The actor with this slug, leaving out `other_than` (an actor whose own slug it may be)."""
    statement = select(Actor).where(Actor.slug == slug)
    if other_than is not None:
        statement = statement.where(Actor.id != other_than)
    return session.scalars(statement).one_or_none()


def actors_by_ids(session: Session, actor_ids: Sequence[int]) -> list[Actor]:
    return list(session.scalars(select(Actor).where(Actor.id.in_(actor_ids)).order_by(Actor.id)))


def affiliation_of(session: Session, actor_id: int) -> int | None:
    """The id of the actor this one is affiliated with, without loading either."""
    return session.scalars(select(Actor.affiliation_id).where(Actor.id == actor_id)).one_or_none()


def references_to(session: Session, actor_id: int) -> dict[str, int]:
    """What refers to an actor: statements attributed to it (deleted ones too), statements relayed
    through it, and the actors affiliated with it."""
    return {
        "attributions": session.scalar(
            select(func.count()).select_from(Attribution).where(Attribution.actor_id == actor_id)
        )
        or 0,
        "relayed": session.scalar(
            select(func.count(ReportingStep.attribution_id.distinct())).where(
                ReportingStep.actor_id == actor_id
            )
        )
        or 0,
        "affiliated_actors": session.scalar(
            select(func.count()).select_from(Actor).where(Actor.affiliation_id == actor_id)
        )
        or 0,
    }


def get_claim(session: Session, claim_id: int) -> Claim | None:
    return session.get(Claim, claim_id)


def slugs_of(session: Session, actor_ids: Sequence[int]) -> list[str]:
    return list(session.scalars(select(Actor.slug).where(Actor.id.in_(actor_ids)).order_by(Actor.id)))


def find_actor_ids(session: Session, name: str) -> list[int]:
    """The actors a name or alias designates, under any case, diacritics or transliteration.

    An exact folded match wins; failing that, a name that is one or more whole words of an
    alias ("Kuleba" for "Dmytro Kuleba").
    """
    key = fold_name(name)
    if not key:
        return []
    exact = session.scalars(select(ActorAlias.actor_id).where(ActorAlias.name_key == key).distinct()).all()
    if exact:
        return sorted(exact)
    words = session.scalars(
        select(ActorAlias.actor_id)
        .where(
            or_(
                ActorAlias.name_key.startswith(key + " ", autoescape=True),
                ActorAlias.name_key.endswith(" " + key, autoescape=True),
                ActorAlias.name_key.contains(" " + key + " ", autoescape=True),
            )
        )
        .distinct()
    ).all()
    return sorted(words)


def actors_named_like(session: Session, key: str, words: Sequence[str], *, limit: int) -> list[Actor]:
    """Actors with a name or alias that starts with `key` (a folded name), then those with a word of
    a name starting with each of `words`; by name within each. Both through indexes: a range of
    `actor_aliases.name_key`, and the search index's actor documents."""
    # A range, not LIKE: SQLite uses an index for LIKE only when it is case-sensitive, PostgreSQL only
    # under the C collation. Folded keys are [a-z0-9 ], so the next character bounds the range.
    following = key[:-1] + chr(ord(key[-1]) + 1)
    by_alias = select(ActorAlias.actor_id.label("actor_id"), literal(0).label("rank")).where(
        ActorAlias.name_key >= key,
        ActorAlias.name_key < following,
        ActorAlias.name_key.startswith(key, autoescape=True),
    )
    branches = [by_alias]
    if words:
        branches.append(
            select(SearchDocument.object_id.label("actor_id"), literal(1).label("rank")).where(
                documents_with_words(ACTOR, words, own=True)
            )
        )
    found = union_all(*branches).subquery()
    best = (
        select(found.c.actor_id, func.min(found.c.rank).label("rank")).group_by(found.c.actor_id).subquery()
    )
    statement = (
        select(Actor)
        .join(best, best.c.actor_id == Actor.id)
        .order_by(best.c.rank, Actor.name, Actor.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


# Counting and paging inside the database, for an actor's page: a fixed number of queries, and a
# bounded number of rows loaded, whatever the number of statements.


def stance_totals(session: Session, filters: AttributionFilters) -> tuple[dict[str, int], int]:
    """The statements `filters` select: how many take each stance (stances taken only), and on how
    many distinct claims they are."""
    per_stance = [func.count(case((Attribution.stance == stance.value, 1))) for stance in Stance]
    statement = filtered(
        select(func.count(Attribution.claim_id.distinct()), *per_stance).select_from(Attribution), filters
    )
    claims, *counts = session.execute(statement).one()
    taken = {stance.value: int(count) for stance, count in zip(Stance, counts, strict=True) if count}
    return taken, int(claims)


def claim_stance_counts(
    session: Session, filters: AttributionFilters, *, after_claim_id: int | None, limit: int
) -> dict[int, dict[str, int]]:
    """A page of the claims the statements `filters` select are on, in claim id order, each with its
    statements per stance; one claim more than `limit` says that there is a next page."""
    claims = filtered(select(Attribution.claim_id).distinct(), filters)
    if after_claim_id is not None:
        claims = claims.where(Attribution.claim_id > after_claim_id)
    claims = claims.order_by(Attribution.claim_id).limit(limit + 1)
    statement = (
        filtered(select(Attribution.claim_id, Attribution.stance, func.count()), filters)
        .where(Attribution.claim_id.in_(claims))
        .group_by(Attribution.claim_id, Attribution.stance)
        .order_by(Attribution.claim_id)
    )
    counts: dict[int, dict[str, int]] = {}
    for claim_id, stance, count in session.execute(statement):
        counts.setdefault(claim_id, {})[stance] = count
    return counts


def first_on_each_claim(
    session: Session, scopes: Sequence[tuple[AttributionFilters, Sequence[int]]], *, per_claim: int
) -> list[Attribution]:
    """For each (filters, claim ids) of `scopes`, the first `per_claim` statements in id order that
    the filters select on each of those claims; all of them loaded at once, in id order."""
    chosen = []
    for filters, claim_ids in scopes:
        if not claim_ids:
            continue
        position = func.row_number().over(partition_by=Attribution.claim_id, order_by=Attribution.id)
        ranked = (
            filtered(select(Attribution.id, position.label("position")), filters)
            .where(Attribution.claim_id.in_(claim_ids))
            .subquery()
        )
        chosen.append(select(ranked.c.id).where(ranked.c.position <= per_claim))
    if not chosen:
        return []
    statement = (
        select(Attribution)
        .where(Attribution.id.in_(union_all(*chosen) if len(chosen) > 1 else chosen[0]))
        .options(*attribution_loading())
        .order_by(Attribution.id)
    )
    return list(session.scalars(statement).unique())
