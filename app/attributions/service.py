"""Rules for attributions: a stance from the vocabulary and a quote anchored verbatim in its source."""

import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.actors.service import actors_named, resolve_actor
from app.attributions import repository
from app.attributions.chains import DERIVED_COLUMNS, Step, keep_chain_columns
from app.attributions.quotes import CONTEXT_CHARS, QuoteAnchor, anchor_at, locate, occurrences
from app.attributions.schemas import (
    API_FIELDS,
    AttributionCreate,
    AttributionQuery,
    AttributionUpdate,
    FieldNames,
    ReportingStepInput,
    StatementDraft,
)
from app.audit.service import mark_deleted, record, snapshot
from app.claims.service import create_claim, live_claim
from app.errors import Conflict, Gone, InvalidInput, InvalidQuote, NotFound
from app.fulltext.repository import words_are_common
from app.models import Actor, Attribution, Claim, ReportingStep, Source
from app.pagination import PageRequest, paginate
from app.repository import check_not_deleted
from app.schemas import Page
from app.sources.service import source_with_text
from app.statements import repository as statements
from app.statements.repository import AttributionFilters
from app.statements.schemas import Attribution as AttributionSchema
from app.text import NOT_VISIBLE, is_visible, text_problem


@dataclass(frozen=True)
class Occurrence:
    """One place where a typed quote appears in a source, with a little of the text around it."""

    number: int
    start: int
    end: int
    before: str
    exact: str
    after: str

    def as_json(self) -> dict[str, Any]:
        return {
            "occurrence": self.number,
            "quote_start": self.start,
            "quote_end": self.end,
            "before": self.before,
            "after": self.after,
        }


OCCURRENCES_LISTED = 20
"""Occurrences of an ambiguous quote listed to choose from: a short quote in a long text can appear
thousands of times, and the answer must not grow with the text (a longer quote, or its offsets, narrow it)."""


class AmbiguousQuote(InvalidQuote):
    """The quote appears more than once and no occurrence was chosen; `choices` lists the first ones in
    context, `count` says how many there are."""

    def __init__(self, quote: str, choices: list[Occurrence], count: int) -> None:
        shown = quote if len(quote) <= 80 else quote[:79] + "…"
        listed = f" The first {len(choices)} are listed." if count > len(choices) else ""
        super().__init__(
            f"The quote “{shown}” appears {count:,} times in the source: say which occurrence "
            f"is meant (occurrence 1, 2, … in text order, or the quote_start and quote_end of one).{listed}",
            details={
                "occurrences": [choice.as_json() for choice in choices],
                "occurrence_count": count,
            },
        )
        self.choices = choices
        self.count = count


def quote_occurrences(text: str, starts: list[int], quote: str) -> list[Occurrence]:
    """The places `quote` appears in `text` (at `starts`, in text order), numbered from 1, with context."""
    return [
        Occurrence(
            number=number,
            start=start,
            end=start + len(quote),
            before=text[max(0, start - CONTEXT_CHARS * 2) : start],
            exact=quote,
            after=text[start + len(quote) : start + len(quote) + CONTEXT_CHARS * 2],
        )
        for number, start in enumerate(starts, start=1)
    ]


def checked_quote(quote: str) -> str:
    """The quote in NFC, the form every source text is stored in (app.sources.service.normalise_text),
    so that a quote copied with a decomposed accent ("Cafe\u0301") matches the text it was copied from;
    otherwise as given, not stripped: its offsets count every character of it."""
    if problem := text_problem(quote):
        raise InvalidInput(f"quote: {problem}.", details={"field": "quote"})
    quote = unicodedata.normalize("NFC", quote)
    if quote and not is_visible(quote):
        raise InvalidInput(f"quote: {NOT_VISIBLE}.", details={"field": "quote"})
    return quote


def anchor_quote(
    text: str, quote: str, *, start: int | None, end: int | None, occurrence: int | None
) -> QuoteAnchor:
    """Anchor a quote in its source's text, at `start`/`end` or, without them, where it appears (its
    `occurrence`, when several times); InvalidQuote unless it is verbatim there."""
    quote = checked_quote(quote)
    if start is None and end is None:
        if occurrence is None and quote:
            starts = occurrences(text, quote)
            if len(starts) > 1:
                listed = quote_occurrences(text, starts[:OCCURRENCES_LISTED], quote)
                raise AmbiguousQuote(quote, listed, len(starts))
        return locate(text, quote, occurrence=occurrence)
    if start is None:
        start = end - len(quote) if end is not None else 0
    if end is None:
        end = start + len(quote)
    return anchor_at(text, start, end, quote)


def find_attribution(
    session: Session, *, source_id: int, actor_id: int, claim_id: int, anchor: QuoteAnchor
) -> Attribution | None:
    """The attribution recording this statement (actor, claim, source, span), deleted or not."""
    return repository.find_attribution(
        session, source_id=source_id, actor_id=actor_id, claim_id=claim_id, start=anchor.start, end=anchor.end
    )


def _check_not_recorded(
    session: Session,
    *,
    actor: Actor,
    claim_id: int,
    source_id: int,
    anchor: QuoteAnchor,
    other_than: int | None = None,
) -> None:
    existing = find_attribution(
        session, source_id=source_id, actor_id=actor.id, claim_id=claim_id, anchor=anchor
    )
    if existing is None or existing.id == other_than:
        return
    deleted = (
        f" by attribution {existing.id}, which was deleted: an administrator can restore it"
        if existing.deleted_at is not None
        else ""
    )
    raise Conflict(
        f"{actor.name}'s statement at {anchor.start}–{anchor.end} of this source "
        f"is already attributed to this claim{deleted}.",
        details={"existing_attribution_id": existing.id},
    )


def _statement_claim(session: Session, claim_id: int, names: FieldNames = API_FIELDS) -> Claim:
    """The claim a statement is attributed to: it exists and is not deleted. The claim is named in the
    body, not the address, so a missing or deleted one is a 422 naming the field."""
    try:
        return live_claim(session, claim_id)
    except NotFound:
        raise InvalidInput(f"{names.claim}: there is no claim {claim_id}.") from None
    except Gone:
        raise InvalidInput(
            f"{names.claim}: claim {claim_id} is deleted; statements cannot be attributed to it."
        ) from None


def _statement_source(session: Session, source_id: int) -> Source:
    """The source a statement is in, with its text; as the claim, a missing one is a 422."""
    try:
        return source_with_text(session, source_id)
    except NotFound:
        raise InvalidInput(f"source_id: there is no source {source_id}.") from None


def _chain(session: Session, steps: list[ReportingStepInput], names: FieldNames) -> list[Step]:
    """The reporting chain's steps, each intermediary resolved to the one actor it designates."""
    return [
        (resolve_actor(session, step.actor, field_name=names.step(position)).id, step.medium)
        for position, step in enumerate(steps)
    ]


def _chain_json(steps: list[Step]) -> list[dict[str, Any]]:
    return [{"actor_id": actor_id, "medium": medium} for actor_id, medium in steps]


def create_attribution(
    session: Session,
    statement: AttributionCreate | StatementDraft,
    *,
    by: str,
    names: FieldNames = API_FIELDS,
) -> Attribution:
    """Record that an actor took a stance on a claim in a source, with its quote and reporting chain;
    a draft's new claim is created with it. Everything is checked before anything is written.

    Fails with InvalidQuote when the quote is not verbatim in the source at the given place, and with
    Conflict when the statement is recorded already.
    """
    actor = resolve_actor(session, statement.actor, field_name=names.actor)
    steps = _chain(session, statement.via, names)
    new_claim = statement.new_claim if isinstance(statement, StatementDraft) else None
    if statement.claim_id is not None and new_claim is not None:
        raise InvalidInput(f"{names.claim}: choose an existing claim or write a new one, not both.")
    source = _statement_source(session, statement.source_id)
    anchor = anchor_quote(
        source.text,
        statement.quote,
        start=statement.quote_start,
        end=statement.quote_end,
        occurrence=statement.occurrence,
    )
    if statement.claim_id is not None:
        claim = _statement_claim(session, statement.claim_id, names)
        _check_not_recorded(session, actor=actor, claim_id=claim.id, source_id=source.id, anchor=anchor)
    elif new_claim is not None:
        # Last: creating the claim checks its text before it writes, and nothing after it can fail.
        claim = create_claim(session, new_claim, by=by)
    else:
        raise InvalidInput(f"{names.claim}: choose the claim the statement bears on, or write a new one.")
    attribution = Attribution(
        claim_id=claim.id,
        actor_id=actor.id,
        source_id=source.id,
        stance=statement.stance.value,
        quote_start=anchor.start,
        quote_end=anchor.end,
        quote_exact=anchor.exact,
        quote_prefix=anchor.prefix,
        quote_suffix=anchor.suffix,
        medium=statement.medium,
        note=statement.note,
    )
    attribution.via = [
        ReportingStep(position=position, actor_id=actor_id, medium=medium)
        for position, (actor_id, medium) in enumerate(steps)
    ]
    keep_chain_columns(attribution)
    session.add(attribution)
    audit = record(session, user_name=by, action="create", row=attribution, exclude=DERIVED_COLUMNS)
    assert audit.after is not None
    audit.after["via"] = _chain_json(steps)
    return attribution


# Editing


def _check_shown(attribution: Attribution) -> None:
    """Gone (410) for a deleted statement, or one whose claim was deleted, saying by whom and when."""
    check_not_deleted(attribution, f"Attribution {attribution.id}")
    check_not_deleted(
        attribution.claim, f"Attribution {attribution.id} belongs to claim {attribution.claim_id}, which"
    )


def attribution_for_change(session: Session, attribution_id: int, *, deleted: bool = False) -> Attribution:
    """The attribution to change, with its chain; NotFound, or Gone unless `deleted` asks for it deleted."""
    attribution = repository.get_attribution(session, attribution_id)
    if attribution is None:
        raise NotFound(f"There is no attribution {attribution_id}.")
    if deleted:
        if attribution.deleted_at is None:
            raise Conflict(f"Attribution {attribution_id} is not deleted: there is nothing to restore.")
        return attribution
    _check_shown(attribution)
    return attribution


def _audit_values(attribution: Attribution) -> dict[str, Any]:
    return {
        **snapshot(attribution, exclude=DERIVED_COLUMNS),
        "via": [{"actor_id": step.actor_id, "medium": step.medium} for step in attribution.via],
    }


def update_attribution(
    session: Session,
    attribution: Attribution,
    change: AttributionUpdate,
    *,
    by: str,
    names: FieldNames = API_FIELDS,
) -> Attribution:
    """Change the fields of a statement that `change` sets; a new quote is re-anchored in the source,
    and a change that makes it a statement recorded already is refused. Checked before written."""
    sent = change.model_fields_set
    if change.quote is None and (
        change.quote_start is not None or change.quote_end is not None or change.occurrence is not None
    ):
        raise InvalidQuote("The quote and its offsets change together: send the quote with them.")
    steps = _chain(session, change.via, names) if change.via is not None else None
    claim = attribution.claim
    if change.claim_id is not None:
        claim = _statement_claim(session, change.claim_id, names)
    if change.quote is not None:
        anchor = anchor_quote(
            source_with_text(session, attribution.source_id).text,
            change.quote,
            start=change.quote_start,
            end=change.quote_end,
            occurrence=change.occurrence,
        )
    else:
        anchor = QuoteAnchor(
            attribution.quote_start,
            attribution.quote_end,
            attribution.quote_exact,
            attribution.quote_prefix,
            attribution.quote_suffix,
        )
    if (claim.id, anchor.start, anchor.end) != (
        attribution.claim_id,
        attribution.quote_start,
        attribution.quote_end,
    ):
        _check_not_recorded(
            session,
            actor=attribution.actor,
            claim_id=claim.id,
            source_id=attribution.source_id,
            anchor=anchor,
            other_than=attribution.id,
        )
    before = _audit_values(attribution)
    attribution.claim_id = claim.id
    attribution.quote_start, attribution.quote_end = anchor.start, anchor.end
    attribution.quote_exact, attribution.quote_prefix, attribution.quote_suffix = (
        anchor.exact,
        anchor.prefix,
        anchor.suffix,
    )
    if change.stance is not None:
        attribution.stance = change.stance.value
    if "medium" in sent:
        attribution.medium = change.medium
    if "note" in sent:
        attribution.note = change.note
    if steps is not None:
        _replace_chain(attribution, steps)
    keep_chain_columns(attribution)
    # Every edit, a chain-only one included, is an UPDATE of the row, so the version moves on.
    flag_modified(attribution, "stance")
    audit = record(session, user_name=by, action="update", row=attribution, before=before)
    audit.after = _audit_values(attribution)
    return attribution


def _replace_chain(attribution: Attribution, steps: list[Step]) -> None:
    """Steps keep their rows where the position is unchanged, so (attribution, position) stays unique."""
    current = {step.position: step for step in attribution.via}
    chain = []
    for position, (actor_id, medium) in enumerate(steps):
        step = current.get(position) or ReportingStep(position=position)
        step.actor_id, step.medium = actor_id, medium
        chain.append(step)
    attribution.via = chain


def delete_attribution(session: Session, attribution: Attribution, *, by: str) -> Attribution:
    """Soft-delete a statement: it leaves every page; an administrator can restore it."""
    return mark_deleted(session, attribution, deleted=True, by=by, values=_audit_values)


def restore_attribution(session: Session, attribution: Attribution, *, by: str) -> Attribution:
    """Bring a soft-deleted statement back as it was."""
    return mark_deleted(session, attribution, deleted=False, by=by, values=_audit_values)


def statement_filters(session: Session, query: AttributionQuery) -> AttributionFilters | None:
    """The repository's filters of a query: the actor's name resolved to ids (under any spelling), the
    words' plan chosen; None when they can match nothing (a name that designates nobody)."""
    filters = AttributionFilters(
        actor_ids=[query.actor_id] if query.actor_id is not None else None,
        relayed_by=query.relayed_by,
        stance=query.stance,
        source_id=query.source_id,
        claim_id=query.claim_id,
        status=query.status,
        words=query.words,
    )
    if query.actor is not None:
        named = actors_named(session, query.actor)
        # With `actor_id` too, the statements must be that actor's, and the name must designate them.
        actor_ids = named if filters.actor_ids is None else [i for i in filters.actor_ids if i in named]
        filters = replace(filters, actor_ids=actor_ids)
    if filters.actor_ids is not None and not filters.actor_ids:
        return None
    if filters.words:
        filters = replace(filters, common_words=words_are_common(session, filters.words, "attribution"))
    return filters


def list_attributions(
    session: Session, *, page: PageRequest, query: AttributionQuery
) -> Page[AttributionSchema]:
    """A page of the statements every filter of the query selects."""
    filters = statement_filters(session, query)
    if filters is None:
        return Page(items=[], next_cursor=None)
    rows = statements.list_attributions(session, filters, after_id=page.after_id, limit=page.limit)
    return paginate([AttributionSchema.model_validate(row) for row in rows], page.limit)


def get_attribution(session: Session, attribution_id: int) -> AttributionSchema:
    attribution = repository.get_attribution(session, attribution_id)
    if attribution is None:
        raise NotFound(f"There is no attribution {attribution_id}.")
    _check_shown(attribution)
    return AttributionSchema.model_validate(attribution)


def changed_attribution(session: Session, attribution_id: int) -> AttributionSchema:
    """A statement as a write left it, read back with what it refers to now."""
    session.flush()
    repository.forget_loaded(session, attribution_id)
    return get_attribution(session, attribution_id)
