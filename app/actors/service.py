"""Rules for actors: a unique slug, and every name and alias findable under any spelling."""

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.actors import repository, schemas
from app.actors.repository import find_actor_ids
from app.attributions.repository import attributions_by_actor, attributions_relayed_by
from app.attributions.schemas import Attribution as AttributionSchema
from app.attributions.service import attribution_schema
from app.audit.service import record, snapshot
from app.errors import Conflict, InvalidInput, NotFound
from app.models import Actor, ActorAlias, Attribution, ReportingStep
from app.names import fold_name, slugify
from app.pagination import PageRequest, paginate
from app.schemas import ActorBrief, Page
from app.vocabulary import ActorKind, Stance

WIKIDATA_QID = re.compile(r"Q[1-9][0-9]*")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_NAME_CHARS = 300
MAX_SLUG_CHARS = 120
MAX_ROLE_CHARS = 1_000
MAX_ALIASES = 200
# Paths under /actors/ that are pages, not actors.
RESERVED_SLUGS = frozenset({"new"})
EDITABLE_FIELDS = ("name", "slug", "kind", "role", "affiliation", "wikidata_qid", "aliases")


@dataclass(frozen=True)
class ActorInput:
    name: str
    kind: ActorKind
    slug: str | None = None
    role: str | None = None
    affiliation_id: int | None = None
    wikidata_qid: str | None = None
    aliases: list[str] = field(default_factory=list)


def _unusable(value: str) -> str | None:
    if "\x00" in value:
        return "contains a NUL (\\x00) character"
    if any("\ud800" <= char <= "\udfff" for char in value):
        return "contains a lone surrogate: it is not valid Unicode"
    return None


def _checked(field_name: str, value: str | None, *, limit: int) -> str | None:
    value = " ".join((value or "").split())
    if not value:
        return None
    if problem := _unusable(value):
        raise InvalidInput(f"{field_name}: {problem}.", details={"field": field_name})
    if len(value) > limit:
        raise InvalidInput(
            f"{field_name}: at most {limit:,} characters; this one has {len(value):,}.",
            details={"field": field_name},
        )
    return value


def _checked_name(name: str | None) -> str:
    checked = _checked("name", name, limit=MAX_NAME_CHARS)
    if checked is None:
        raise InvalidInput("name: an actor needs a name.", details={"field": "name"})
    return checked


def _checked_slug(session: Session, slug: str, *, other_than: int | None = None) -> str:
    if not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG_CHARS:
        raise InvalidInput(
            f"slug: '{slug}' is not a slug: lower-case letters and digits joined by single hyphens, "
            f"at most {MAX_SLUG_CHARS} characters (e.g. julian-ropcke).",
            details={"field": "slug"},
        )
    if slug in RESERVED_SLUGS:
        raise InvalidInput(
            f"slug: '{slug}' is reserved for a page; choose another.", details={"field": "slug"}
        )
    statement = select(Actor.id).where(Actor.slug == slug)
    if other_than is not None:
        statement = statement.where(Actor.id != other_than)
    if session.scalars(statement).first() is not None:
        raise Conflict(f"An actor with the slug '{slug}' exists already.", details={"field": "slug"})
    return slug


def _checked_qid(qid: str | None) -> str | None:
    qid = (qid or "").strip() or None
    if qid is not None and not WIKIDATA_QID.fullmatch(qid):
        raise InvalidInput(
            f"wikidata_qid: '{qid}' is not a Wikidata id: it should look like Q7747.",
            details={"field": "wikidata_qid"},
        )
    return qid


def _checked_aliases(aliases: list[str]) -> list[str]:
    checked = [alias for alias in (_checked("aliases", a, limit=MAX_NAME_CHARS) for a in aliases) if alias]
    if len(checked) > MAX_ALIASES:
        raise InvalidInput(
            f"aliases: at most {MAX_ALIASES} other names; {len(checked)} were given.",
            details={"field": "aliases"},
        )
    return checked


def parse_kind(value: str) -> ActorKind:
    """An actor kind from a form; a 422 that lists the allowed kinds otherwise."""
    try:
        return ActorKind(value.strip())
    except ValueError:
        allowed = ", ".join(kind.value for kind in ActorKind)
        raise InvalidInput(
            f"kind: '{value}' is not a kind of actor; allowed: {allowed}.", details={"field": "kind"}
        ) from None


def affiliation_id(session: Session, reference: str | None) -> int | None:
    """The actor an affiliation names, by slug or by a name only one actor goes by; None for none."""
    reference = (reference or "").strip()
    if not reference:
        return None
    found = session.scalars(select(Actor.id).where(Actor.slug == reference)).first()
    if found is not None:
        return found
    actor_ids = find_actor_ids(session, reference) if not _unusable(reference) else []
    if len(actor_ids) == 1:
        return actor_ids[0]
    if actor_ids:
        choices = ", ".join(repository.slugs_of(session, actor_ids))
        raise InvalidInput(
            f"affiliation: '{reference}' could be any of {choices}; give the slug of one.",
            details={"field": "affiliation"},
        )
    raise InvalidInput(
        f"affiliation: there is no actor '{reference}' on record to be affiliated with; "
        "add that actor first, or give the slug of one on record.",
        details={"field": "affiliation"},
    )


def _alias_rows(actor: Actor, name: str, others: list[str]) -> list[ActorAlias]:
    """The alias rows for a name and its other names, re-using the rows of names kept.

    Re-using them matters: a name removed and added back in one flush would otherwise be inserted
    before the old row is deleted, against the unique (actor, alias) constraint.
    """
    existing = {alias.alias: alias for alias in actor.aliases} if actor.id is not None else {}
    rows: list[ActorAlias] = []
    seen: set[str] = set()
    for position, alias in enumerate([name, *others]):
        if alias in seen:
            continue
        seen.add(alias)
        row = existing.get(alias) or ActorAlias(alias=alias)
        row.name_key = fold_name(alias)
        row.is_name = position == 0
        rows.append(row)
    return rows


def actor_state(actor: Actor) -> dict[str, Any]:
    """An actor's columns and other names: the before and after of its audit records."""
    return {**snapshot(actor), "aliases": actor.other_names}


def create_actor(session: Session, actor_input: ActorInput, *, by: str) -> Actor:
    """Create an actor with its aliases; the canonical name is stored as an alias too."""
    name = _checked_name(actor_input.name)
    role = _checked("role", actor_input.role, limit=MAX_ROLE_CHARS)
    wikidata_qid = _checked_qid(actor_input.wikidata_qid)
    aliases = _checked_aliases(actor_input.aliases)
    slug = _checked_slug(session, (actor_input.slug or "").strip() or slugify(name))
    actor = Actor(
        slug=slug,
        name=name,
        kind=actor_input.kind.value,
        role=role,
        affiliation_id=actor_input.affiliation_id,
        wikidata_qid=wikidata_qid,
    )
    actor.aliases = _alias_rows(actor, name, aliases)
    try:
        # Two editors adding the same actor at once: the unique slug lets one in, the other hears why.
        with session.begin_nested():
            session.add(actor)
    except IntegrityError:
        raise Conflict(
            f"An actor with the slug '{slug}' exists already.", details={"field": "slug"}
        ) from None
    audit = record(session, user_name=by, action="create", row=actor, before=None)
    assert audit.after is not None
    audit.after["aliases"] = actor.other_names
    return actor


def actor_for_change(session: Session, slug: str) -> Actor:
    """The actor to change, with its aliases; NotFound when there is none."""
    actor = repository.get_actor_by_slug(session, slug)
    if actor is None:
        raise NotFound(f"There is no actor '{slug}'.", details=_suggestion(session, slug))
    return actor


def _check_no_cycle(session: Session, actor: Actor, new_affiliation_id: int | None) -> None:
    seen: set[int] = set()
    current = new_affiliation_id
    while current is not None and current not in seen:
        if current == actor.id:
            raise InvalidInput(
                f"affiliation: {actor.name} cannot be affiliated with themselves, directly or through "
                "the actors they are affiliated with.",
                details={"field": "affiliation"},
            )
        seen.add(current)
        current = session.scalars(select(Actor.affiliation_id).where(Actor.id == current)).one_or_none()


def update_actor(session: Session, actor: Actor, changes: dict[str, Any], *, by: str) -> Actor:
    """Change any of an actor's fields; `aliases` replaces the other names, and every name stays findable."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise InvalidInput(
            f"{', '.join(unknown)}: not a field of an actor; the editable ones are "
            f"{', '.join(EDITABLE_FIELDS)}.",
            details={"field": unknown[0]},
        )
    name = _checked_name(changes["name"]) if "name" in changes else actor.name
    kind = changes["kind"] if "kind" in changes else ActorKind(actor.kind)
    if kind is None:
        raise InvalidInput(
            f"kind: an actor needs a kind; allowed: {', '.join(k.value for k in ActorKind)}.",
            details={"field": "kind"},
        )
    role = _checked("role", changes["role"], limit=MAX_ROLE_CHARS) if "role" in changes else actor.role
    qid = _checked_qid(changes["wikidata_qid"]) if "wikidata_qid" in changes else actor.wikidata_qid
    others = _checked_aliases(changes["aliases"] or []) if "aliases" in changes else actor.other_names
    new_affiliation = (
        affiliation_id(session, changes["affiliation"]) if "affiliation" in changes else actor.affiliation_id
    )
    _check_no_cycle(session, actor, new_affiliation)
    slug = actor.slug
    if "slug" in changes and (changes["slug"] or "").strip() != actor.slug:
        slug = _checked_slug(session, (changes["slug"] or "").strip(), other_than=actor.id)
    before = actor_state(actor)
    actor.name, actor.slug, actor.kind, actor.role = name, slug, ActorKind(kind).value, role
    actor.wikidata_qid = qid
    # The relationship, not only the column, so that the actor read back shows the new affiliation.
    actor.affiliation = session.get(Actor, new_affiliation) if new_affiliation is not None else None
    actor.aliases = _alias_rows(actor, name, others)
    # Every edit, aliases only included, is an UPDATE of the actor row, which moves the version on.
    flag_modified(actor, "name")
    audit = record(session, user_name=by, action="update", row=actor, before=before)
    assert audit.after is not None
    audit.after["aliases"] = actor.other_names
    return actor


def references_to(session: Session, actor: Actor) -> dict[str, int]:
    """What refers to an actor: statements attributed to it, statements relayed through it, affiliates."""
    return {
        "attributions": session.scalar(
            select(func.count()).select_from(Attribution).where(Attribution.actor_id == actor.id)
        )
        or 0,
        "relayed": session.scalar(
            select(func.count(ReportingStep.attribution_id.distinct())).where(
                ReportingStep.actor_id == actor.id
            )
        )
        or 0,
        "affiliated_actors": session.scalar(
            select(func.count()).select_from(Actor).where(Actor.affiliation_id == actor.id)
        )
        or 0,
    }


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def delete_actor(session: Session, actor: Actor, *, by: str) -> None:
    """Delete an actor nothing refers to; otherwise a Conflict that says how many things do."""
    references = references_to(session, actor)
    if any(references.values()):
        them = "them" if actor.kind == ActorKind.PERSON.value else "it"
        reasons = []
        if references["attributions"]:
            statements = _count(references["attributions"], "statement is", "statements are")
            reasons.append(f"{statements} attributed to {them}")
        if references["relayed"]:
            statements = _count(references["relayed"], "statement", "statements")
            reasons.append(f"{statements} reached a source through {them}")
        if references["affiliated_actors"]:
            actors = _count(references["affiliated_actors"], "actor is", "actors are")
            reasons.append(f"{actors} affiliated with {them}")
        raise Conflict(
            f"{actor.name} cannot be deleted: {'; '.join(reasons)}. Change or remove those first "
            "(deleted statements count too: an administrator can restore them).",
            details=references,
        )
    before = actor_state(actor)
    session.delete(actor)
    session.flush()
    record(session, user_name=by, action="delete", row=actor, before=before)


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


def stance_matrix(claims: list[schemas.ClaimStatements]) -> schemas.StanceMatrix:
    """Claims × the stances the actor took on any of them, each cell the number of statements."""
    taken = [s for s in Stance if any(a.stance == s.value for c in claims for a in c.attributions)]
    rows = [
        schemas.StanceMatrixRow(
            claim=statements.claim,
            counts={s.value: sum(1 for a in statements.attributions if a.stance == s.value) for s in taken},
            total=len(statements.attributions),
        )
        for statements in claims
    ]
    columns = [
        schemas.StanceColumn(stance=s.value, label=s.label, total=sum(row.counts[s.value] for row in rows))
        for s in taken
    ]
    return schemas.StanceMatrix(columns=columns, rows=rows)


def get_actor(session: Session, slug: str) -> schemas.ActorDetail:
    """An actor with everything attributed to them, and everything they relayed, grouped by claim."""
    actor = repository.get_actor_by_slug(session, slug)
    if actor is None:
        raise NotFound(f"There is no actor '{slug}'.", details=_suggestion(session, slug))
    said = [attribution_schema(row) for row in attributions_by_actor(session, actor.id)]
    relayed = [attribution_schema(row) for row in attributions_relayed_by(session, actor.id)]
    claims = _by_claim(said)
    return schemas.ActorDetail(
        **_actor_schema(actor, len(said)).model_dump(),
        stance_matrix=stance_matrix(claims),
        claims=claims,
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
