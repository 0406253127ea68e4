"""Rules for claims: their relations and their verification status with its history."""

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors.repository import find_actor_ids
from app.attributions.service import attribution_schema
from app.audit.service import record, snapshot
from app.claims import provenance, repository, schemas
from app.errors import Conflict, Gone, InvalidInput, NotFound, PreconditionFailed, changed_since_form
from app.models import Claim, ClaimRelation, StatusChange
from app.models.base import utcnow
from app.names import slugify
from app.pagination import PageRequest, paginate
from app.schemas import ClaimRef, Page, SourceRef
from app.vocabulary import RelationKind, Stance, VerificationStatus, is_contested

MAX_CLAIM_CHARS = 2_000


@dataclass(frozen=True)
class Evidence:
    source_id: int | None = None
    url: str | None = None
    note: str | None = None

    def as_json(self) -> dict[str, str | int | None]:
        return {"source_id": self.source_id, "url": self.url, "note": self.note}


@dataclass(frozen=True)
class StatusInput:
    status: VerificationStatus
    rationale: str
    evidence: list[Evidence] = field(default_factory=list)


def create_claim(session: Session, text: str, *, by: str, slug: str | None = None) -> Claim:
    """Create a claim, unverified, with a unique slug."""
    text = " ".join(text.split())
    if not text:
        raise InvalidInput("A claim needs a text: one checkable proposition.")
    if len(text) > MAX_CLAIM_CHARS:
        raise InvalidInput(
            f"A claim is one proposition of at most {MAX_CLAIM_CHARS} characters; this one has {len(text)}."
        )
    slug = slug or slugify(text, max_length=60)
    if session.scalars(select(Claim.id).where(Claim.slug == slug)).first() is not None:
        raise Conflict(f"A claim with the slug '{slug}' exists already.")
    claim = Claim(slug=slug, text=text, verification_status=VerificationStatus.UNVERIFIED.value)
    session.add(claim)
    record(session, user_name=by, action="create", row=claim)
    return claim


@dataclass(frozen=True)
class RelatedInput:
    """One outgoing relation of a claim being edited: "<this claim> <kind> <claim_id>"."""

    claim_id: int
    kind: RelationKind


def _clean_claim_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise InvalidInput("A claim needs a text: one checkable proposition.")
    if len(text) > MAX_CLAIM_CHARS:
        raise InvalidInput(
            f"A claim is one proposition of at most {MAX_CLAIM_CHARS} characters; this one has {len(text)}."
        )
    return text


def _unique_slug(session: Session, text: str) -> str:
    base = slugify(text, max_length=60)
    taken = set(session.scalars(select(Claim.slug).where(Claim.slug.startswith(base, autoescape=True))))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_not_duplicate(session: Session, text: str, *, other_than: int | None = None) -> None:
    statement = select(Claim).where(Claim.text == text)
    if other_than is not None:
        statement = statement.where(Claim.id != other_than)
    existing = session.scalars(statement.limit(1)).first()
    if existing is not None:
        where = " (deleted: an administrator can restore it)" if existing.deleted_at is not None else ""
        raise Conflict(
            f"Claim {existing.id} already says exactly this{where}: attribute statements to it instead.",
            details={"existing_claim_id": existing.id},
        )


def _checked_related(
    session: Session, related: list[RelatedInput], *, claim_id: int | None
) -> list[RelatedInput]:
    """The relations without repeats, each to an existing, live claim other than this one."""
    unique = list(dict.fromkeys(related))
    wanted = {item.claim_id for item in unique}
    found = {claim.id: claim for claim in session.scalars(select(Claim).where(Claim.id.in_(wanted)))}
    for item in unique:
        if item.claim_id == claim_id:
            raise InvalidInput(f"Claim {item.claim_id} cannot be related to itself.")
        other = found.get(item.claim_id)
        if other is None:
            raise InvalidInput(f"There is no claim {item.claim_id} to relate this claim to.")
        if other.deleted_at is not None:
            raise InvalidInput(f"Claim {item.claim_id} is deleted: it cannot be related to.")
    return unique


def _relations_json(relations: list[ClaimRelation] | list[RelatedInput]) -> list[dict[str, Any]]:
    return [
        {
            "claim_id": item.related_claim_id if isinstance(item, ClaimRelation) else item.claim_id,
            "kind": item.kind if isinstance(item, ClaimRelation) else item.kind.value,
        }
        for item in relations
    ]


def new_claim(session: Session, text: str, related: list[RelatedInput], *, by: str) -> Claim:
    """Create a claim, unverified, with its outgoing relations; one audit record holds them all."""
    text = _clean_claim_text(text)
    related = _checked_related(session, related, claim_id=None)
    _check_not_duplicate(session, text)
    claim = Claim(
        slug=_unique_slug(session, text), text=text, verification_status=VerificationStatus.UNVERIFIED.value
    )
    claim.relations = [
        ClaimRelation(related_claim_id=item.claim_id, kind=item.kind.value) for item in related
    ]
    session.add(claim)
    audit = record(session, user_name=by, action="create", row=claim)
    assert audit.after is not None
    audit.after["related"] = _relations_json(related)
    return claim


def claim_for_change(session: Session, claim_id: int, *, deleted: bool = False) -> Claim:
    """The claim to change, with its relations; NotFound, or Gone unless `deleted` asks for a deleted one."""
    claim = repository.get_claim_for_change(session, claim_id)
    if claim is None:
        raise NotFound(f"There is no claim {claim_id}.")
    if deleted and claim.deleted_at is None:
        raise Conflict(f"Claim {claim_id} is not deleted: there is nothing to restore.")
    if not deleted and claim.deleted_at is not None:
        raise _gone(claim)
    return claim


def update_claim(
    session: Session, claim: Claim, *, text: str | None, related: list[RelatedInput] | None, by: str
) -> Claim:
    """Change a claim's text and/or replace its outgoing relations; the version always moves on."""
    new_text = _clean_claim_text(text) if text is not None else claim.text
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


def delete_claim(session: Session, claim: Claim, *, by: str) -> Claim:
    """Soft-delete a claim: it leaves every list, its page answers 410, an admin can restore it."""
    before = snapshot(claim)
    claim.deleted_at = utcnow()
    claim.deleted_by = by
    audit = record(session, user_name=by, action="delete", row=claim, before=before)
    audit.after = snapshot(claim)
    return claim


def restore_claim(session: Session, claim: Claim, *, by: str) -> Claim:
    """Bring a soft-deleted claim back, with the statements it had."""
    before = snapshot(claim)
    claim.deleted_at = None
    claim.deleted_by = None
    record(session, user_name=by, action="restore", row=claim, before=before)
    return claim


def stale_claim(claim: Claim, based_on: int) -> PreconditionFailed:
    """A form was filled in against an older version of the claim than the current one."""
    return changed_since_form(f"claim {claim.id}", claim.version, based_on)


def _gone(claim: Claim) -> Gone:
    assert claim.deleted_at is not None
    return Gone(
        f"Claim {claim.id} (“{claim.text}”) was deleted by {claim.deleted_by} on "
        f"{claim.deleted_at:%-d %B %Y}. An administrator can restore it.",
        details={"deleted_at": claim.deleted_at.isoformat(), "deleted_by": claim.deleted_by},
    )


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


def set_status(session: Session, claim: Claim, status_input: StatusInput, *, by: str) -> StatusChange:
    """Change a claim's verification status, appending who, why and on what evidence to its history."""
    rationale = status_input.rationale.strip()
    if not rationale:
        raise InvalidInput("A status change needs a rationale: say why the claim has this status.")
    before = snapshot(claim)
    change = StatusChange(
        claim_id=claim.id,
        from_status=claim.verification_status,
        to_status=status_input.status.value,
        rationale=rationale,
        evidence=[evidence.as_json() for evidence in status_input.evidence],
        changed_by=by,
    )
    claim.verification_status = status_input.status.value
    session.add(change)
    record(session, user_name=by, action="status_change", row=claim, before=before)
    return change


# Reading


def _stance_summary(stances: list[schemas.StanceCount]) -> str:
    parts: list[str] = []
    for count in stances:
        names = ", ".join(count.actors[:3]) + (
            f" and {len(count.actors) - 3} more" if len(count.actors) > 3 else ""
        )
        heading = Stance(count.stance).heading
        if parts:
            heading = heading[0].lower() + heading[1:]
        parts.append(f"{heading} {names}" if heading.endswith(" by") else f"{heading}: {names}")
    return "; ".join(parts) if parts else "Nobody is on record about this claim yet."


def _claim_schemas(session: Session, claims: list[Claim]) -> list[schemas.Claim]:
    """Claims with their stance counts, contested flag and summary, in one query for all of them."""
    actors_by_stance: dict[int, dict[str, dict[int, str]]] = {claim.id: {} for claim in claims}
    attribution_counts: dict[int, dict[str, int]] = {claim.id: {} for claim in claims}
    sources: dict[int, set[int]] = {claim.id: set() for claim in claims}
    for claim_id, stance, actor_id, actor_name, source_id in repository.stance_rows(
        session, [claim.id for claim in claims]
    ):
        actors_by_stance[claim_id].setdefault(stance, {})[actor_id] = actor_name
        attribution_counts[claim_id][stance] = attribution_counts[claim_id].get(stance, 0) + 1
        sources[claim_id].add(source_id)
    result = []
    for claim in claims:
        stances = [
            schemas.StanceCount(
                stance=stance.value,
                label=stance.label,
                actors=list(actors_by_stance[claim.id][stance.value].values()),
                attribution_count=attribution_counts[claim.id][stance.value],
            )
            for stance in Stance
            if stance.value in actors_by_stance[claim.id]
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
                attribution_count=sum(attribution_counts[claim.id].values()),
                source_count=len(sources[claim.id]),
                created_at=claim.created_at,
                updated_at=claim.updated_at,
                version=claim.version,
            )
        )
    return result


def list_claims(
    session: Session, *, actor: str | None, filters: repository.ClaimFilters, page: PageRequest
) -> Page[schemas.Claim]:
    """A page of claims; `actor` is any name or alias, under any spelling."""
    if actor is not None:
        filters = replace(filters, actor_ids=find_actor_ids(session, actor))
        if not filters.actor_ids:
            return Page(items=[], next_cursor=None)
    rows = repository.list_claims(session, filters, after_id=page.after_id, limit=page.limit)
    return paginate(_claim_schemas(session, rows), page.limit)


def _cited_source_id(evidence: dict[str, str | int | None]) -> int | None:
    source_id = evidence.get("source_id")
    return source_id if isinstance(source_id, int) else None


def get_claim(session: Session, claim_id: int) -> schemas.ClaimDetail:
    """A claim with its attributions grouped by stance, related claims, status history, and provenance
    at a glance: independent origins per stance (the rule: provenance.origin_key), the reporting chains
    merged where they share a start, and the claims contradicting it side by side."""
    claim = repository.get_claim(session, claim_id)
    if claim is None:
        raise NotFound(f"There is no claim {claim_id}: the link may be wrong.")
    if claim.deleted_at is not None:
        raise _gone(claim)
    (summary,) = _claim_schemas(session, [claim])
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
    # The statements of the contradicting claims come in the same query as this claim's own.
    contradicting = list(
        {r.claim.id: r.claim for r in related if r.kind == RelationKind.CONTRADICTS.value}.values()
    )
    rows = repository.attributions_of_claims(session, [claim_id, *(other.id for other in contradicting)])
    statements = [attribution_schema(row) for row in rows]
    attributions = [a for a in statements if a.claim.id == claim_id]
    groups = [
        schemas.StanceGroup(
            stance=stance.value,
            heading=stance.heading,
            attributions=[a for a in attributions if a.stance == stance.value],
        )
        for stance in Stance
    ]
    changes = repository.history_of(session, claim_id)
    cited = {_cited_source_id(item) for change in changes for item in change.evidence}
    sources = repository.sources_by_id(session, {source_id for source_id in cited if source_id is not None})
    history = [
        schemas.StatusChange(
            id=change.id,
            from_status=change.from_status,
            from_label=VerificationStatus(change.from_status).label if change.from_status else None,
            to_status=change.to_status,
            to_label=VerificationStatus(change.to_status).label,
            rationale=change.rationale,
            evidence=[
                schemas.Evidence(
                    source=SourceRef.model_validate(sources[source_id])
                    if (source_id := _cited_source_id(item)) in sources
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
    return schemas.ClaimDetail(
        **summary.model_dump(),
        groups=groups,
        related=related,
        history=history,
        stance_summary=provenance.stance_summary(attributions),
        chains=provenance.reporting_chains(attributions),
        conflicts=provenance.conflict_sides(
            ClaimRef.model_validate(claim),
            attributions,
            [(other, [a for a in statements if a.claim.id == other.id]) for other in contradicting],
        ),
    )
