"""Queries for actors."""

from collections.abc import Sequence

from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from app.attributions.repository import is_live
from app.fulltext.indexing import ACTOR
from app.fulltext.repository import documents_with_words
from app.models import Actor, ActorAlias, Attribution
from app.models.search import SearchDocument
from app.names import fold_name
from app.vocabulary import ActorKind


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
