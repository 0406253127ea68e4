"""Rules for sources: texts are normalised once, hashed, and never change afterwards."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.attributions.repository import attributions_of_source
from app.attributions.service import attribution_schema
from app.audit.service import record, snapshot
from app.errors import InvalidInput, NotFound
from app.models import Source
from app.pagination import PageRequest, paginate
from app.schemas import Page
from app.sources import repository, schemas

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


@dataclass(frozen=True)
class SourceInput:
    title: str
    text: str
    outlet: str | None = None
    url: str | None = None
    published_on: date | None = None
    language: str = "en"
    title_supplied: bool = False
    file_name: str | None = None
    notes: str | None = None


def _unusable(value: str) -> str | None:
    """What makes a text unstorable: NUL (PostgreSQL refuses it) or a lone surrogate (not Unicode)."""
    if "\x00" in value:
        return "contains a NUL (\\x00) character"
    if any("\ud800" <= char <= "\udfff" for char in value):
        return "contains a lone surrogate: it is not valid Unicode (was it decoded from valid UTF-8?)"
    return None


def _checked(field: str, value: str | None, *, limit: int, required: bool = False) -> str | None:
    """A metadata text stripped, None when empty, refused when too long or unstorable."""
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput(f"{field}: a source needs a {field}.", details={"field": field})
        return None
    if problem := _unusable(value):
        raise InvalidInput(f"{field}: {problem}.", details={"field": field})
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
    if problem := _unusable(text):
        raise InvalidInput(f"text: the source text {problem}.", details={"field": "text"})
    text = normalise_text(text)
    if not text.strip():
        raise InvalidInput("text: a source needs a text: the text given is empty.", details={"field": "text"})
    if len(text) > MAX_SOURCE_CHARS:
        raise InvalidInput(
            f"text: the source text has {len(text):,} characters; the most a source may hold is "
            f"{MAX_SOURCE_CHARS:,}.",
            details={"field": "text"},
        )
    return text


def find_by_text(session: Session, text: str) -> Source | None:
    """The source already holding this text (after normalisation), if any."""
    return session.scalars(select(Source).where(Source.sha256 == text_sha256(normalise_text(text)))).first()


def ingest_source(session: Session, source_input: SourceInput, *, by: str) -> tuple[Source, bool]:
    """Store a source, or return the one already holding the same text; the flag says if it is new."""
    text = _checked_text(source_input.text)
    title = _checked("title", source_input.title, limit=MAX_TITLE_CHARS, required=True)
    outlet = _checked("outlet", source_input.outlet, limit=MAX_OUTLET_CHARS)
    url = _checked_url(source_input.url)
    language = _checked_language(source_input.language)
    notes = _checked("notes", source_input.notes, limit=MAX_NOTES_CHARS)
    digest = text_sha256(text)
    existing = session.scalars(select(Source).where(Source.sha256 == digest)).one_or_none()
    if existing is not None:
        return existing, False
    source = Source(
        title=title,
        title_supplied=source_input.title_supplied,
        outlet=outlet,
        url=url,
        published_on=source_input.published_on,
        language=language,
        text=text,
        sha256=digest,
        file_name=source_input.file_name,
        notes=notes,
        ingested_by=by,
    )
    try:
        # Two editors pasting the same text at once: the unique hash lets one in; the other gets it back.
        with session.begin_nested():
            session.add(source)
    except IntegrityError:
        existing = session.scalars(select(Source).where(Source.sha256 == digest)).one_or_none()
        if existing is None:
            raise
        return existing, False
    # The text is in the row and hashed; the audit record keeps the hash, not a second copy.
    record(session, user_name=by, action="create", row=source, exclude=frozenset({"text"}))
    return source, True


def source_for_change(session: Session, source_id: int) -> Source:
    """The source to edit; NotFound when there is none."""
    source = repository.get_source(session, source_id)
    if source is None:
        raise NotFound(f"There is no source {source_id}.")
    return source


def metadata_of(source: Source) -> dict[str, Any]:
    """The editable metadata of a source, as a form or a stale-edit comparison shows it."""
    return {name: getattr(source, name) for name in EDITABLE_FIELDS}


def update_source(session: Session, source: Source, changes: dict[str, Any], *, by: str) -> Source:
    """Change a source's metadata; the text is immutable, since every quote's offsets point into it."""
    if "text" in changes:
        raise InvalidInput(
            "text: the text of a source cannot be changed: every quote's offsets point into it. "
            "If the document was published again with another text, add that text as a new source.",
            details={"field": "text"},
        )
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise InvalidInput(
            f"{', '.join(unknown)}: not editable; a source's editable fields are "
            f"{', '.join(EDITABLE_FIELDS)}.",
            details={"field": unknown[0]},
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
    return source


# Reading


def _source_fields(source: Source, attribution_count: int) -> dict[str, object]:
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
        "ingested_by": source.ingested_by,
        "ingested_at": source.ingested_at,
        "version": source.version,
    }


def list_sources(session: Session, *, outlet: str | None, page: PageRequest) -> Page[schemas.Source]:
    """A page of sources, without their texts."""
    rows = repository.list_sources(session, outlet=outlet, after_id=page.after_id, limit=page.limit)
    counts = repository.attribution_counts(session, [source.id for source in rows])
    items = [schemas.Source.model_validate(_source_fields(s, counts.get(s.id, 0))) for s in rows]
    return paginate(items, page.limit)


def get_source(session: Session, source_id: int) -> schemas.SourceDetail:
    """A source with its full text and every attributed span in text order."""
    source = repository.get_source(session, source_id)
    if source is None:
        raise NotFound(f"There is no source {source_id}.")
    attributions = [attribution_schema(row) for row in attributions_of_source(session, source_id)]
    return schemas.SourceDetail.model_validate(
        {
            **_source_fields(source, len(attributions)),
            "text": source.text,
            "notes": source.notes,
            "attributions": attributions,
        }
    )
