"""HTML pages for attributing a statement on a source's page, and for restoring a deleted one."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from app.accounts.auth import Admin, Editor, Principal, check_csrf
from app.attributions import repository, service
from app.attributions.schemas import MAX_CHAIN_STEPS, MAX_NOTE_CHARS, MAX_QUOTE_CHARS
from app.attributions.schemas import Attribution as AttributionSchema
from app.audit.service import ChangedMeanwhile, changed_since
from app.claims.pages import parse_choice
from app.claims.repository import claim_choices
from app.claims.schemas import MAX_CLAIM_INPUT_CHARS
from app.claims.service import new_claim
from app.errors import AppError, InvalidInput, NotFound, changed_since_form
from app.models import Attribution, Source
from app.pagination import encode_cursor
from app.vocabulary import Stance
from app.web import CsrfField, ItemId, SessionDep, Text, render

router = APIRouter(include_in_schema=False)

MAX_MEDIUM_CHARS = 200

FIELDS = (
    "quote",
    "quote_start",
    "quote_end",
    "actor",
    "claim_id",
    "new_claim",
    "stance",
    "medium",
    "via",
    "note",
)


def _source(session: Session, source_id: int) -> Source:
    source = repository.get_source_with_text(session, source_id)
    if source is None:
        raise NotFound(f"There is no source {source_id}.")
    return source


def _form(
    request: Request,
    session: Session,
    source: Source,
    values: dict[str, str],
    *,
    error: str | None = None,
    choices: list[service.Occurrence] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "source": source,
        "values": values,
        "error": error,
        "choices": choices or [],
        "claim_choices": claim_choices(session),
        "max_chain_steps": MAX_CHAIN_STEPS,
    }
    return render(request, "attributions/new.html", context, status_code=status_code)


@router.get("/sources/{source_id}/attributions/new", response_class=HTMLResponse)
def new_attribution_form(
    request: Request,
    session: SessionDep,
    principal: Editor,
    source_id: ItemId,
    start: int | None = None,
    end: int | None = None,
    claim: int | None = None,
) -> HTMLResponse:
    """The form to attribute a statement in this source; `start`/`end` pre-fill a selected passage."""
    source = _source(session, source_id)
    values = dict.fromkeys(FIELDS, "")
    if start is not None and end is not None and 0 <= start < end <= len(source.text):
        values.update(quote=source.text[start:end], quote_start=str(start), quote_end=str(end))
    if claim is not None:
        values["claim_id"] = str(claim)
    return _form(request, session, source, values)


def _offset(name: str, value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(f"{name}: “{value}” is not a character position.")
    return int(value)


def _chain(session: Session, lines: str) -> list[service.ChainStep]:
    """One actor per line, optionally followed by “| medium”."""
    steps = []
    for number, line in enumerate((line for line in lines.splitlines() if line.strip()), start=1):
        name, _, medium = line.partition("|")
        actor = service.resolve_actor(session, name.strip(), field_name=f"Reporting chain, line {number}")
        steps.append(service.ChainStep(actor_id=actor.id, medium=medium.strip() or None))
    if len(steps) > MAX_CHAIN_STEPS:
        raise InvalidInput(f"Reporting chain: at most {MAX_CHAIN_STEPS} steps; this one has {len(steps)}.")
    return steps


def _check_lengths(values: dict[str, str]) -> None:
    if len(values["medium"]) > MAX_MEDIUM_CHARS:
        raise InvalidInput(
            f"Medium: at most {MAX_MEDIUM_CHARS} characters; this one has {len(values['medium'])}."
        )
    if len(values["note"]) > MAX_NOTE_CHARS:
        raise InvalidInput(
            f"Note: at most {MAX_NOTE_CHARS:,} characters; this one has {len(values['note']):,}."
        )


def _create(
    session: Session, principal: Principal, source: Source, values: dict[str, str], occurrence: int | None
) -> tuple[int, int]:
    stance = parse_choice(Stance, "stance", values["stance"])
    if stance is None:
        raise InvalidInput("Stance: choose the stance the actor took on the claim.")
    actor = service.resolve_actor(session, values["actor"], field_name="Actor")
    via = _chain(session, values["via"])
    _check_lengths(values)
    if values["claim_id"] and values["new_claim"].strip():
        raise InvalidInput("Claim: choose an existing claim or write a new one, not both.")
    if values["claim_id"]:
        if not values["claim_id"].isdigit():
            raise InvalidInput(f"Claim: “{values['claim_id']}” is not a claim id.")
        claim = service.live_claim(session, int(values["claim_id"]))
    elif values["new_claim"].strip():
        claim = new_claim(session, values["new_claim"], [], by=principal.name)
    else:
        raise InvalidInput("Claim: choose the claim the statement bears on, or write a new one.")
    attribution = service.create_attribution(
        session,
        service.AttributionInput(
            claim=claim,
            actor=actor,
            source=source,
            stance=stance,
            quote=values["quote"],
            quote_start=_offset("Quote start", values["quote_start"]),
            quote_end=_offset("Quote end", values["quote_end"]),
            occurrence=occurrence,
            medium=values["medium"].strip() or None,
            note=values["note"].strip() or None,
            via=via,
        ),
        by=principal.name,
    )
    return claim.id, attribution.id


LongField = Annotated[Text, Form(max_length=MAX_QUOTE_CHARS)]
ShortField = Annotated[Text, Form(max_length=1_000)]


@router.post("/sources/{source_id}/attributions/new", response_class=HTMLResponse)
def create_attribution(
    request: Request,
    session: SessionDep,
    principal: Editor,
    source_id: ItemId,
    quote: LongField = "",
    quote_start: ShortField = "",
    quote_end: ShortField = "",
    occurrence: Annotated[int | None, Form(ge=1)] = None,
    actor: ShortField = "",
    claim_id: ShortField = "",
    new_claim: Annotated[Text, Form(max_length=MAX_CLAIM_INPUT_CHARS)] = "",
    stance: ShortField = "",
    medium: ShortField = "",
    via: LongField = "",
    note: LongField = "",
    csrf_token: CsrfField = None,
) -> Response:
    """Attribute a statement; a quote found several times comes back asking which occurrence."""
    check_csrf(principal, csrf_token)
    source = _source(session, source_id)
    values = {
        "quote": quote,
        "quote_start": quote_start,
        "quote_end": quote_end,
        "actor": actor,
        "claim_id": claim_id.strip(),
        "new_claim": new_claim,
        "stance": stance,
        "medium": medium,
        "via": via,
        "note": note,
    }
    try:
        with session.begin_nested():
            new_claim_id, attribution_id = _create(session, principal, source, values, occurrence)
    except service.AmbiguousQuote as ambiguous:
        return _form(
            request,
            session,
            source,
            values,
            error=ambiguous.message,
            choices=ambiguous.choices,
            status_code=422,
        )
    except AppError as error:
        return _form(request, session, source, values, error=error.message, status_code=error.status_code)
    return RedirectResponse(f"/claims/{new_claim_id}#attribution-{attribution_id}", status_code=303)


@router.get("/attributions/{attribution_id}")
def statement(session: SessionDep, attribution_id: ItemId) -> RedirectResponse:
    """A statement's permanent link: its claim's statements of its stance, from this one on."""
    attribution = service.get_attribution(session, attribution_id)
    return RedirectResponse(statement_url(attribution), status_code=302)


def statement_url(attribution: AttributionSchema) -> str:
    """Where a statement is shown however busy its claim is: the first page of the claim's statements
    of its stance that starts with it (the cursor is the id just before it)."""
    query = urlencode({"stance": attribution.stance, "cursor": encode_cursor(attribution.id - 1)})
    return f"/claims/{attribution.claim.id}/statements?{query}#attribution-{attribution.id}"


@router.post("/attributions/{attribution_id}/restore")
def restore_attribution(
    session: SessionDep,
    principal: Admin,
    attribution_id: ItemId,
    csrf_token: CsrfField = None,
) -> Response:
    """Restore a deleted statement (administrators)."""
    check_csrf(principal, csrf_token)
    attribution = service.attribution_for_change(session, attribution_id, deleted=True)
    service.restore_attribution(session, attribution, by=principal.name)
    return RedirectResponse(f"/claims/{attribution.claim_id}#attribution-{attribution_id}", status_code=303)


# Correcting and deleting a statement: editors; the form carries the version it was based on.

COMPARED_FIELDS = ("stance", "claim_id", "quote_exact", "quote_start", "medium", "note")
"""The fields a stale form shows then and now (the reporting chain shows in the current statement)."""


def _values_of(attribution: Attribution) -> dict[str, str]:
    return {
        "quote": attribution.quote_exact,
        "quote_start": str(attribution.quote_start),
        "quote_end": str(attribution.quote_end),
        "claim_id": str(attribution.claim_id),
        "stance": attribution.stance,
        "medium": attribution.medium or "",
        "via": "\n".join(
            step.actor.name + (f" | {step.medium}" if step.medium else "") for step in attribution.via
        ),
        "note": attribution.note or "",
    }


def _edit_form(
    request: Request,
    session: Session,
    attribution: Attribution,
    values: dict[str, str],
    *,
    error: str | None = None,
    choices: list[service.Occurrence] | None = None,
    meanwhile: ChangedMeanwhile | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "attribution": service.attribution_schema(attribution),
        "source": _source(session, attribution.source_id),
        "values": values,
        "error": error,
        "choices": choices or [],
        "meanwhile": meanwhile,
        "claim_choices": claim_choices(session),
        "max_chain_steps": MAX_CHAIN_STEPS,
    }
    return render(request, "attributions/edit.html", context, status_code=status_code)


@router.get("/attributions/{attribution_id}/edit", response_class=HTMLResponse)
def edit_attribution_form(
    request: Request, session: SessionDep, principal: Editor, attribution_id: ItemId
) -> HTMLResponse:
    """The form to correct a statement: its quote, claim, stance, medium, reporting chain and note."""
    attribution = service.attribution_for_change(session, attribution_id)
    return _edit_form(request, session, attribution, _values_of(attribution))


def _change(
    session: Session, attribution: Attribution, values: dict[str, str], occurrence: int | None, *, by: str
) -> None:
    """What the form changes: only the fields whose value differs from the statement's."""
    current = _values_of(attribution)
    stance = parse_choice(Stance, "stance", values["stance"])
    if stance is None:
        raise InvalidInput("Stance: choose the stance the actor took on the claim.")
    if not values["claim_id"].isdigit():
        raise InvalidInput(f"Claim: “{values['claim_id']}” is not a claim id.")
    _check_lengths(values)
    quote_changed = occurrence is not None or any(
        values[name] != current[name] for name in ("quote", "quote_start", "quote_end")
    )
    if quote_changed and not values["quote"]:
        raise InvalidInput("Quote: copy the statement's words exactly as the source has them.")
    medium, note = values["medium"].strip(), values["note"].strip()
    change = service.AttributionChange(
        stance=stance,
        claim=(
            service.live_claim(session, int(values["claim_id"]))
            if values["claim_id"] != current["claim_id"]
            else None
        ),
        medium=medium or None,
        note=note or None,
        via=_chain(session, values["via"]) if values["via"].strip() != current["via"] else None,
        quote=values["quote"] if quote_changed else None,
        quote_start=_offset("Quote start", values["quote_start"]) if quote_changed else None,
        quote_end=_offset("Quote end", values["quote_end"]) if quote_changed else None,
        occurrence=occurrence if quote_changed else None,
        clear=frozenset(name for name, value in (("medium", medium), ("note", note)) if not value),
    )
    service.update_attribution(session, attribution, change, by=by)


@router.post("/attributions/{attribution_id}/edit", response_class=HTMLResponse)
def update_attribution(
    request: Request,
    session: SessionDep,
    principal: Editor,
    attribution_id: ItemId,
    quote: LongField = "",
    quote_start: ShortField = "",
    quote_end: ShortField = "",
    occurrence: Annotated[int | None, Form(ge=1)] = None,
    claim_id: ShortField = "",
    stance: ShortField = "",
    medium: ShortField = "",
    via: LongField = "",
    note: LongField = "",
    version: Annotated[int | None, Form()] = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Save a corrected statement; against a stale version, show the current one and keep the input."""
    check_csrf(principal, csrf_token)
    attribution = service.attribution_for_change(session, attribution_id)
    values = {
        "quote": quote,
        "quote_start": quote_start.strip(),
        "quote_end": quote_end.strip(),
        "claim_id": claim_id.strip(),
        "stance": stance,
        "medium": medium,
        "via": via,
        "note": note,
    }
    if version != attribution.version:
        current = {name: getattr(attribution, name) for name in COMPARED_FIELDS}
        meanwhile = changed_since(session, "attributions", attribution.id, version or 0, current)
        return _edit_form(request, session, attribution, values, meanwhile=meanwhile, status_code=409)
    try:
        with session.begin_nested():
            _change(session, attribution, values, occurrence, by=principal.name)
    except service.AmbiguousQuote as ambiguous:
        return _edit_form(
            request,
            session,
            attribution,
            values,
            error=ambiguous.message,
            choices=ambiguous.choices,
            status_code=422,
        )
    except AppError as error:
        return _edit_form(
            request, session, attribution, values, error=error.message, status_code=error.status_code
        )
    return RedirectResponse(f"/claims/{attribution.claim_id}#attribution-{attribution.id}", status_code=303)


@router.get("/attributions/{attribution_id}/delete", response_class=HTMLResponse)
def delete_attribution_form(
    request: Request, session: SessionDep, principal: Editor, attribution_id: ItemId
) -> HTMLResponse:
    """Ask before deleting a statement."""
    attribution = service.attribution_for_change(session, attribution_id)
    context = {"attribution": service.attribution_schema(attribution)}
    return render(request, "attributions/delete.html", context)


@router.post("/attributions/{attribution_id}/delete")
def delete_attribution(
    session: SessionDep,
    principal: Editor,
    attribution_id: ItemId,
    version: Annotated[int | None, Form()] = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Delete a statement (soft: an administrator can restore it); a stale form is refused with 412."""
    check_csrf(principal, csrf_token)
    attribution = service.attribution_for_change(session, attribution_id)
    if version is not None and version != attribution.version:
        raise changed_since_form(f"statement {attribution.id}", attribution.version, version)
    service.delete_attribution(session, attribution, by=principal.name)
    return RedirectResponse(f"/claims/{attribution.claim_id}", status_code=303)
