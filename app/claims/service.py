"""Rules for claims: their relations and their verification status with its history."""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from app.actors.service import actors_named
from app.audit.service import mark_deleted, record, snapshot
from app.claims import provenance, repository, schemas
from app.errors import Conflict, InvalidInput, NotFound
from app.fulltext.repository import words_are_common
from app.fulltext.words import MAX_TERMS, query_words
from app.models import Claim, ClaimRelation, Source, StatusChange
from app.models.base import utcnow
from app.names import slugify
from app.pagination import MAX_ID, PageRequest, encode_cursor, encode_moment, paginate
from app.repository import check_not_deleted, gone
from app.schemas import ActorBrief, ClaimRef, Page, SourceRef
from app.statements.repository import (
    AttributionFilters,
    attributions_by_ids,
    count_attributions,
    count_deleted_attributions,
    deleted_attributions,
    list_attributions,
)
from app.statements.schemas import Attribution as AttributionSchema
from app.text import visible_field
from app.urls import Paths
from app.vocabulary import SUPPORTING_STANCES, RelationKind, Stance, VerificationStatus, is_contested

MAX_CLAIM_CHARS = 2_000


def _clean_claim_text(text: str) -> str:
    """The claim's text tidied (see app.text), its inner runs of whitespace made one space."""
    text = " ".join(text.split())
    if not text:
        raise InvalidInput("A claim needs a text: one checkable proposition.")
    text = visible_field("text", text)
    if len(text) > MAX_CLAIM_CHARS:
        raise InvalidInput(
            f"A claim is one proposition of at most {MAX_CLAIM_CHARS} characters; this one has {len(text)}."
        )
    return text


def _unique_slug(session: Session, text: str) -> str:
    base = slugify(text, max_length=60)
    taken = repository.slugs_starting_with(session, base)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_not_duplicate(session: Session, text: str, *, other_than: int | None = None) -> None:
    existing = repository.claim_with_text(session, text, other_than=other_than)
    if existing is not None:
        where = " (deleted: an administrator can restore it)" if existing.deleted_at is not None else ""
        raise Conflict(
            f"Claim {existing.id} already says exactly this{where}: attribute statements to it instead.",
            details={"existing_claim_id": existing.id},
        )


def _checked_related(
    session: Session, related: list[schemas.RelatedClaimInput], *, claim_id: int | None
) -> list[schemas.RelatedClaimInput]:
    """The relations without repeats, each to an existing, live claim other than this one."""
    unique = list(dict.fromkeys(related))
    found = repository.claims_by_ids(session, [item.claim_id for item in unique])
    for item in unique:
        if item.claim_id == claim_id:
            raise InvalidInput(f"Claim {item.claim_id} cannot be related to itself.")
        other = found.get(item.claim_id)
        if other is None:
            raise InvalidInput(f"There is no claim {item.claim_id} to relate this claim to.")
        if other.deleted_at is not None:
            raise InvalidInput(f"Claim {item.claim_id} is deleted: it cannot be related to.")
    return unique


def _relations_json(relations: list[ClaimRelation]) -> list[dict[str, Any]]:
    return [{"claim_id": relation.related_claim_id, "kind": relation.kind} for relation in relations]


def create_claim(
    session: Session, claim_create: schemas.ClaimCreate, *, by: str, slug: str | None = None
) -> Claim:
    """Create a claim, unverified, with its outgoing relations; one audit record holds them all. The
    slug is made from the text, unless one is given (the seeds'), which must be free."""
    text = _clean_claim_text(claim_create.text)
    related = _checked_related(session, claim_create.related, claim_id=None)
    _check_not_duplicate(session, text)
    if slug is not None and repository.slug_is_taken(session, slug):
        raise Conflict(f"A claim with the slug '{slug}' exists already.")
    claim = Claim(
        slug=slug or _unique_slug(session, text),
        text=text,
        verification_status=VerificationStatus.UNVERIFIED.value,
    )
    claim.relations = [
        ClaimRelation(related_claim_id=item.claim_id, kind=item.kind.value) for item in related
    ]
    session.add(claim)
    audit = record(session, user_name=by, action="create", row=claim)
    assert audit.after is not None
    audit.after["related"] = _relations_json(claim.relations)
    return claim


def claim_for_change(session: Session, claim_id: int, *, deleted: bool = False) -> Claim:
    """The claim to change, with its relations; NotFound, or Gone unless `deleted` asks for a deleted one."""
    claim = repository.get_claim_for_change(session, claim_id)
    if claim is None:
        raise NotFound(f"There is no claim {claim_id}.")
    if deleted and claim.deleted_at is None:
        raise Conflict(f"Claim {claim_id} is not deleted: there is nothing to restore.")
    return claim if deleted else check_not_deleted(claim, _named(claim))


def update_claim(session: Session, claim: Claim, claim_update: schemas.ClaimUpdate, *, by: str) -> Claim:
    """Change a claim's text and/or replace its outgoing relations; the version always moves on."""
    new_text = _clean_claim_text(claim_update.text) if claim_update.text is not None else claim.text
    related = claim_update.related
    if related is not None:
        related = _checked_related(session, related, claim_id=claim.id)
    if new_text != claim.text:
        _check_not_duplicate(session, new_text, other_than=claim.id)
    before = {**snapshot(claim), "related": _relations_json(claim.relations)}
    claim.text = new_text
    if related is not None:
        wanted = {(item.claim_id, item.kind.value) for item in related}
        kept = [r for r in claim.relations if (r.related_claim_id, r.kind) in wanted]
        have = {(r.related_claim_id, r.kind) for r in kept}
        claim.relations = kept + [
            ClaimRelation(related_claim_id=item.claim_id, kind=item.kind.value)
            for item in related
            if (item.claim_id, item.kind.value) not in have
        ]
    # Touching the row makes every edit, relations only included, an UPDATE that moves the version on.
    claim.updated_at = utcnow()
    audit = record(session, user_name=by, action="update", row=claim, before=before)
    assert audit.after is not None
    audit.after["related"] = _relations_json(claim.relations)
    return claim


def related_labels(session: Session, claim: Claim) -> list[tuple[str, RelationKind]]:
    """A claim's outgoing relations as its form shows them: each related claim's label, and the kind."""
    texts = repository.claim_texts(session, [relation.related_claim_id for relation in claim.relations])
    return [
        (
            claim_label(relation.related_claim_id, texts.get(relation.related_claim_id, "")),
            RelationKind(relation.kind),
        )
        for relation in claim.relations
    ]


def delete_claim(session: Session, claim: Claim, *, by: str) -> Claim:
    """Soft-delete a claim: it leaves every list, its page answers 410, an admin can restore it."""
    return mark_deleted(session, claim, deleted=True, by=by)


def restore_claim(session: Session, claim: Claim, *, by: str) -> Claim:
    """Bring a soft-deleted claim back, with the statements it had."""
    return mark_deleted(session, claim, deleted=False, by=by)


def _named(claim: Claim) -> str:
    """A claim as messages name it: its number and its text."""
    return f"Claim {claim.id} (“{claim.text}”)"


def relate_claims(
    session: Session, claim: Claim, related: Claim, kind: RelationKind, *, by: str
) -> ClaimRelation:
    """Record that `claim` <kind> `related` (e.g. the false-flag claim contradicts the strike claim)."""
    if claim.id == related.id:
        raise InvalidInput("A claim cannot be related to itself.")
    relation = ClaimRelation(claim_id=claim.id, related_claim_id=related.id, kind=kind.value)
    session.add(relation)
    record(session, user_name=by, action="create", row=relation)
    return relation


# Reading

NAMED_ACTORS = 3
"""Actors named per stance in a claim's one-line summary (all are counted)."""
STATEMENTS_PER_STANCE = 5
"""Statements shown per stance on a claim (all are counted; the statements list pages the rest)."""
HISTORY_SHOWN = 20
"""Status changes shown on a claim (the history endpoint pages through them all)."""
SOURCES_SHOWN = 20
"""Sources named on a claim, to cite as evidence (all are counted)."""


def _stance_summary(stances: list[schemas.StanceCount]) -> str:
    parts: list[str] = []
    for count in stances:
        names = ", ".join(count.actors) + (
            f" and {count.actor_count - len(count.actors):,} more"
            if count.actor_count > len(count.actors)
            else ""
        )
        heading = Stance(count.stance).heading
        if parts:
            heading = heading[0].lower() + heading[1:]
        parts.append(f"{heading} {names}" if heading.endswith(" by") else f"{heading}: {names}")
    return "; ".join(parts) if parts else "Nobody is on record about this claim yet."


def _claim_schemas(
    session: Session,
    claims: list[Claim],
    counted: tuple[list[repository.StanceTally], dict[int, int]] | None = None,
) -> list[schemas.Claim]:
    """Claims with their stance counts, contested flag and summary, read from their summaries in two
    queries for all of them (`counted` when the caller has the tallies and source counts already)."""
    if counted is None:
        counted = repository.stance_tallies(session, [claim.id for claim in claims], named=NAMED_ACTORS)
    tallies, source_counts = counted
    by_claim = {(tally.claim_id, tally.stance): tally for tally in tallies}
    result = []
    for claim in claims:
        stances = [
            schemas.StanceCount(
                stance=stance.value,
                label=stance.label,
                actors=[name for _id, _slug, name, _kind in tally.first_actors],
                actor_count=tally.actor_count,
                attribution_count=tally.attribution_count,
            )
            for stance in Stance
            if (tally := by_claim.get((claim.id, stance.value))) is not None
        ]
        result.append(
            schemas.Claim(
                id=claim.id,
                slug=claim.slug,
                text=claim.text,
                verification_status=claim.verification_status,
                verification_label=VerificationStatus(claim.verification_status).label,
                contested=is_contested({Stance(count.stance) for count in stances}),
                summary=_stance_summary(stances),
                stances=stances,
                attribution_count=sum(count.attribution_count for count in stances),
                source_count=source_counts.get(claim.id, 0),
                created_at=claim.created_at,
                updated_at=claim.updated_at,
                version=claim.version,
            )
        )
    return result


def claim_filters(
    session: Session, *, actor: str | None, filters: schemas.ClaimFilters
) -> schemas.ClaimFilters | None:
    """The filters with the actor's name resolved to ids (under any spelling) and the words' plan
    chosen; None when they can match nothing (a name that designates nobody)."""
    if actor is not None:
        filters = replace(filters, actor_ids=actors_named(session, actor))
        if not filters.actor_ids:
            return None
    if filters.words:
        filters = replace(filters, common_words=words_are_common(session, filters.words, "claim"))
    return filters


def list_claims(
    session: Session, *, actor: str | None, filters: schemas.ClaimFilters, page: PageRequest
) -> Page[schemas.Claim]:
    """A page of claims; `actor` is any name or alias, under any spelling."""
    resolved = claim_filters(session, actor=actor, filters=filters)
    if resolved is None:
        return Page(items=[], next_cursor=None)
    rows = repository.list_claims(session, resolved, after_id=page.after_id, limit=page.limit)
    return paginate(_claim_schemas(session, rows), page.limit)


def newest_claims(
    session: Session, *, actor: str | None, filters: schemas.ClaimFilters, limit: int
) -> list[schemas.Claim]:
    """The `limit` newest claims that pass the filters of `list_claims`, newest first."""
    resolved = claim_filters(session, actor=actor, filters=filters)
    if resolved is None:
        return []
    return _claim_schemas(session, repository.newest_claims(session, resolved, limit=limit))


def _cited_source_id(evidence: dict[str, str | int | None]) -> int | None:
    source_id = evidence.get("source_id")
    return source_id if isinstance(source_id, int) else None


def _cited_source_ids(changes: list[StatusChange]) -> set[int]:
    cited = {_cited_source_id(item) for change in changes for item in change.evidence}
    return {source_id for source_id in cited if source_id is not None}


def _history(changes: list[StatusChange], sources: Mapping[int, Source]) -> list[schemas.StatusChange]:
    """Status changes as the API shows them; `sources` holds at least the sources they cite."""
    return [
        schemas.StatusChange(
            id=change.id,
            from_status=change.from_status,
            from_label=VerificationStatus(change.from_status).label if change.from_status else None,
            to_status=change.to_status,
            to_label=VerificationStatus(change.to_status).label,
            rationale=change.rationale,
            evidence=[
                schemas.Evidence(
                    source=SourceRef.model_validate(source)
                    if (source := sources.get(_cited_source_id(item) or 0)) is not None
                    else None,
                    url=str(item["url"]) if item.get("url") else None,
                    note=str(item["note"]) if item.get("note") else None,
                )
                for item in change.evidence
            ],
            changed_by=change.changed_by,
            changed_at=change.changed_at,
        )
        for change in changes
    ]


def shows_statement(session: Session, claim_id: int, stance: str, attribution_id: int) -> bool:
    """Whether the claim's page shows this statement: it is among the first of its stance."""
    cap = STATEMENTS_PER_STANCE
    return repository.statements_before(session, claim_id, stance, attribution_id, cap=cap) < cap


def live_claim(session: Session, claim_id: int) -> Claim:
    """A claim to read: NotFound when there is none, Gone when it was deleted."""
    claim = repository.get_claim(session, claim_id)
    if claim is None:
        raise NotFound(f"There is no claim {claim_id}: the link may be wrong.")
    return check_not_deleted(claim, _named(claim))


def history_page(session: Session, claim: Claim, page: PageRequest) -> Page[schemas.StatusChange]:
    """A page of a claim's verification history, oldest first."""
    changes = repository.history_page(session, claim.id, after_id=page.after_id, limit=page.limit)
    sources = repository.sources_by_id(session, _cited_source_ids(changes))
    return paginate(_history(changes, sources), page.limit)


def _related(session: Session, claim_id: int) -> list[schemas.RelatedClaim]:
    related = []
    for relation in repository.relations_of(session, claim_id):
        kind = RelationKind(relation.kind)
        outgoing = relation.claim_id == claim_id
        other = relation.related_claim if outgoing else relation.claim
        if other.deleted_at is not None:
            continue  # a deleted claim is not linked to: its page would only say it is gone
        related.append(
            schemas.RelatedClaim(
                relation=kind.value if outgoing else kind.inverse_label,
                kind=kind.value,
                direction="outgoing" if outgoing else "incoming",
                claim=ClaimRef.model_validate(other),
            )
        )
    return related


def _next_url(paths: Paths, claim_id: int, stance: Stance, last_id: int) -> str:
    query = {"claim": claim_id, "stance": stance.value, "cursor": encode_cursor(last_id)}
    return paths("list_attributions", query=query)


def get_claim(session: Session, claim_id: int, *, paths: Paths) -> schemas.ClaimDetail:
    """A claim with the first statements of each stance, related claims, its latest status history,
    and provenance at a glance: independent origins per stance (the rule: app/claims/provenance.py),
    the reporting chains merged where they share a start, and the claims contradicting it side by
    side. Everything is counted by the database; the answer's size does not grow with the claim's
    statements, and neither does the number of queries."""
    claim = live_claim(session, claim_id)
    related = _related(session, claim_id)
    contradicting = list(
        {r.claim.id: r.claim for r in related if r.kind == RelationKind.CONTRADICTS.value}.values()
    )
    sides = [(ClaimRef.model_validate(claim), True), *((other, False) for other in contradicting)]
    tallies, source_counts = repository.stance_tallies(
        session, [side.id for side, _ in sides], named=NAMED_ACTORS
    )
    own_tallies = [tally for tally in tallies if tally.claim_id == claim_id]
    (summary,) = _claim_schemas(session, [claim], (own_tallies, source_counts))

    # The statements shown: the first of each stance, the first example of each path drawn, and the
    # first supporting statements of each side of a conflict; all loaded in one go.
    supporting_stances = sorted(stance.value for stance in SUPPORTING_STANCES)
    firsts = repository.first_statement_ids(
        session,
        [(claim_id, stance.value, STATEMENTS_PER_STANCE + 1) for stance in Stance]
        + [
            (side.id, stance, provenance.SUPPORTING_SHOWN)
            for side, is_this in sides
            if len(sides) > 1 and not is_this
            for stance in supporting_stances
        ],
    )
    path_rows = repository.paths(session, claim_id, limit=provenance.PATHS_SHOWN)
    wanted = {i for ids in firsts.values() for i in ids[:STATEMENTS_PER_STANCE]}
    wanted |= {row.first_attribution_id for row in path_rows}
    wanted |= {i for (other, _), ids in firsts.items() if other != claim_id for i in ids}
    loaded = {
        row.id: AttributionSchema.model_validate(row) for row in attributions_by_ids(session, sorted(wanted))
    }

    groups = []
    for stance in Stance:
        ids = firsts[(claim_id, stance.value)]
        shown = ids[:STATEMENTS_PER_STANCE]
        groups.append(
            schemas.StanceGroup(
                stance=stance.value,
                heading=stance.heading,
                attributions=[loaded[i] for i in shown],
                attribution_count=next(
                    (tally.attribution_count for tally in own_tallies if tally.stance == stance.value), 0
                ),
                next_url=_next_url(paths, claim_id, stance, shown[-1]) if len(ids) > len(shown) else None,
            )
        )

    origin_rows = repository.origins(session, claim_id, per_stance=provenance.ORIGINS_SHOWN)
    origin_sources = repository.origin_sources(
        session,
        claim_id,
        [(row.stance, row.actor_id, row.entry) for row in origin_rows],
        per_origin=provenance.ORIGIN_SOURCES_SHOWN,
    )
    path_sources = repository.path_sources(
        session,
        claim_id,
        [(row.stance, row.actor_id, row.chain_key) for row in path_rows],
        per_path=provenance.PATH_SOURCES_SHOWN,
    )
    actors = repository.actor_briefs(session, provenance.origin_actor_ids(origin_rows))
    changes, history_count = repository.latest_history(session, claim_id, limit=HISTORY_SHOWN)
    sources = repository.sources_by_id(
        session,
        provenance.origin_source_ids(origin_rows, origin_sources)
        | {leaf.source_id for leaves in path_sources.values() for leaf in leaves}
        | _cited_source_ids(changes),
    )
    supporting = {
        side.id: [
            loaded[i]
            for i in sorted(i for stance in supporting_stances for i in firsts.get((side.id, stance), []))[
                : provenance.SUPPORTING_SHOWN
            ]
        ]
        for side, _ in sides
    }
    return schemas.ClaimDetail(
        **summary.model_dump(),
        groups=groups,
        related=related,
        sources=[
            SourceRef.model_validate(source)
            for source in repository.first_sources(session, claim_id, limit=SOURCES_SHOWN)
        ],
        history=_history(changes, sources),
        history_count=history_count,
        stance_summary=provenance.stance_summary(own_tallies, origin_rows, origin_sources, actors, sources),
        chains=provenance.reporting_chains(path_rows, path_sources, loaded, sources),
        path_count=path_rows[0].path_count if path_rows else 0,
        paths_drawn=len(path_rows),
        conflicts=provenance.conflict_sides(sides, tallies, supporting),
    )


@dataclass(frozen=True)
class ClaimStatements:
    """A page of one claim's statements, narrowed to a stance, an actor or a source."""

    claim: schemas.Claim
    stance: Stance | None
    actor: ActorBrief | None
    source: SourceRef | None
    total: int
    statements: Page[AttributionSchema]


def claim_statements(
    session: Session,
    claim_id: int,
    *,
    stance: Stance | None,
    actor_id: int | None,
    source_id: int | None,
    page: PageRequest,
) -> ClaimStatements:
    """Every statement on a claim, a page at a time in id order, with how many there are."""
    claim = live_claim(session, claim_id)
    actor = repository.actor_briefs(session, {actor_id}).get(actor_id) if actor_id is not None else None
    if actor_id is not None and actor is None:
        raise InvalidInput(f"actor_id: there is no actor {actor_id}.")
    source = repository.sources_by_id(session, {source_id}).get(source_id) if source_id is not None else None
    if source_id is not None and source is None:
        raise InvalidInput(f"source: there is no source {source_id}.")
    filters = AttributionFilters(
        claim_id=claim_id,
        stance=stance,
        actor_ids=[actor_id] if actor_id is not None else None,
        source_id=source_id,
    )
    (summary,) = _claim_schemas(session, [claim])
    return ClaimStatements(
        claim=summary,
        stance=stance,
        actor=ActorBrief.model_validate(actor) if actor is not None else None,
        source=SourceRef.model_validate(source) if source is not None else None,
        total=count_attributions(session, filters),
        statements=paginate(
            [
                AttributionSchema.model_validate(row)
                for row in list_attributions(session, filters, after_id=page.after_id, limit=page.limit)
            ],
            page.limit,
        ),
    )


# Finding a claim by what an editor types in a form: its number, or words of its text. The forms show a
# chosen claim as its label ("12: Two Ukrainian helicopters…"), which designates it again by its number.

CLAIM_CHOICES = 5
"""Claims listed to choose from when words fit several."""
SUGGESTIONS = 8
LABEL_CHARS = 100
"""Characters of a claim's text in its label; the number designates it, the words let a person see it."""
CLAIM_NUMBER = re.compile(r"(\d{1,10})(:.*)?", re.DOTALL)
"""A claim's number alone, or the start of its label: the number, a colon, then (some of) its text."""


def claim_label(claim_id: int, text: str) -> str:
    """How a claim field shows a claim: its number and (the start of) its text."""
    shown = text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"
    return f"{claim_id}: {shown}"


@dataclass(frozen=True)
class ClaimPick:
    """What a claim field's text designates: one live claim, or why not, with a few to choose from."""

    typed: str
    claim: schemas.ClaimSuggestion | None = None
    problem: str | None = None
    choices: list[schemas.ClaimSuggestion] = field(default_factory=list)

    @property
    def shown(self) -> str:
        """What the field shows again: the label of the claim found, or the text as typed."""
        return self.claim.label if self.claim is not None else self.typed


def labelled(claim: Claim) -> schemas.ClaimSuggestion:
    """A claim with the label a claim field shows for it."""
    return schemas.ClaimSuggestion(
        id=claim.id,
        slug=claim.slug,
        text=claim.text,
        verification_status=claim.verification_status,
        label=claim_label(claim.id, claim.text),
    )


def _typed_words(typed: str) -> list[str]:
    """The words to look for in claims' texts: a label's text without its number."""
    number = CLAIM_NUMBER.fullmatch(typed)
    if number is not None and number.group(2) is not None:
        typed = number.group(2)[1:]
    return query_words(typed.removesuffix("…"))


def _claim_number(typed: str) -> int | None:
    number = CLAIM_NUMBER.fullmatch(typed)
    return int(number.group(1)) if number is not None and 1 <= int(number.group(1)) <= MAX_ID else None


def pick_claims(session: Session, typed: Sequence[str], *, other_than: int | None = None) -> list[ClaimPick]:
    """The one live claim each text designates: a number (or a label, which starts with one), else words
    of a claim's text (an exact text wins over texts that only hold the words). The numbers are looked up
    together, in one query; `other_than` is a claim the words are not to find (the one being edited)."""
    texts = [" ".join(text.split()) for text in typed]
    numbers = [_claim_number(text) for text in texts]
    by_id = repository.claims_by_ids(session, [number for number in numbers if number is not None])
    return [
        _pick(session, text, by_id.get(number) if number is not None else None, other_than=other_than)
        for text, number in zip(texts, numbers, strict=True)
    ]


def pick_claim(session: Session, typed: str, *, other_than: int | None = None) -> ClaimPick:
    """The one live claim a number, a label or words of a claim's text designate (see `pick_claims`)."""
    (pick,) = pick_claims(session, [typed], other_than=other_than)
    return pick


def _pick(session: Session, typed: str, numbered: Claim | None, *, other_than: int | None) -> ClaimPick:
    number = CLAIM_NUMBER.fullmatch(typed)
    if numbered is not None and numbered.deleted_at is not None:
        return ClaimPick(
            typed=typed, problem=gone(numbered, _named(numbered)).message + " Choose another claim."
        )
    if numbered is not None:
        return ClaimPick(typed=typed, claim=labelled(numbered))
    if number is not None and number.group(2) is not None:
        return ClaimPick(
            typed=typed, problem=f"There is no claim {number.group(1)}: type its words, or another number."
        )
    words = _typed_words(typed)
    if not words:
        return ClaimPick(
            typed=typed,
            problem=f"“{typed}” has no word to look for: type words of the claim's text, or its number.",
        )
    candidates = repository.claims_with_words(
        session, words[:MAX_TERMS], text_terms=" ".join(words), limit=CLAIM_CHOICES + 1, other_than=other_than
    )
    exact = [claim for claim, is_exact in candidates if is_exact]
    if len(exact) == 1 or len(candidates) == 1:
        return ClaimPick(typed=typed, claim=labelled(exact[0] if exact else candidates[0][0]))
    if not candidates:
        nothing = f"There is no claim {number.group(1)}, and no" if number is not None else "No"
        return ClaimPick(
            typed=typed,
            problem=f"{nothing} claim has the words “{typed}”: check the spelling, or type fewer words.",
        )
    choices = [labelled(claim) for claim, _exact in candidates[:CLAIM_CHOICES]]
    more = "more than " if len(candidates) > CLAIM_CHOICES else ""
    return ClaimPick(
        typed=typed,
        problem=f"“{typed}” fits {more}{len(choices)} claims: choose one, or type more of its words.",
        choices=choices,
    )


class ClaimNotPicked(InvalidInput):
    """A claim field whose text designates no single claim: the form shows why beside the field."""

    def __init__(self, pick: ClaimPick, field_name: str) -> None:
        super().__init__(f"{field_name}: {pick.problem}")
        self.pick = pick


def chosen_claim(pick: ClaimPick, field_name: str) -> schemas.ClaimSuggestion:
    """The claim a pick found; ClaimNotPicked, carrying the pick, when it found none."""
    if pick.claim is None:
        raise ClaimNotPicked(pick, field_name)
    return pick.claim


def suggest_claims(session: Session, typed: str) -> schemas.ClaimSuggestions:
    """A few live claims whose text has words starting with each word typed: the exact text first, then
    the newest."""
    words = _typed_words(" ".join(typed.split()))
    if not words:
        return schemas.ClaimSuggestions(items=[])
    found = repository.claims_with_words(
        session, words[:MAX_TERMS], text_terms=" ".join(words), limit=SUGGESTIONS
    )
    return schemas.ClaimSuggestions(items=[labelled(claim) for claim, _exact in found])


# What administrators restore: deleted claims and deleted statements, two lists paged independently.

DELETED_PER_PAGE = 50


@dataclass(frozen=True)
class DeletedClaim:
    id: int
    text: str
    deleted_at: datetime
    deleted_by: str | None


@dataclass(frozen=True)
class DeletedStatement:
    attribution: AttributionSchema
    deleted_at: datetime
    deleted_by: str | None


ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")


@dataclass(frozen=True)
class DeletedList(Generic[ItemT]):
    """One page of a list of deleted items, most recently deleted first, and how many there are."""

    items: list[ItemT]
    total: int
    next_cursor: str | None


@dataclass(frozen=True)
class DeletedItems:
    claims: DeletedList[DeletedClaim]
    statements: DeletedList[DeletedStatement]


def _moment_page(rows: list[RowT], limit: int, moment: Callable[[RowT], tuple[datetime, int]]) -> str | None:
    """The cursor after a page's last row, from `limit + 1` rows: the extra one only says there is more."""
    return encode_moment(*moment(rows[limit - 1])) if len(rows) > limit else None


def deleted_items(
    session: Session,
    *,
    claims_after: tuple[datetime, int] | None,
    statements_after: tuple[datetime, int] | None,
    limit: int | None = None,
) -> DeletedItems:
    """A page of the deleted claims and one of the deleted statements, each after its own cursor."""
    limit = limit or DELETED_PER_PAGE
    claims = repository.deleted_claims(session, after=claims_after, limit=limit)
    statements = deleted_attributions(session, after=statements_after, limit=limit)
    return DeletedItems(
        claims=DeletedList(
            items=[
                DeletedClaim(
                    id=claim.id,
                    text=claim.text,
                    deleted_at=_deleted_at(claim.deleted_at),
                    deleted_by=claim.deleted_by,
                )
                for claim in claims[:limit]
            ],
            total=repository.count_deleted_claims(session),
            next_cursor=_moment_page(claims, limit, lambda claim: (_deleted_at(claim.deleted_at), claim.id)),
        ),
        statements=DeletedList(
            items=[
                DeletedStatement(
                    attribution=AttributionSchema.model_validate(row),
                    deleted_at=_deleted_at(row.deleted_at),
                    deleted_by=row.deleted_by,
                )
                for row in statements[:limit]
            ],
            total=count_deleted_attributions(session),
            next_cursor=_moment_page(statements, limit, lambda row: (_deleted_at(row.deleted_at), row.id)),
        ),
    )


def _deleted_at(moment: datetime | None) -> datetime:
    assert moment is not None, "the list holds deleted items only"
    return moment
