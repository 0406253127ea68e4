"""Rules for actors: a unique slug, and every name and alias findable under any spelling."""

import re
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.actors import repository, schemas
from app.actors.repository import find_actor_ids
from app.audit.service import record, snapshot
from app.errors import Conflict, InvalidInput, NotFound
from app.fulltext.words import MAX_TERMS, query_words
from app.models import Actor, ActorAlias, Attribution
from app.names import fold_name, slugify
from app.pagination import PageRequest, encode_cursor, paginate
from app.schemas import ActorBrief, ClaimRef, CountedPage, Page
from app.statements.repository import AttributionFilters, count_attributions, list_attributions
from app.statements.schemas import Attribution as AttributionSchema
from app.text import NOT_VISIBLE, clean_field, text_problem, visible_field
from app.urls import Paths
from app.vocabulary import ActorKind, Stance

WIKIDATA_QID = re.compile(r"Q[1-9][0-9]*")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_NAME_CHARS = 300
MAX_SLUG_CHARS = 120
MAX_ROLE_CHARS = 1_000
MAX_ALIASES = 200
# Paths under /actors/ that are pages, not actors.
RESERVED_SLUGS = frozenset({"new"})


def _checked(field_name: str, value: str | None, *, limit: int) -> str | None:
    """A text field tidied (see app.text) with its inner runs of whitespace made one space; None when
    nothing is left, refused when what is left shows nothing, cannot be stored or is too long."""
    value = clean_field(field_name, " ".join((value or "").split()))
    if not value:
        return None
    value = visible_field(field_name, value)
    if len(value) > limit:
        raise InvalidInput(
            f"{field_name}: at most {limit:,} characters; this one has {len(value):,}.",
            details={"field": field_name},
        )
    return value


def _checked_name(name: str | None) -> str:
    if not (name or "").strip():
        raise InvalidInput("name: an actor needs a name.", details={"field": "name"})
    checked = _checked("name", name, limit=MAX_NAME_CHARS)
    if checked is None:
        raise InvalidInput(f"name: {NOT_VISIBLE}.", details={"field": "name"})
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
    if repository.actor_with_slug(session, slug, other_than=other_than) is not None:
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


def _affiliation_id(session: Session, reference: str | None) -> int | None:
    """The actor an affiliation names, by slug or by a name only one actor goes by; None for none."""
    reference = (reference or "").strip()
    if not reference:
        return None
    found = repository.actor_with_slug(session, reference)
    if found is not None:
        return found.id
    actor_ids = find_actor_ids(session, reference) if not text_problem(reference) else []
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


def actors_named(session: Session, name: str) -> list[int]:
    """The ids of the actors a name or alias designates, under any case, diacritics or transliteration:
    how every filter by actor reads its name."""
    return find_actor_ids(session, name)


def resolve_actor(session: Session, designation: int | str, *, field_name: str = "actor") -> Actor:
    """The one actor an id, a slug or any name or alias designates; InvalidInput names the candidates."""
    if isinstance(designation, int):
        actor = repository.get_actor(session, designation)
        if actor is None:
            raise InvalidInput(f"{field_name}: there is no actor with the id {designation}.")
        return actor
    name = designation.strip()
    if not name:
        raise InvalidInput(f"{field_name}: name the actor (any name, alias or slug).")
    by_slug = repository.actor_with_slug(session, name)
    if by_slug is not None:
        return by_slug
    actor_ids = find_actor_ids(session, name)
    if not actor_ids:
        raise InvalidInput(
            f"{field_name}: no actor is called “{name}”. Check the spelling, or create the actor first."
        )
    candidates = repository.actors_by_ids(session, actor_ids)
    if len(candidates) > 1:
        listed = ", ".join(f"{actor.name} ({actor.slug})" for actor in candidates)
        raise InvalidInput(
            f"{field_name}: “{name}” could be any of {listed}. Give the slug of the one meant.",
            details={"candidates": [{"id": a.id, "slug": a.slug, "name": a.name} for a in candidates]},
        )
    return candidates[0]


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


def create_actor(session: Session, actor_input: schemas.ActorCreate, *, by: str) -> Actor:
    """Create an actor with its aliases; the canonical name is stored as an alias too. The affiliation
    is the slug of an actor on record, or a name only one actor goes by."""
    affiliation = _affiliation_id(session, actor_input.affiliation)
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
        affiliation_id=affiliation,
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
        current = repository.affiliation_of(session, current)


def update_actor(session: Session, actor: Actor, change: schemas.ActorUpdate, *, by: str) -> Actor:
    """Change the fields of an actor that `change` sets; `aliases` replaces the other names, and every
    name stays findable."""
    changes = change.model_dump(exclude_unset=True)
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
        _affiliation_id(session, changes["affiliation"]) if "affiliation" in changes else actor.affiliation_id
    )
    _check_no_cycle(session, actor, new_affiliation)
    slug = actor.slug
    if "slug" in changes and (changes["slug"] or "").strip() != actor.slug:
        slug = _checked_slug(session, (changes["slug"] or "").strip(), other_than=actor.id)
    before = actor_state(actor)
    actor.name, actor.slug, actor.kind, actor.role = name, slug, ActorKind(kind).value, role
    actor.wikidata_qid = qid
    # The relationship, not only the column, so that the actor read back shows the new affiliation.
    actor.affiliation = (
        repository.get_actor(session, new_affiliation) if new_affiliation is not None else None
    )
    actor.aliases = _alias_rows(actor, name, others)
    # Every edit, aliases only included, is an UPDATE of the actor row, which moves the version on.
    flag_modified(actor, "name")
    audit = record(session, user_name=by, action="update", row=actor, before=before)
    assert audit.after is not None
    audit.after["aliases"] = actor.other_names
    return actor


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def delete_actor(session: Session, actor: Actor, *, by: str) -> None:
    """Delete an actor nothing refers to; otherwise a Conflict that says how many things do."""
    references = repository.references_to(session, actor.id)
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


CLAIMS_PER_PAGE = 10
"""Claims on a page of an actor's claims (and of the claims they relayed statements on)."""
STATEMENTS_PER_CLAIM = 3
"""Statements shown under each claim of that page; the rest are a link away."""


def actor_claims_url(paths: Paths, slug: str, *, relayed: bool, cursor: str | None, limit: int) -> str:
    """The API's list of the claims an actor spoke on (or relayed statements on), from `cursor`."""
    query = {"cursor": cursor, "limit": None if limit == CLAIMS_PER_PAGE else limit}
    return paths("list_actor_relayed_claims" if relayed else "list_actor_claims", slug=slug, query=query)


@dataclass(frozen=True)
class _Scope:
    """Which of the statements an actor page groups: those the actor made, or those they relayed."""

    actor_id: int
    relayed: bool

    @property
    def filters(self) -> AttributionFilters:
        if self.relayed:
            return AttributionFilters(relayed_by=self.actor_id)
        return AttributionFilters(actor_ids=[self.actor_id])

    def holds(self, attribution: Attribution) -> bool:
        if self.relayed:
            return any(step.actor_id == self.actor_id for step in attribution.via)
        return attribution.actor_id == self.actor_id

    def list_url(self, paths: Paths, claim_id: int, cursor: str) -> str:
        """The rest of the scope's statements on one claim: the API's statements list, from `cursor`."""
        who = {"relayed_by": self.actor_id} if self.relayed else {"actor_id": self.actor_id}
        return paths("list_attributions", query={**who, "claim": claim_id, "cursor": cursor})


def _in_stance_order(counts: dict[str, int]) -> dict[str, int]:
    return {stance.value: counts[stance.value] for stance in Stance if counts.get(stance.value)}


def _claim_groups(
    paths: Paths, scope: _Scope, counts: dict[int, dict[str, int]], loaded: list[Attribution]
) -> list[schemas.ClaimStatements]:
    """One group per claim of `counts` (in its order), with the first statements of `loaded` on it."""
    shown: dict[int, list[AttributionSchema]] = {}
    for row in loaded:  # in id order
        on_claim = shown.setdefault(row.claim_id, [])
        if row.claim_id in counts and scope.holds(row) and len(on_claim) < STATEMENTS_PER_CLAIM:
            on_claim.append(AttributionSchema.model_validate(row))
    groups = []
    for claim_id, claim_counts in counts.items():
        statements = shown.get(claim_id)
        if not statements:  # deleted between the two queries
            continue
        total = sum(claim_counts.values())
        cursor = encode_cursor(statements[-1].id) if total > len(statements) else None
        ordered = _in_stance_order(claim_counts)
        groups.append(
            schemas.ClaimStatements(
                claim=statements[0].claim,
                stances=list(ordered),
                counts=ordered,
                attributions=CountedPage(
                    items=statements,
                    next_cursor=cursor,
                    total=total,
                    next_url=scope.list_url(paths, claim_id, cursor) if cursor else None,
                ),
            )
        )
    return groups


def _claims_page(
    session: Session,
    paths: Paths,
    actor: Actor,
    scopes: list[tuple[_Scope, int, int | None]],
    *,
    limit: int,
) -> list[CountedPage[schemas.ClaimStatements]]:
    """For each (scope, how many claims it has, the claim it continues after): that page of claims,
    each with its counts and first statements. The statements of every scope load together."""
    counted = [
        (
            scope,
            total,
            repository.claim_stance_counts(session, scope.filters, after_claim_id=after, limit=limit)
            if total
            else {},
        )
        for scope, total, after in scopes
    ]
    loaded = repository.first_on_each_claim(
        session,
        [(scope.filters, list(counts)[:limit]) for scope, _total, counts in counted],
        per_claim=STATEMENTS_PER_CLAIM,
    )
    pages: list[CountedPage[schemas.ClaimStatements]] = []
    for scope, total, counts in counted:
        on_page = dict(list(counts.items())[:limit])
        cursor = encode_cursor(list(on_page)[-1]) if len(counts) > limit else None
        pages.append(
            CountedPage(
                items=_claim_groups(paths, scope, on_page, loaded),
                next_cursor=cursor,
                total=total,
                next_url=actor_claims_url(
                    paths, actor.slug, relayed=scope.relayed, cursor=cursor, limit=limit
                )
                if cursor
                else None,
            )
        )
    return pages


def stance_matrix(totals: dict[str, int], claims: list[schemas.ClaimStatements]) -> schemas.StanceMatrix:
    """The stances the actor took on any claim, with their totals over all claims, × the claims of the
    page, each cell the number of statements."""
    taken = [stance for stance in Stance if totals.get(stance.value)]
    columns = [schemas.StanceColumn(stance=s.value, label=s.label, total=totals[s.value]) for s in taken]
    rows = [
        schemas.StanceMatrixRow(
            claim=group.claim,
            counts={s.value: group.counts.get(s.value, 0) for s in taken},
            total=group.attributions.total,
        )
        for group in claims
    ]
    return schemas.StanceMatrix(columns=columns, rows=rows)


def _actor_or_404(session: Session, slug: str) -> Actor:
    actor = repository.get_actor_by_slug(session, slug)
    if actor is None:
        raise NotFound(f"There is no actor '{slug}'.", details=_suggestion(session, slug))
    return actor


def get_actor(
    session: Session,
    slug: str,
    *,
    paths: Paths,
    claims_after: int | None = None,
    relayed_after: int | None = None,
    limit: int = CLAIMS_PER_PAGE,
) -> schemas.ActorDetail:
    """An actor with their totals, and a page of the claims they spoke on and of those they relayed
    statements on, each claim with its counts and first statements: all counted by the database, in
    a fixed number of queries whatever the number of statements."""
    actor = _actor_or_404(session, slug)
    said, relayed = _Scope(actor.id, relayed=False), _Scope(actor.id, relayed=True)
    said_totals, said_claims = repository.stance_totals(session, said.filters)
    relayed_totals, relayed_claims = repository.stance_totals(session, relayed.filters)
    claims, relayed_page = _claims_page(
        session,
        paths,
        actor,
        [(said, said_claims, claims_after), (relayed, relayed_claims, relayed_after)],
        limit=limit,
    )
    return schemas.ActorDetail(
        **_actor_schema(actor, sum(said_totals.values())).model_dump(),
        stance_matrix=stance_matrix(said_totals, claims.items),
        claims=claims,
        relayed_count=sum(relayed_totals.values()),
        relayed=relayed_page,
    )


def list_actor_claims(
    session: Session, slug: str, *, paths: Paths, relayed: bool, page: PageRequest
) -> CountedPage[schemas.ClaimStatements]:
    """A page of the claims an actor spoke on (or relayed statements on), as in the actor's answer."""
    actor = _actor_or_404(session, slug)
    scope = _Scope(actor.id, relayed=relayed)
    _totals, claim_count = repository.stance_totals(session, scope.filters)
    (claims,) = _claims_page(session, paths, actor, [(scope, claim_count, page.after_id)], limit=page.limit)
    return claims


@dataclass(frozen=True)
class ActorClaimStatements:
    """Every statement of an actor on one claim (or that they relayed), a page at a time."""

    actor: ActorBrief
    claim: ClaimRef
    relayed: bool
    statements: CountedPage[AttributionSchema]


def actor_claim_statements(
    session: Session, slug: str, claim_id: int, *, relayed: bool, page: PageRequest
) -> ActorClaimStatements:
    """A page of what an actor said (or relayed) on one claim, in id order, with how many in all."""
    actor = _actor_or_404(session, slug)
    claim = repository.get_claim(session, claim_id)
    if claim is None or claim.deleted_at is not None:
        raise NotFound(f"There is no claim {claim_id}.")
    filters = replace(_Scope(actor.id, relayed=relayed).filters, claim_id=claim_id)
    rows = list_attributions(session, filters, after_id=page.after_id, limit=page.limit)
    listed = paginate([AttributionSchema.model_validate(row) for row in rows], page.limit)
    return ActorClaimStatements(
        actor=ActorBrief.model_validate(actor),
        claim=ClaimRef.model_validate(claim),
        relayed=relayed,
        statements=CountedPage(
            items=listed.items, next_cursor=listed.next_cursor, total=count_attributions(session, filters)
        ),
    )


SUGGESTIONS = 8


def suggest_actors(session: Session, typed: str) -> schemas.ActorSuggestions:
    """A few actors a name typed so far may mean, under any spelling (`rop` finds Röpcke)."""
    key = fold_name(typed)
    if not key:
        return schemas.ActorSuggestions(items=[])
    actors = repository.actors_named_like(session, key, query_words(typed)[:MAX_TERMS], limit=SUGGESTIONS)
    return schemas.ActorSuggestions(items=[schemas.ActorSuggestion.model_validate(a) for a in actors])


def resolve_slug(session: Session, name: str) -> str | None:
    """The slug of the one actor a name designates, for redirecting a misspelt actor link."""
    actor_ids = find_actor_ids(session, name.replace("-", " "))
    if len(actor_ids) != 1:
        return None
    return repository.slugs_of(session, actor_ids)[0]


def _suggestion(session: Session, name: str) -> dict[str, list[str]]:
    actor_ids = find_actor_ids(session, name.replace("-", " "))
    return {"did_you_mean": repository.slugs_of(session, actor_ids)} if actor_ids else {}
