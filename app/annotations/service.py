"""Statements as W3C Web Annotations, out and in.

Out: one statement (`attribution_annotation`) or a source's statements, a page at a time
(`source_annotations`), each with an absolute `id` under the public address (`PublicUrls`).

In: `import_annotations` reads annotations made elsewhere (Hypothesis, another claimtrack) against
the sources on record, re-anchors each quote by its selectors (`app.attributions.quotes.reanchor`)
and records it through `create_attribution`, the one path of every statement, with its rules. Each
annotation is imported whole or not at all (a savepoint each); those that cannot be are reported
with the reason, and the others are kept.

What a statement needs beyond its quote is read from the annotation's tags (a body's `tagging`
values, or Hypothesis's `tags`), the convention claimtrack writes them in:

    actor:NAME      the speaker: a slug, or any name or alias that designates one actor
    stance:STANCE   asserted, confirmed, denied, disputed, could_not_verify, declined_to_comment
    claim:CLAIM     the claim: its number, or words of its text that fit one claim
    medium:MEDIUM   the speaker's medium (optional)
    via:[N:]ACTOR[:MEDIUM]   a step of the reporting chain: step N (from 1), or in the tags' order

and its comment (a `commenting` body, or Hypothesis's `text`) becomes the statement's note.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.annotations import repository, schemas
from app.annotations.reading import ReadAnnotation, read_annotations
from app.attributions.quotes import QuoteAnchor, reanchor
from app.attributions.schemas import AttributionCreate
from app.attributions.service import create_attribution
from app.claims.service import chosen_claim, pick_claim
from app.errors import AppError, Conflict, NotFound
from app.models import Attribution, Source
from app.pagination import PageRequest, encode_cursor
from app.repository import check_not_deleted
from app.seeds import SEED_USER
from app.statements.repository import AttributionFilters, count_attributions
from app.urls import PublicUrls
from app.vocabulary import Stance

# Out


def _target(attribution: Attribution) -> schemas.Target:
    source = attribution.source
    return schemas.Target(
        source=source.url or f"urn:sha256:{source.sha256}",
        selector=[
            schemas.TextQuoteSelector(
                exact=attribution.quote_exact,
                prefix=attribution.quote_prefix,
                suffix=attribution.quote_suffix,
            ),
            schemas.TextPositionSelector(start=attribution.quote_start, end=attribution.quote_end),
        ],
    )


def statement_tags(attribution: Attribution) -> list[str]:
    """The tags that say, in claimtrack's convention (see the module), what the statement is."""
    tags = [
        f"actor:{attribution.actor.slug}",
        f"stance:{attribution.stance}",
        f"claim:{attribution.claim_id}",
    ]
    if attribution.medium:
        tags.append(f"medium:{attribution.medium}")
    for step in attribution.via:
        medium = f":{step.medium}" if step.medium else ""
        tags.append(f"via:{step.position + 1}:{step.actor.slug}{medium}")
    return tags


def _creator(recorded: repository.Recorded | None) -> schemas.Agent | None:
    if recorded is None or recorded.creator is None:
        return None
    user_name = recorded.creator
    if user_name == SEED_USER:
        return schemas.Agent(type="Software", name="claimtrack seed loader", nickname=user_name)
    return schemas.Agent(type="Person", nickname=user_name)


def _annotation(
    attribution: Attribution,
    recorded: repository.Recorded | None,
    urls: PublicUrls,
    *,
    with_context: bool,
) -> schemas.Annotation:
    stance = Stance(attribution.stance)
    body: list[schemas.TextualBody | schemas.SpecificResource] = [
        schemas.TextualBody(
            purpose="describing",
            value=f"{attribution.actor.name} {stance.label}: {attribution.claim.text}",
        ),
        *(schemas.TextualBody(purpose="tagging", value=tag) for tag in statement_tags(attribution)),
        schemas.SpecificResource(
            purpose="identifying", source=urls("actor_page", slug=attribution.actor.slug)
        ),
        schemas.SpecificResource(purpose="linking", source=urls("claim_page", claim_id=attribution.claim_id)),
    ]
    if attribution.note:
        body.append(schemas.TextualBody(purpose="commenting", value=attribution.note))
    return schemas.Annotation(
        context=schemas.ANNO_CONTEXT if with_context else None,
        id=urls("get_attribution_annotation", attribution_id=attribution.id),
        created=attribution.created_at,
        modified=recorded.modified if recorded is not None else None,
        creator=_creator(recorded),
        generator=schemas.Agent(type="Software", name="claimtrack"),
        body=body,
        target=_target(attribution),
    )


def attribution_annotation(session: Session, attribution_id: int, *, urls: PublicUrls) -> schemas.Annotation:
    """One statement as a Web Annotation; NotFound, or Gone for a deleted one (or of a deleted claim)."""
    attribution = repository.attribution_for_annotation(session, attribution_id)
    if attribution is None:
        raise NotFound(f"There is no attribution {attribution_id}.")
    check_not_deleted(attribution, f"Attribution {attribution_id}")
    check_not_deleted(
        attribution.claim, f"Attribution {attribution_id} belongs to claim {attribution.claim_id}, which"
    )
    recorded = repository.recorded(session, [attribution.id]).get(attribution.id)
    return _annotation(attribution, recorded, urls, with_context=True)


def source_annotations(
    session: Session, source_id: int, page: PageRequest, *, paged: bool, urls: PublicUrls
) -> schemas.AnnotationCollection | schemas.AnnotationPage:
    """A source's statements as an AnnotationCollection with its first page embedded; or, `paged`
    (a `cursor` was given, empty for the first), that page alone."""
    source = repository.source_identity(session, source_id)
    if source is None:
        raise NotFound(f"There is no source {source_id}.")
    rows = repository.source_annotations(session, source_id, after_id=page.after_id, limit=page.limit)
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    recorded = repository.recorded(session, [row.id for row in rows])
    collection_id = urls("list_source_annotations", source_id=source_id)
    total = count_attributions(session, AttributionFilters(source_id=source_id))

    def page_url(after_id: int | None) -> str:
        cursor = encode_cursor(after_id) if after_id is not None else ""
        return urls(
            "list_source_annotations", source_id=source_id, query={"cursor": cursor, "limit": page.limit}
        )

    annotations_page = schemas.AnnotationPage(
        context=schemas.ANNO_CONTEXT if paged else None,
        id=page_url(page.after_id),
        part_of=schemas.CollectionRef(id=collection_id, total=total),
        next=page_url(rows[-1].id) if more else None,
        items=[_annotation(row, recorded.get(row.id), urls, with_context=False) for row in rows],
    )
    if paged:
        return annotations_page
    return schemas.AnnotationCollection(
        context=schemas.ANNO_CONTEXT,
        id=collection_id,
        label=f"Statements in “{source.title}”",
        total=total,
        first=annotations_page,
    )


# In


Outcome = Literal["imported", "recorded", "failed"]


@dataclass(frozen=True)
class AnnotationResult:
    """What became of one annotation of the file."""

    label: str
    outcome: Outcome
    message: str
    attribution_id: int | None = None


@dataclass
class ImportReport:
    results: list[AnnotationResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def failed(self) -> list[AnnotationResult]:
        return [result for result in self.results if result.outcome == "failed"]


class NotImported(AppError):
    """Why one annotation cannot be imported."""


TAG = re.compile(r"\s*(actor|stance|claim|medium|via)\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
NUMBERED_STEP = re.compile(r"(\d{1,2})\s*:\s*([^:]+?)\s*(?::\s*(.*))?", re.DOTALL)


@dataclass
class StatementTags:
    actor: str | None = None
    stance: Stance | None = None
    claim: str | None = None
    medium: str | None = None
    via: list[dict[str, Any]] = field(default_factory=list)


def _stance(value: str) -> Stance:
    normalised = re.sub(r"[\s-]+", "_", value.strip().lower())
    try:
        return Stance(normalised)
    except ValueError:
        allowed = ", ".join(stance.value for stance in Stance)
        raise NotImported(f"the tag stance:{value} names no stance; the stances are {allowed}.") from None


def read_tags(tags: Sequence[str]) -> StatementTags:
    """The statement the tags describe (see the module's convention); tags of other kinds are ignored."""
    found = StatementTags()
    numbered: list[tuple[int, dict[str, Any]]] = []
    unnumbered: list[dict[str, Any]] = []
    for tag in tags:
        match = TAG.fullmatch(tag)
        if match is None:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if not value:
            raise NotImported(f"the tag {tag!r} gives no {key}.")
        if key == "via":
            step = NUMBERED_STEP.fullmatch(value)
            if step is not None:
                numbered.append(
                    (int(step.group(1)), {"actor": step.group(2), "medium": step.group(3) or None})
                )
            else:
                actor, _colon, medium = value.partition(":")
                unnumbered.append({"actor": actor.strip(), "medium": medium.strip() or None})
            continue
        current = getattr(found, key)
        if current is not None:
            raise NotImported(f"it has two {key} tags ({key}:{current} and {tag}); keep one.")
        setattr(found, key, _stance(value) if key == "stance" else value)
    if numbered and unnumbered:
        raise NotImported("its via tags mix numbered steps (via:1:ACTOR) and unnumbered ones (via:ACTOR).")
    positions = [position for position, _step in numbered]
    if len(set(positions)) != len(positions):
        raise NotImported("two of its via tags give the same step number.")
    found.via = [step for _position, step in sorted(numbered, key=lambda item: item[0])] or unnumbered
    missing = [key for key in ("actor", "stance", "claim") if getattr(found, key) is None]
    if missing:
        wanted = ", ".join(f"{key}:…" for key in missing)
        raise NotImported(
            f"it does not say its {' and '.join(missing)}: tag it {wanted} (see `claimtrack "
            "import-annotations --help`)."
        )
    return found


class _Sources:
    """The sources an import targets, looked up once per address."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.found: dict[str, list[Source]] = {}

    def at(self, address: str) -> list[Source]:
        if address not in self.found:
            self.found[address] = self._look_up(address)
        return self.found[address]

    def _look_up(self, address: str) -> list[Source]:
        if address.lower().startswith("urn:sha256:"):
            return repository.sources_with_sha256(self.session, address[len("urn:sha256:") :].lower())
        bare = address.split("#", 1)[0]
        variants = [address, bare, bare.rstrip("/"), bare.rstrip("/") + "/"]
        return repository.sources_with_url(self.session, list(dict.fromkeys(variants)))


def _anchored(read: ReadAnnotation, sources: _Sources) -> tuple[Source, QuoteAnchor]:
    """The source the annotation targets and its quote's place there, re-anchored by its selectors."""
    assert read.selectors is not None
    candidates = list({source.id: source for a in read.sources for source in sources.at(a)}.values())
    if not candidates:
        raise NotImported(
            f"no source on record is at {' or '.join(read.sources)}: add the source first (its URL, or "
            "the same text, whose SHA-256 a urn:sha256: target names)."
        )
    selectors = read.selectors
    anchored: list[tuple[Source, QuoteAnchor]] = []
    problems: list[str] = []
    for source in candidates:
        try:
            anchor = reanchor(
                source.text,
                selectors.exact,
                prefix=selectors.prefix,
                suffix=selectors.suffix,
                start=selectors.start,
                end=selectors.end,
            )
        except AppError as error:
            problems.append(error.message)
            continue
        anchored.append((source, anchor))
    if not anchored:
        raise NotImported(f"its quote could not be anchored in source {candidates[0].id}: {problems[0]}")
    if len(anchored) > 1:
        ids = ", ".join(str(source.id) for source, _anchor in anchored)
        raise NotImported(f"its quote fits several sources at this address ({ids}): it cannot be told which.")
    return anchored[0]


def _statement(session: Session, read: ReadAnnotation, sources: _Sources) -> tuple[AttributionCreate, str]:
    """The statement an annotation describes, and how its quote was anchored."""
    if read.problem is not None:
        raise NotImported(read.problem)
    tags = read_tags(read.tags)
    source, anchor = _anchored(read, sources)
    claim = chosen_claim(pick_claim(session, tags.claim or ""), "the claim tag")
    try:
        statement = AttributionCreate.model_validate(
            {
                "actor": tags.actor,
                "source_id": source.id,
                "claim_id": claim.id,
                "stance": tags.stance,
                "quote": anchor.exact,
                "quote_start": anchor.start,
                "quote_end": anchor.end,
                "medium": tags.medium,
                "via": tags.via,
                "note": read.note,
            }
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise NotImported(f"{where}: {first['msg']}.") from None
    selectors = read.selectors
    assert selectors is not None
    stated = (selectors.start, selectors.end)
    if stated == (None, None):
        how = f"anchored by its quote at {anchor.start}–{anchor.end}"
    elif stated != (anchor.start, anchor.end):
        how = (
            f"re-anchored by its quote from {selectors.start}–{selectors.end} to {anchor.start}–{anchor.end}"
        )
    else:
        how = f"at {anchor.start}–{anchor.end}"
    return statement, f"source {source.id}, {how}"


def import_annotations(session: Session, document: Any, *, by: str) -> ImportReport:
    """Import every annotation of a parsed JSON document that can be (see the module); the report says
    what became of each. AnnotationFileError when the document holds no annotations at all."""
    report = ImportReport()
    sources = _Sources(session)
    for read in read_annotations(document):
        try:
            statement, how = _statement(session, read, sources)
            with session.begin_nested():
                attribution = create_attribution(session, statement, by=by)
                session.flush()
        except Conflict as error:
            existing = error.details.get("existing_attribution_id")
            if isinstance(existing, int) and repository.deleted_at(session, existing) is None:
                report.results.append(
                    AnnotationResult(
                        read.label, "recorded", f"recorded already, as attribution {existing}", existing
                    )
                )
            else:
                report.results.append(AnnotationResult(read.label, "failed", error.message))
            continue
        except AppError as error:
            report.results.append(AnnotationResult(read.label, "failed", error.message))
            continue
        report.results.append(
            AnnotationResult(
                read.label, "imported", f"imported as attribution {attribution.id} ({how})", attribution.id
            )
        )
    return report
