"""Rules for actors: a unique slug, and every name and alias findable under any spelling."""

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors import repository, schemas
from app.actors.repository import find_actor_ids
from app.attributions.repository import attributions_by_actor, attributions_relayed_by
from app.attributions.schemas import Attribution as AttributionSchema
from app.attributions.service import attribution_schema
from app.audit.service import record
from app.errors import Conflict, InvalidInput, NotFound
from app.models import Actor, ActorAlias
from app.names import fold_name, slugify
from app.pagination import PageRequest, paginate
from app.schemas import ActorBrief, Page
from app.vocabulary import ActorKind, Stance

WIKIDATA_QID = re.compile(r"Q[1-9][0-9]*")


@dataclass(frozen=True)
class ActorInput:
    name: str
    kind: ActorKind
    slug: str | None = None
    role: str | None = None
    affiliation_id: int | None = None
    wikidata_qid: str | None = None
    aliases: list[str] = field(default_factory=list)


def create_actor(session: Session, actor_input: ActorInput, *, by: str) -> Actor:
    """Create an actor with its aliases; the canonical name is stored as an alias too."""
    name = actor_input.name.strip()
    if not name:
        raise InvalidInput("An actor needs a name.")
    slug = actor_input.slug or slugify(name)
    if session.scalars(select(Actor.id).where(Actor.slug == slug)).first() is not None:
        raise Conflict(f"An actor with the slug '{slug}' exists already.")
    if actor_input.wikidata_qid and not WIKIDATA_QID.fullmatch(actor_input.wikidata_qid):
        raise InvalidInput(f"'{actor_input.wikidata_qid}' is not a Wikidata id: it should look like Q7747.")
    actor = Actor(
        slug=slug,
        name=name,
        kind=actor_input.kind.value,
        role=actor_input.role,
        affiliation_id=actor_input.affiliation_id,
        wikidata_qid=actor_input.wikidata_qid,
    )
    names = [name, *(alias.strip() for alias in actor_input.aliases)]
    seen: set[str] = set()
    aliases = []
    for position, alias in enumerate(names):
        if not alias or alias in seen:
            continue
        seen.add(alias)
        aliases.append(ActorAlias(alias=alias, name_key=fold_name(alias), is_name=position == 0))
    actor.aliases = aliases
    session.add(actor)
    record(session, user_name=by, action="create", row=actor, before=None)
    return actor


# Reading


def _actor_schema(actor: Actor, attribution_count: int) -> schemas.Actor:
    return schemas.Actor(
        id=actor.id,
        slug=actor.slug,
        name=actor.name,
        kind=actor.kind,
        role=actor.role,
        aliases=actor.other_names,
        affiliation=ActorBrief.model_validate(actor.affiliation) if actor.affiliation else None,
        wikidata_qid=actor.wikidata_qid,
        attribution_count=attribution_count,
        created_at=actor.created_at,
        version=actor.version,
    )


def list_actors(
    session: Session, *, name: str | None, kind: ActorKind | None, page: PageRequest
) -> Page[schemas.Actor]:
    """A page of actors, optionally those a name or alias designates, under any spelling."""
    actor_ids = find_actor_ids(session, name) if name is not None else None
    if actor_ids is not None and not actor_ids:
        return Page(items=[], next_cursor=None)
    rows = repository.list_actors(
        session, actor_ids=actor_ids, kind=kind, after_id=page.after_id, limit=page.limit
    )
    counts = repository.attribution_counts(session, [actor.id for actor in rows])
    return paginate([_actor_schema(actor, counts.get(actor.id, 0)) for actor in rows], page.limit)


def _by_claim(attributions: list[AttributionSchema]) -> list[schemas.ClaimStatements]:
    grouped: dict[int, list[AttributionSchema]] = {}
    for attribution in attributions:
        grouped.setdefault(attribution.claim.id, []).append(attribution)
    return [
        schemas.ClaimStatements(
            claim=statements[0].claim,
            stances=[s.value for s in Stance if any(a.stance == s.value for a in statements)],
            attributions=statements,
        )
        for statements in grouped.values()
    ]


def get_actor(session: Session, slug: str) -> schemas.ActorDetail:
    """An actor with everything attributed to them, and everything they relayed, grouped by claim."""
    actor = repository.get_actor_by_slug(session, slug)
    if actor is None:
        raise NotFound(f"There is no actor '{slug}'.", details=_suggestion(session, slug))
    said = [attribution_schema(row) for row in attributions_by_actor(session, actor.id)]
    relayed = [attribution_schema(row) for row in attributions_relayed_by(session, actor.id)]
    return schemas.ActorDetail(
        **_actor_schema(actor, len(said)).model_dump(),
        claims=_by_claim(said),
        relayed=_by_claim(relayed),
    )


def resolve_slug(session: Session, name: str) -> str | None:
    """The slug of the one actor a name designates, for redirecting a misspelt actor link."""
    actor_ids = find_actor_ids(session, name.replace("-", " "))
    if len(actor_ids) != 1:
        return None
    return repository.slugs_of(session, actor_ids)[0]


def _suggestion(session: Session, name: str) -> dict[str, list[str]]:
    actor_ids = find_actor_ids(session, name.replace("-", " "))
    return {"did_you_mean": repository.slugs_of(session, actor_ids)} if actor_ids else {}
