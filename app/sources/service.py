"""Rules for sources: texts are normalised once, hashed, and never change afterwards."""

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.attributions.repository import attributions_of_source
from app.attributions.service import attribution_schema
from app.audit.service import record
from app.errors import InvalidInput, NotFound
from app.models import Source
from app.pagination import PageRequest, paginate
from app.schemas import Page
from app.sources import repository, schemas

MAX_SOURCE_CHARS = 2_000_000


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


def ingest_source(session: Session, source_input: SourceInput, *, by: str) -> tuple[Source, bool]:
    """Store a source, or return the one already holding the same text; the flag says if it is new."""
    text = normalise_text(source_input.text)
    if not text.strip():
        raise InvalidInput("A source needs a text: the text given is empty.")
    if len(text) > MAX_SOURCE_CHARS:
        raise InvalidInput(
            f"The source text has {len(text):,} characters; the most a source may hold is "
            f"{MAX_SOURCE_CHARS:,}."
        )
    if not source_input.title.strip():
        raise InvalidInput("A source needs a title.")
    digest = text_sha256(text)
    existing = session.scalars(select(Source).where(Source.sha256 == digest)).one_or_none()
    if existing is not None:
        return existing, False
    source = Source(
        title=source_input.title.strip(),
        title_supplied=source_input.title_supplied,
        outlet=source_input.outlet,
        url=source_input.url,
        published_on=source_input.published_on,
        language=source_input.language,
        text=text,
        sha256=digest,
        file_name=source_input.file_name,
        notes=source_input.notes,
        ingested_by=by,
    )
    session.add(source)
    # The text is in the row and hashed; the audit record keeps the hash, not a second copy.
    record(session, user_name=by, action="create", row=source, exclude=frozenset({"text"}))
    return source, True


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
