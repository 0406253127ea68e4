"""Rules for sources: texts are normalised once, hashed, and never change afterwards."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.audit.service import record, snapshot
from app.errors import InvalidInput, NotFound
from app.fulltext.words import MAX_TERMS, query_words
from app.highlight import Highlighted, Numbered, highlight_window, text_order
from app.models import Source
from app.pagination import PageRequest, paginate, whole_number
from app.repository import get_by_id
from app.schemas import CountedPage, Page, SourceRef
from app.sources import repository, schemas
from app.sources.parts import Part, part_at, text_parts
from app.statements.repository import (
    AttributionFilters,
    attributions_by_ids,
    count_attributions,
    list_attributions,
    pending_counts,
    pending_proposals_in,
)
from app.statements.schemas import Attribution as AttributionSchema
from app.statements.schemas import ProposedStatement
from app.text import NOT_VISIBLE, clean_field, is_visible, text_problem, visible_field
from app.urls import Paths

MAX_SOURCE_CHARS = 2_000_000
MAX_TITLE_CHARS = 500
MAX_OUTLET_CHARS = 200
MAX_URL_CHARS = 2_000
MAX_LANGUAGE_CHARS = 16
MAX_NOTES_CHARS = 20_000
# A BCP 47 language tag in its common shapes: en, de, pt-BR, zh-Hant, sr-Latn-RS.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
EDITABLE_FIELDS = ("title", "outlet", "url", "published_on", "language", "notes")
"""The metadata an editor may change; the text (and so its hash) never changes."""


def normalise_text(text: str) -> str:
    """Unicode NFC with \\n line ends: the form every quote offset refers to."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _checked(field: str, value: str | None, *, limit: int, required: bool = False) -> str | None:
    """A metadata text tidied (see app.text), None when empty; refused when it shows nothing, is too
    long or cannot be stored."""
    if not (value or "").strip():
        if required:
            raise InvalidInput(f"{field}: a source needs a {field}.", details={"field": field})
        return None
    value = clean_field(field, value or "")
    if not value and not required:
        return None
    value = visible_field(field, value)
    if len(value) > limit:
        raise InvalidInput(
            f"{field}: at most {limit:,} characters; this one has {len(value):,}.", details={"field": field}
        )
    return value


def _checked_url(url: str | None) -> str | None:
    url = _checked("url", url, limit=MAX_URL_CHARS)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise InvalidInput(
            f"url: '{url}' is not a web address: give one starting with http:// or https://.",
            details={"field": "url"},
        )
    return url


def _checked_language(language: str | None) -> str:
    language = _checked("language", language, limit=MAX_LANGUAGE_CHARS) or "en"
    if not LANGUAGE_TAG.fullmatch(language):
        raise InvalidInput(
            f"language: '{language}' is not a language tag: give one such as en, de or pt-BR.",
            details={"field": "language"},
        )
    return language


def _checked_text(text: str) -> str:
    if problem := text_problem(text):
        raise InvalidInput(f"text: the source text {problem}.", details={"field": "text"})
    text = normalise_text(text)
    if not text.strip():
        raise InvalidInput("text: a source needs a text: the text given is empty.", details={"field": "text"})
    if not is_visible(text):
        raise InvalidInput(f"text: the source text {NOT_VISIBLE}.", details={"field": "text"})
    if len(text) > MAX_SOURCE_CHARS:
        raise InvalidInput(
            f"text: the source text has {len(text):,} characters; the most a source may hold is "
            f"{MAX_SOURCE_CHARS:,}.",
            details={"field": "text"},
        )
    return text


def ingest_source(
    session: Session,
    source_input: schemas.SourceCreate,
    *,
    by: str,
    title_supplied: bool = False,
    file_name: str | None = None,
) -> tuple[Source, bool]:
    """Store a source, or return the one already holding the same text; the flag says if it is new.
    A source loaded from a file names it, and says whether its title was written for it."""
    text = _checked_text(source_input.text)
    title = _checked("title", source_input.title, limit=MAX_TITLE_CHARS, required=True)
    outlet = _checked("outlet", source_input.outlet, limit=MAX_OUTLET_CHARS)
    url = _checked_url(source_input.url)
    language = _checked_language(source_input.language)
    notes = _checked("notes", source_input.notes, limit=MAX_NOTES_CHARS)
    digest = text_sha256(text)
    existing = repository.source_with_sha256(session, digest)
    if existing is not None:
        return existing, False
    source = Source(
        title=title,
        title_supplied=title_supplied,
        outlet=outlet,
        url=url,
        published_on=source_input.published_on,
        language=language,
        text=text,
        sha256=digest,
        file_name=file_name,
        notes=notes,
        ingested_by=by,
    )
    try:
        # Two editors pasting the same text at once: the unique hash lets one in; the other gets it back.
        with session.begin_nested():
            session.add(source)
    except IntegrityError:
        existing = repository.source_with_sha256(session, digest)
        if existing is None:
            raise
        return existing, False
    # The text is in the row and hashed; the audit record keeps the hash, not a second copy.
    record(session, user_name=by, action="create", row=source, exclude=frozenset({"text"}))
    return source, True


def source_with_text(session: Session, source_id: int) -> Source:
    """A source with its text loaded, even where the session holds it with the text deferred."""
    source = repository.get_source_with_text(session, source_id)
    if source is None:
        raise NotFound(f"There is no source {source_id}.")
    return source


def source_for_change(session: Session, source_id: int) -> Source:
    """The source to edit; NotFound when there is none."""
    source = get_by_id(session, Source, source_id)
    if source is None:
        raise NotFound(f"There is no source {source_id}.")
    return source


def metadata_of(source: Source) -> dict[str, Any]:
    """The editable metadata of a source, as a form or a stale-edit comparison shows it."""
    return {name: getattr(source, name) for name in EDITABLE_FIELDS}


def update_source(session: Session, source: Source, change: schemas.SourceUpdate, *, by: str) -> Source:
    """Change the metadata of a source that `change` sets; the text is immutable, since every quote's
    offsets point into it."""
    changes = change.model_dump(exclude_unset=True)
    if "text" in changes:
        raise InvalidInput(
            "text: the text of a source cannot be changed: every quote's offsets point into it. "
            "If the document was published again with another text, add that text as a new source.",
            details={"field": "text"},
        )
    checked: dict[str, Any] = {}
    if "title" in changes:
        checked["title"] = _checked("title", changes["title"], limit=MAX_TITLE_CHARS, required=True)
    if "outlet" in changes:
        checked["outlet"] = _checked("outlet", changes["outlet"], limit=MAX_OUTLET_CHARS)
    if "url" in changes:
        checked["url"] = _checked_url(changes["url"])
    if "published_on" in changes:
        checked["published_on"] = changes["published_on"]
    if "language" in changes:
        checked["language"] = _checked_language(changes["language"])
    if "notes" in changes:
        checked["notes"] = _checked("notes", changes["notes"], limit=MAX_NOTES_CHARS)
    before = snapshot(source, exclude=frozenset({"text"}))
    for name, value in checked.items():
        setattr(source, name, value)
    # Every edit is an UPDATE that moves the version on, even one that leaves the values as they were.
    flag_modified(source, "title")
    record(session, user_name=by, action="update", row=source, before=before, exclude=frozenset({"text"}))
    session.flush()
    return source


# Reading


def _source_fields(source: Source, attribution_count: int, proposals_waiting: int) -> dict[str, object]:
    return {
        "id": source.id,
        "title": source.title,
        "title_supplied": source.title_supplied,
        "outlet": source.outlet,
        "url": source.url,
        "published_on": source.published_on,
        "language": source.language,
        "sha256": source.sha256,
        "attribution_count": attribution_count,
        "proposals_waiting": proposals_waiting,
        "ingested_by": source.ingested_by,
        "ingested_at": source.ingested_at,
        "version": source.version,
    }


def list_sources(
    session: Session, *, outlet: str | None, page: PageRequest, waiting: bool = False
) -> Page[schemas.Source]:
    """A page of sources, without their texts; `waiting`: only those with proposals waiting for review."""
    rows = repository.list_sources(
        session, outlet=outlet, waiting=waiting, after_id=page.after_id, limit=page.limit
    )
    source_ids = [source.id for source in rows]
    counts = repository.attribution_counts(session, source_ids)
    waiting_counts = pending_counts(session, source_ids)
    items = [
        schemas.Source.model_validate(_source_fields(s, counts.get(s.id, 0), waiting_counts.get(s.id, 0)))
        for s in rows
    ]
    return paginate(items, page.limit)


FIRST_STATEMENTS = 50
"""Statements in a source's API answer; the statements list continues it."""


def _source_or_404(session: Session, source_id: int) -> Source:
    source = get_by_id(session, Source, source_id)
    if source is None:
        raise NotFound(f"There is no source {source_id}.")
    return source


def get_source(session: Session, source_id: int, *, paths: Paths) -> schemas.SourceDetail:
    """A source with its full text, how many statements it carries and the first page of them."""
    source = _source_or_404(session, source_id)
    filters = AttributionFilters(source_id=source_id)
    total = count_attributions(session, filters)
    first = paginate(
        [
            AttributionSchema.model_validate(row)
            for row in list_attributions(session, filters, after_id=None, limit=FIRST_STATEMENTS)
        ],
        FIRST_STATEMENTS,
    )
    next_url = (
        paths("list_attributions", query={"source": source_id, "cursor": first.next_cursor})
        if first.next_cursor
        else None
    )
    return schemas.SourceDetail.model_validate(
        {
            **_source_fields(source, total, pending_counts(session, [source_id]).get(source_id, 0)),
            "text": source.text,
            "notes": source.notes,
            "attributions": CountedPage(
                items=first.items, next_cursor=first.next_cursor, total=total, next_url=next_url
            ),
        }
    )


@dataclass(frozen=True)
class SourcePage:
    """What a source's page shows: its details, and one part of its text with the statements in it.

    A short text is one part, the whole text. The statements are numbered in text order over the whole
    source, so that a statement keeps its number in every part it reaches into.
    """

    source: schemas.SourceAbout
    language: str
    part: Part
    parts: list[Part]
    highlighted: Highlighted[AttributionSchema]
    statement_count: int
    proposals: Highlighted[ProposedStatement]
    """The text of the part again, with the proposals waiting for review in it highlighted."""
    proposals_waiting: int
    """In the whole source."""

    @property
    def in_parts(self) -> bool:
        return self.part.count > 1


def get_source_page(
    session: Session, source_id: int, *, part: int | None = None, statement: int | None = None
) -> SourcePage:
    """A source's page: part `part` of its text (from 1), or the part where statement `statement`
    starts, or the first; the text highlighted, with the statements that reach into that part."""
    source = _source_or_404(session, source_id)
    bounds = repository.span_bounds(session, source_id)
    parts = text_parts(source.text, [(start, end) for _id, start, end in bounds])
    starts = {attribution_id: start for attribution_id, start, _end in bounds}
    if part is not None:
        if not 1 <= part <= len(parts):
            raise NotFound(
                f"Source {source_id} has no part {part}: its text is in {len(parts)} "
                f"part{'s' if len(parts) != 1 else ''}."
            )
        shown = parts[part - 1]
    elif statement is not None and statement in starts:
        shown = part_at(parts, starts[statement])
    else:
        shown = parts[0]
    numbers = {
        attribution_id: number
        for number, (attribution_id, start, end) in enumerate(bounds, start=1)
        if start < shown.end and end > shown.start
    }
    waiting = pending_counts(session, [source_id]).get(source_id, 0)
    proposed = (
        [
            ProposedStatement.of(proposal, source.text)
            for proposal in pending_proposals_in(session, source_id, shown.start, shown.end)
        ]
        if waiting
        else []
    )
    rows = attributions_by_ids(session, sorted(numbers))
    numbered = sorted(
        (Numbered(number=numbers[row.id], span=AttributionSchema.model_validate(row)) for row in rows),
        key=lambda item: item.number,
    )
    return SourcePage(
        source=schemas.SourceAbout.model_validate(
            {**_source_fields(source, len(bounds), waiting), "notes": source.notes}
        ),
        language=source.language,
        part=shown,
        parts=parts,
        highlighted=highlight_window(source.text, numbered, shown.start, shown.end),
        statement_count=len(bounds),
        proposals=highlight_window(source.text, text_order(proposed), shown.start, shown.end),
        proposals_waiting=waiting,
    )


@dataclass(frozen=True)
class TextPart:
    """One part of a source's text, as a statement form shows it for selecting a passage: cut as the
    source's page cuts it, so that a long text keeps the form small; a short text is one part."""

    part: Part
    text: str
    length: int
    """The whole text's length: a selection's offsets count in it (the part starts at `part.start`)."""

    @property
    def in_parts(self) -> bool:
        return self.part.count > 1


def text_part(
    session: Session, source: Source, *, number: int | None = None, at: int | None = None, strict: bool = True
) -> TextPart:
    """Part `number` of a source's text (from 1), or the part holding the character at `at`, or the
    first. A number beyond the last part is NotFound when `strict`, else the last part (a form sent
    back after the parts moved, say)."""
    bounds = repository.span_bounds(session, source.id)
    parts = text_parts(source.text, [(start, end) for _id, start, end in bounds])
    if number is not None:
        if strict and not 1 <= number <= len(parts):
            raise NotFound(
                f"Source {source.id} has no part {number}: its text is in {len(parts)} "
                f"part{'s' if len(parts) != 1 else ''}."
            )
        shown = parts[min(max(number, 1), len(parts)) - 1]
    elif at is not None and 0 <= at < len(source.text):
        shown = part_at(parts, at)
    else:
        shown = parts[0]
    return TextPart(part=shown, text=source.text[shown.start : shown.end], length=len(source.text))


# Finding a source by what a reader types: its number, or words of its title (or outlet).

SOURCE_CHOICES = 5
"""Sources listed to choose from when words fit several."""


@dataclass(frozen=True)
class SourcePick:
    """What a source field's text designates: one source, or why not, with a few to choose from."""

    typed: str
    source: SourceRef | None = None
    problem: str | None = None
    choices: list[SourceRef] = field(default_factory=list)


def pick_source(session: Session, typed: str) -> SourcePick:
    """The one source a number or the words of a title (or outlet) designate; the exact title wins
    over titles that only contain the words."""
    typed = " ".join(typed.split())
    number = whole_number(typed)
    if number:
        found = repository.source_refs(session, [number])
        if found:
            return SourcePick(typed=typed, source=SourceRef.model_validate(found[0]))
    words = query_words(typed)
    if not words:
        return SourcePick(
            typed=typed,
            problem=f"“{typed}” has no word to look for: type words of the source's title, or its number.",
        )
    candidates = repository.sources_with_words(
        session, words[:MAX_TERMS], title_terms=" ".join(words), limit=SOURCE_CHOICES + 1
    )
    exact = [source for source, is_exact in candidates if is_exact]
    if len(exact) == 1 or len(candidates) == 1:
        chosen = exact[0] if exact else candidates[0][0]
        return SourcePick(typed=typed, source=SourceRef.model_validate(chosen))
    if not candidates:
        nothing = f"There is no source {number}, and no" if number is not None else "No"
        return SourcePick(
            typed=typed,
            problem=f"{nothing} source has a title or outlet with the words “{typed}”: "
            "check the spelling, or type fewer words.",
        )
    choices = [SourceRef.model_validate(source) for source, _exact in candidates[:SOURCE_CHOICES]]
    more = "more than " if len(candidates) > SOURCE_CHOICES else ""
    return SourcePick(
        typed=typed,
        problem=f"“{typed}” fits {more}{len(choices)} sources: choose one, or type more of its title.",
        choices=choices,
    )


SUGGESTIONS = 8


def suggest_sources(session: Session, typed: str) -> schemas.SourceSuggestions:
    """A few sources whose title or outlet has words starting with each word typed."""
    words = query_words(typed)
    if not words:
        return schemas.SourceSuggestions(items=[])
    found = repository.sources_with_words(
        session, words[:MAX_TERMS], title_terms=" ".join(words), limit=SUGGESTIONS
    )
    return schemas.SourceSuggestions(items=[SourceRef.model_validate(source) for source, _exact in found])
