"""Loading the curated seed data: source texts, their metadata, and the annotation of them.

A seed directory holds the article texts (`*.txt`, as received), `sources.yaml` (metadata the texts
lack) and `annotations.yaml` (actors, claims, attributions). The whole directory is checked before
anything is written; any error names the file and the entry, and nothing is loaded. Loading twice
changes nothing: every entity is matched on its natural key first.
"""

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator
from sqlalchemy.orm import Session

from app.actors.schemas import ActorCreate
from app.actors.service import create_actor
from app.attributions.quotes import locate
from app.attributions.schemas import AttributionCreate, ReportingStepInput
from app.attributions.service import create_attribution, find_attribution
from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim, relate_claims
from app.errors import AppError, InvalidQuote
from app.extraction import KnownActor
from app.models import Actor, Claim, ClaimRelation, Source
from app.repository import all_rows
from app.sources.schemas import SourceCreate
from app.sources.service import ingest_source, normalise_text
from app.verification.schemas import StatusChangeIn
from app.verification.service import change_status
from app.vocabulary import ActorKind, RelationKind, Stance, VerificationStatus

SEED_USER = "seed"
SOURCES_FILE = "sources.yaml"
ANNOTATIONS_FILE = "annotations.yaml"

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)]
Text = Annotated[str, StringConstraints(min_length=1)]


class SeedError(AppError):
    """A seed directory that cannot be loaded; `problems` lists every entry at fault."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("The seed data cannot be loaded:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceEntry(_Entry):
    file: Text
    title: Text
    title_supplied: bool = False
    outlet: str | None = None
    url: str | None = None
    published_on: date | None = None
    language: str = "en"
    notes: str | None = None


class SourcesFile(_Entry):
    sources: list[SourceEntry]


class ActorEntry(_Entry):
    slug: Key
    name: Text
    kind: ActorKind
    role: str | None = None
    affiliation: Key | None = None
    wikidata: Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$")] | None = None
    aliases: list[Text] = Field(default_factory=list)


class EvidenceEntry(_Entry):
    source: str | None = None
    url: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _source_or_url(self) -> "EvidenceEntry":
        if not self.source and not self.url:
            raise ValueError("evidence needs a `source` (a seed file name) or a `url`")
        return self


class RelationEntry(_Entry):
    claim: Key
    kind: RelationKind


class ClaimEntry(_Entry):
    key: Key
    text: Text
    status: VerificationStatus = VerificationStatus.UNVERIFIED
    rationale: str | None = None
    evidence: list[EvidenceEntry] = Field(default_factory=list)
    related: list[RelationEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rationale_with_status(self) -> "ClaimEntry":
        if self.status is not VerificationStatus.UNVERIFIED and not (self.rationale or "").strip():
            raise ValueError(f"status '{self.status.value}' needs a rationale")
        return self


class ViaEntry(_Entry):
    actor: Key
    medium: str | None = None


class AttributionEntry(_Entry):
    source: Text
    actor: Key
    claim: Key
    stance: Stance
    quote: Text
    occurrence: Annotated[int, Field(ge=1)] | None = None
    medium: str | None = None
    via: list[ViaEntry] = Field(default_factory=list)
    note: str | None = None


class AnnotationsFile(_Entry):
    actors: list[ActorEntry]
    claims: list[ClaimEntry]
    attributions: list[AttributionEntry]


class ActorsFile(BaseModel):
    """The actors of an annotations file, whatever else it holds: a gazetteer for the extractor."""

    actors: list[ActorEntry]


class SeedData(BaseModel):
    """A checked seed directory: every reference resolves and every quote is in its source."""

    sources: list[SourceEntry]
    texts: dict[str, str]
    annotations: AnnotationsFile


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SeedError([f"{path}: file not found"]) from error
    except UnicodeDecodeError as error:
        raise SeedError([f"{path}: not valid UTF-8 ({error.reason} at byte {error.start})"]) from error
    except yaml.YAMLError as error:
        raise SeedError([f"{path}: not valid YAML: {error}"]) from error


def _describe(document: Any, location: tuple[int | str, ...]) -> str:
    """Name an entry by its position and, where it has one, its key: `attributions[12] (kuleba …)`."""
    parts: list[str] = []
    node = document
    for step in location:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        else:
            parts.append(("." if parts else "") + step)
        node = _child(node, step)
        if isinstance(step, int) and isinstance(node, dict):
            label = node.get("slug") or node.get("key") or node.get("file")
            if label is None and "actor" in node:
                label = f"actor {node.get('actor')}, claim {node.get('claim')}, source {node.get('source')}"
            if label:
                parts.append(f" ({label})")
    return "".join(parts)


def _child(node: Any, step: int | str) -> Any:
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    if isinstance(node, dict):
        return node.get(step)
    return None


def _parse(path: Path, model: type[BaseModel]) -> Any:
    document = _read_yaml(path)
    try:
        return model.model_validate(document)
    except ValidationError as error:
        raise SeedError(
            [
                f"{path.name}: {_describe(document, tuple(problem['loc']))}: {problem['msg']}"
                for problem in error.errors()
            ]
        ) from error


def _status_change(claim: ClaimEntry, source_ids: dict[str, int]) -> StatusChangeIn:
    """The claim's verdict as the change that records it."""
    evidence = [
        {"source_id": source_ids[item.source] if item.source else None, "url": item.url, "note": item.note}
        for item in claim.evidence
    ]
    return StatusChangeIn.model_validate(
        {"status": claim.status, "rationale": claim.rationale, "evidence": evidence}
    )


def _status_change_problems(claim: ClaimEntry) -> list[str]:
    """What makes the claim's verdict one the tracker refuses, checked before anything is written."""
    placeholder_ids = {item.source: 1 for item in claim.evidence if item.source}
    try:
        _status_change(claim, placeholder_ids)
    except ValidationError as error:
        located = [(".".join(map(str, problem["loc"])), problem["msg"]) for problem in error.errors()]
        return [f"{where}: {message.removeprefix('Value error, ')}" for where, message in located]
    return []


def read_actors(path: Path) -> list[ActorEntry]:
    """The actors of an annotations file (`annotations.yaml`), checked; raise SeedError naming faulty ones."""
    actors_file: ActorsFile = _parse(path, ActorsFile)
    return actors_file.actors


def known_actors(actors: Iterable[ActorEntry]) -> list[KnownActor]:
    """Actors of an annotations file as the extractor's gazetteer, each known by its slug."""
    return [
        KnownActor(
            key=actor.slug,
            name=actor.name,
            kind=actor.kind.value,
            aliases=tuple(actor.aliases),
            role=actor.role,
        )
        for actor in actors
    ]


def read_seed_dir(seed_dir: Path) -> SeedData:
    """Read and check a seed directory completely; raise SeedError naming every faulty entry."""
    sources_file: SourcesFile = _parse(seed_dir / SOURCES_FILE, SourcesFile)
    annotations: AnnotationsFile = _parse(seed_dir / ANNOTATIONS_FILE, AnnotationsFile)
    problems: list[str] = []

    texts: dict[str, str] = {}
    for index, source in enumerate(sources_file.sources):
        where = f"{SOURCES_FILE}: sources[{index}] ({source.file})"
        if source.file in texts:
            problems.append(f"{where}: listed twice")
            continue
        try:
            raw = (seed_dir / source.file).read_bytes().decode("utf-8")
        except FileNotFoundError:
            problems.append(f"{where}: no such file in {seed_dir}")
            continue
        except UnicodeDecodeError as error:
            problems.append(f"{where}: not valid UTF-8 ({error.reason} at byte {error.start})")
            continue
        texts[source.file] = normalise_text(raw)

    actor_slugs = _unique(problems, "actors", [actor.slug for actor in annotations.actors])
    claim_keys = _unique(problems, "claims", [claim.key for claim in annotations.claims])

    for index, actor in enumerate(annotations.actors):
        if actor.affiliation is not None and actor.affiliation not in actor_slugs:
            problems.append(
                f"{ANNOTATIONS_FILE}: actors[{index}] ({actor.slug}).affiliation: "
                f"unknown actor '{actor.affiliation}'"
            )
    affiliation_of = {actor.slug: actor.affiliation for actor in annotations.actors}
    for index, actor in enumerate(annotations.actors):
        seen_on_chain, slug = {actor.slug}, actor.affiliation
        while slug is not None and slug not in seen_on_chain:
            seen_on_chain.add(slug)
            slug = affiliation_of.get(slug)
        if slug == actor.slug:
            problems.append(
                f"{ANNOTATIONS_FILE}: actors[{index}] ({actor.slug}).affiliation: "
                "the affiliations form a cycle back to this actor"
            )
    for index, claim in enumerate(annotations.claims):
        where = f"{ANNOTATIONS_FILE}: claims[{index}] ({claim.key})"
        for relation in claim.related:
            if relation.claim not in claim_keys:
                problems.append(f"{where}.related: unknown claim '{relation.claim}'")
            elif relation.claim == claim.key:
                problems.append(f"{where}.related: a claim cannot be related to itself")
        for evidence in claim.evidence:
            if evidence.source is not None and evidence.source not in texts:
                problems.append(f"{where}.evidence: unknown source '{evidence.source}'")
        if claim.status is not VerificationStatus.UNVERIFIED:
            problems += [f"{where}: {problem}" for problem in _status_change_problems(claim)]

    for index, attribution in enumerate(annotations.attributions):
        where = (
            f"{ANNOTATIONS_FILE}: attributions[{index}] (actor {attribution.actor}, "
            f"claim {attribution.claim}, source {attribution.source})"
        )
        if attribution.actor not in actor_slugs:
            problems.append(f"{where}: unknown actor '{attribution.actor}'")
        if attribution.claim not in claim_keys:
            problems.append(f"{where}: unknown claim '{attribution.claim}'")
        for step in attribution.via:
            if step.actor not in actor_slugs:
                problems.append(f"{where}.via: unknown actor '{step.actor}'")
        text = texts.get(attribution.source)
        if text is None:
            problems.append(f"{where}: unknown source '{attribution.source}'")
            continue
        try:
            locate(text, attribution.quote, occurrence=attribution.occurrence)
        except InvalidQuote as error:
            problems.append(f"{where}: {error.message}")

    if problems:
        raise SeedError(problems)
    return SeedData(sources=sources_file.sources, texts=texts, annotations=annotations)


def _unique(problems: list[str], section: str, keys: list[str]) -> set[str]:
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            problems.append(f"{ANNOTATIONS_FILE}: {section}[{index}] ({key}): defined twice")
        seen.add(key)
    return seen


def load_seed_data(session: Session, data: SeedData) -> dict[str, int]:
    """Write checked seed data; entities that exist already are left as they are.

    Returns how many of each kind of entity were created. Never commits.
    """
    created = {"sources": 0, "actors": 0, "claims": 0, "relations": 0, "attributions": 0}

    sources: dict[str, Source] = {}
    for entry in data.sources:
        source, is_new = ingest_source(
            session,
            SourceCreate(
                title=entry.title,
                text=data.texts[entry.file],
                outlet=entry.outlet,
                url=entry.url,
                published_on=entry.published_on,
                language=entry.language,
                notes=entry.notes,
            ),
            by=SEED_USER,
            title_supplied=entry.title_supplied,
            file_name=entry.file,
        )
        sources[entry.file] = source
        created["sources"] += is_new

    actors = {actor.slug: actor for actor in all_rows(session, Actor)}
    # Affiliations point at other actors of the file, so actors are created in dependency order.
    pending = list(data.annotations.actors)
    while pending:
        ready = [a for a in pending if a.affiliation is None or a.affiliation in actors]
        assert ready, "read_seed_dir rejects affiliation cycles"
        for actor_entry in ready:
            pending.remove(actor_entry)
            if actor_entry.slug in actors:
                continue
            actors[actor_entry.slug] = create_actor(
                session,
                ActorCreate(
                    name=actor_entry.name,
                    kind=actor_entry.kind,
                    slug=actor_entry.slug,
                    role=actor_entry.role,
                    affiliation=actor_entry.affiliation,
                    wikidata_qid=actor_entry.wikidata,
                    aliases=actor_entry.aliases,
                ),
                by=SEED_USER,
            )
            created["actors"] += 1

    claims = {claim.slug: claim for claim in all_rows(session, Claim)}
    for claim_entry in data.annotations.claims:
        if claim_entry.key in claims:
            continue
        claim = create_claim(session, ClaimCreate(text=claim_entry.text), slug=claim_entry.key, by=SEED_USER)
        claims[claim_entry.key] = claim
        created["claims"] += 1
        if claim_entry.status is not VerificationStatus.UNVERIFIED:
            source_ids = {name: source.id for name, source in sources.items()}
            change_status(session, claim, _status_change(claim_entry, source_ids), by=SEED_USER)

    existing_relations = {
        (relation.claim_id, relation.related_claim_id, relation.kind)
        for relation in all_rows(session, ClaimRelation)
    }
    for claim_entry in data.annotations.claims:
        for relation in claim_entry.related:
            claim, related = claims[claim_entry.key], claims[relation.claim]
            if (claim.id, related.id, relation.kind.value) in existing_relations:
                continue
            relate_claims(session, claim, related, relation.kind, by=SEED_USER)
            existing_relations.add((claim.id, related.id, relation.kind.value))
            created["relations"] += 1

    for attribution_entry in data.annotations.attributions:
        claim, actor, source = (
            claims[attribution_entry.claim],
            actors[attribution_entry.actor],
            sources[attribution_entry.source],
        )
        anchor = locate(source.text, attribution_entry.quote, occurrence=attribution_entry.occurrence)
        if find_attribution(
            session, source_id=source.id, actor_id=actor.id, claim_id=claim.id, anchor=anchor
        ):
            continue
        attribution = AttributionCreate(
            claim_id=claim.id,
            actor=actor.id,
            source_id=source.id,
            stance=attribution_entry.stance,
            quote=attribution_entry.quote,
            occurrence=attribution_entry.occurrence,
            medium=attribution_entry.medium,
            note=attribution_entry.note,
            via=[
                ReportingStepInput(actor=actors[step.actor].id, medium=step.medium)
                for step in attribution_entry.via
            ],
        )
        create_attribution(session, attribution, by=SEED_USER)
        created["attributions"] += 1
    return created


def seed(session: Session, seed_dir: Path) -> dict[str, int]:
    """Check a seed directory, then load it; nothing is written if any entry is at fault."""
    return load_seed_data(session, read_seed_dir(seed_dir))
