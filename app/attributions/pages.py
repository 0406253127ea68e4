"""HTML pages for attributing a statement on a source's page, and for restoring a deleted one."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from app.accounts.auth import Admin, Editor, Principal, check_csrf
from app.actors.service import resolve_actor
from app.attributions import service
from app.attributions.schemas import MAX_CHAIN_STEPS, MAX_NOTE_CHARS, MAX_QUOTE_CHARS
from app.audit.service import ChangedMeanwhile
from app.claims.pages import parse_choice
from app.claims.schemas import MAX_CLAIM_INPUT_CHARS
from app.claims.service import (
    ClaimNotPicked,
    ClaimPick,
    chosen_claim,
    claim_label,
    live_claim,
    new_claim,
    pick_claim,
    shows_statement,
)
from app.errors import AppError, InvalidInput
from app.models import Attribution, Source
from app.pagination import MAX_ID, encode_cursor, whole_number
from app.sources.service import TextPart, source_with_text, text_part
from app.statements.schemas import Attribution as AttributionSchema
from app.vocabulary import Stance
from app.web import (
    CsrfField,
    FormNumber,
    FormVersion,
    IdFilter,
    ItemId,
    SessionDep,
    StaleForm,
    Text,
    check_delete_form,
    check_form_version,
    render,
)

router = APIRouter(include_in_schema=False)

MAX_MEDIUM_CHARS = 200

FIELDS = (
    "quote",
    "quote_start",
    "quote_end",
    "actor",
    "claim",
    "new_claim",
    "stance",
    "medium",
    "via",
    "note",
)
"""The new-statement form's fields. The claim is typed, as its number or words of its text, and
resolved here (`app.claims.service.pick_claim`); with JavaScript it suggests as one types."""


def _form(
    request: Request,
    source: Source,
    values: dict[str, str],
    shown: TextPart,
    *,
    claim_pick: ClaimPick | None = None,
    error: AppError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "source": source,
        "values": values,
        "shown": shown,
        "claim_pick": claim_pick,
        # A claim that could not be resolved says why beside its field, not above the form.
        "error": None if error is None or isinstance(error, ClaimNotPicked) else error.message,
        "ambiguous": error if isinstance(error, service.AmbiguousQuote) else None,
        "max_chain_steps": MAX_CHAIN_STEPS,
    }
    return render(request, "attributions/new.html", context, status_code=status_code)


PartQuery = Annotated[int | None, Query(ge=1, le=MAX_ID, description="A part of a long text.")]


@router.get("/sources/{source_id}/attributions/new", response_class=HTMLResponse)
def new_attribution_form(
    request: Request,
    session: SessionDep,
    principal: Editor,
    source_id: ItemId,
    start: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
    end: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
    claim: IdFilter | None = None,
    part: PartQuery = None,
) -> HTMLResponse:
    """The form to attribute a statement in this source; `start`/`end` pre-fill a selected passage (and
    show the part of a long text it is in), `claim` the claim, `part` shows another part of the text."""
    source = source_with_text(session, source_id)
    values = dict.fromkeys(FIELDS, "")
    selected = start is not None and end is not None and 0 <= start < end <= len(source.text)
    if selected:
        values.update(quote=source.text[start:end], quote_start=str(start), quote_end=str(end))
    pick = None
    if claim is not None:
        pick = pick_claim(session, str(claim))
        values["claim"] = pick.shown
    shown = text_part(session, source, number=part, at=start if selected else None)
    return _form(request, source, values, shown, claim_pick=pick if pick and pick.problem else None)


def _offset(name: str, value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    position = whole_number(value)
    if position is None:
        raise InvalidInput(f"{name}: “{value}” is not a character position.")
    return position


def _chain(session: Session, lines: str) -> list[service.ChainStep]:
    """One actor per line, optionally followed by “| medium”."""
    steps = []
    for number, line in enumerate((line for line in lines.splitlines() if line.strip()), start=1):
        name, _, medium = line.partition("|")
        actor = resolve_actor(session, name.strip(), field_name=f"Reporting chain, line {number}")
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
    session: Session,
    principal: Principal,
    source: Source,
    values: dict[str, str],
    claim_pick: ClaimPick | None,
    occurrence: int | None,
) -> int:
    stance = parse_choice(Stance, "stance", values["stance"])
    if stance is None:
        raise InvalidInput("Stance: choose the stance the actor took on the claim.")
    actor = resolve_actor(session, values["actor"], field_name="Actor")
    via = _chain(session, values["via"])
    _check_lengths(values)
    if claim_pick is not None and values["new_claim"].strip():
        raise InvalidInput("Claim: choose an existing claim or write a new one, not both.")
    if claim_pick is not None:
        # Last: what else is wrong shows above the form, and a claim not found beside its field, together.
        claim = live_claim(session, chosen_claim(claim_pick, "Claim").id)
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
    return attribution.id


LongField = Annotated[Text, Form(max_length=MAX_QUOTE_CHARS)]
ShortField = Annotated[Text, Form(max_length=1_000)]
PartField = FormNumber
"""`part`: a part navigation button was pressed (show that part, keep the form); `shown_part`: the part
the form showed, to show again when it comes back with an error."""


def _typed_claim(claim: str, claim_choice: str) -> str:
    """The claim field's text, or the claim chosen among those it fitted (radio buttons `claim_choice`)."""
    return claim_choice.strip() if claim_choice.strip().isdigit() else claim.strip()


@router.post("/sources/{source_id}/attributions/new", response_class=HTMLResponse)
def create_attribution(
    request: Request,
    session: SessionDep,
    principal: Editor,
    source_id: ItemId,
    quote: LongField = "",
    quote_start: ShortField = "",
    quote_end: ShortField = "",
    occurrence: FormNumber = None,
    actor: ShortField = "",
    claim: ShortField = "",
    claim_choice: ShortField = "",
    new_claim: Annotated[Text, Form(max_length=MAX_CLAIM_INPUT_CHARS)] = "",
    stance: ShortField = "",
    medium: ShortField = "",
    via: LongField = "",
    note: LongField = "",
    part: PartField = None,
    shown_part: PartField = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Attribute a statement; a quote found several times comes back asking which occurrence, and a
    part button shows another part of a long text with the form as it was."""
    check_csrf(principal, csrf_token)
    source = source_with_text(session, source_id)
    values = {
        "quote": quote,
        "quote_start": quote_start,
        "quote_end": quote_end,
        "actor": actor,
        "claim": _typed_claim(claim, claim_choice),
        "new_claim": new_claim,
        "stance": stance,
        "medium": medium,
        "via": via,
        "note": note,
    }
    if part is not None:
        return _form(request, source, values, text_part(session, source, number=part, strict=False))
    shown = text_part(session, source, number=shown_part, strict=False)
    pick = pick_claim(session, values["claim"]) if values["claim"] else None
    try:
        with session.begin_nested():
            attribution_id = _create(session, principal, source, values, pick, occurrence)
    except AppError as error:
        # A quote found several times comes back with its occurrences to choose from (the error says so).
        return _form(
            request, source, values, shown, claim_pick=pick, error=error, status_code=error.status_code
        )
    return RedirectResponse(statement_url(session, attribution_id), status_code=303)


@router.get("/attributions/{attribution_id}")
def statement(session: SessionDep, attribution_id: ItemId) -> RedirectResponse:
    """A statement's permanent link: where its claim shows it, however busy the claim."""
    return RedirectResponse(statement_url(session, attribution_id), status_code=302)


def statement_url(session: Session, attribution_id: int) -> str:
    """Where a statement is shown: on its claim's page when it is among the first of its stance there,
    else on the first page of the claim's statements of its stance that starts with it (the cursor is
    the id just before it). NotFound, or Gone for a deleted statement."""
    attribution = service.get_attribution(session, attribution_id)
    claim_id, anchor = attribution.claim.id, f"#attribution-{attribution.id}"
    if shows_statement(session, claim_id, attribution.stance, attribution.id):
        return f"/claims/{claim_id}{anchor}"
    query = urlencode({"stance": attribution.stance, "cursor": encode_cursor(attribution.id - 1)})
    return f"/claims/{claim_id}/statements?{query}{anchor}"


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
    return RedirectResponse(statement_url(session, attribution_id), status_code=303)


# Correcting and deleting a statement: editors; the form carries the version it was based on.

COMPARED_FIELDS = ("stance", "claim_id", "quote_exact", "quote_start", "medium", "note")
"""The fields a stale form shows then and now (the reporting chain shows in the current statement)."""


def _values_of(attribution: Attribution) -> dict[str, str]:
    return {
        "quote": attribution.quote_exact,
        "quote_start": str(attribution.quote_start),
        "quote_end": str(attribution.quote_end),
        "claim": claim_label(attribution.claim.id, attribution.claim.text),
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
    part: int | None = None,
    strict: bool = False,
    claim_pick: ClaimPick | None = None,
    error: AppError | None = None,
    meanwhile: ChangedMeanwhile | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The edit form; its text shows part `part` of a long source (`strict`: NotFound beyond the last,
    else the last), or the part of the statement's quote."""
    source = source_with_text(session, attribution.source_id)
    shown = (
        text_part(session, source, number=part, strict=strict)
        if part is not None
        else text_part(session, source, at=attribution.quote_start)
    )
    context: dict[str, Any] = {
        "attribution": AttributionSchema.of(attribution),
        "source": source,
        "values": values,
        "shown": shown,
        "claim_pick": claim_pick,
        "error": None if error is None or isinstance(error, ClaimNotPicked) else error.message,
        "ambiguous": error if isinstance(error, service.AmbiguousQuote) else None,
        "meanwhile": meanwhile,
        "max_chain_steps": MAX_CHAIN_STEPS,
    }
    return render(request, "attributions/edit.html", context, status_code=status_code)


@router.get("/attributions/{attribution_id}/edit", response_class=HTMLResponse)
def edit_attribution_form(
    request: Request, session: SessionDep, principal: Editor, attribution_id: ItemId, part: PartQuery = None
) -> HTMLResponse:
    """The form to correct a statement: its quote, claim, stance, medium, reporting chain and note; a
    long source's text shows the part the quote is in, or part `part`."""
    attribution = service.attribution_for_change(session, attribution_id)
    return _edit_form(request, session, attribution, _values_of(attribution), part=part, strict=True)


def _change(
    session: Session,
    attribution: Attribution,
    values: dict[str, str],
    claim_pick: ClaimPick | None,
    occurrence: int | None,
    *,
    by: str,
) -> None:
    """What the form changes: only the fields whose value differs from the statement's."""
    current = _values_of(attribution)
    stance = parse_choice(Stance, "stance", values["stance"])
    if stance is None:
        raise InvalidInput("Stance: choose the stance the actor took on the claim.")
    if claim_pick is None:
        raise InvalidInput(
            "Claim: choose the claim the statement bears on: its number, or words of its text."
        )
    _check_lengths(values)
    quote_changed = occurrence is not None or any(
        values[name] != current[name] for name in ("quote", "quote_start", "quote_end")
    )
    if quote_changed and not values["quote"]:
        raise InvalidInput("Quote: copy the statement's words exactly as the source has them.")
    via = _chain(session, values["via"]) if values["via"].strip() != current["via"] else None
    # Last: what else is wrong shows above the form, and a claim not found beside its field, together.
    claim_id = chosen_claim(claim_pick, "Claim").id
    medium, note = values["medium"].strip(), values["note"].strip()
    change = service.AttributionChange(
        stance=stance,
        claim=live_claim(session, claim_id) if claim_id != attribution.claim_id else None,
        medium=medium or None,
        note=note or None,
        via=via,
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
    occurrence: FormNumber = None,
    claim: ShortField = "",
    claim_choice: ShortField = "",
    stance: ShortField = "",
    medium: ShortField = "",
    via: LongField = "",
    note: LongField = "",
    version: FormVersion = "",
    part: PartField = None,
    shown_part: PartField = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Save a corrected statement; against a stale version, show the current one and keep the input. A
    part button shows another part of a long text with the form as it was."""
    check_csrf(principal, csrf_token)
    attribution = service.attribution_for_change(session, attribution_id)
    values = {
        "quote": quote,
        "quote_start": quote_start.strip(),
        "quote_end": quote_end.strip(),
        "claim": _typed_claim(claim, claim_choice),
        "stance": stance,
        "medium": medium,
        "via": via,
        "note": note,
    }
    if part is not None:
        return _edit_form(request, session, attribution, values, part=part)
    try:
        check_form_version(
            session,
            attribution,
            version,
            what="statement",
            compared=lambda: {name: getattr(attribution, name) for name in COMPARED_FIELDS},
        )
    except StaleForm as stale:
        return _edit_form(
            request, session, attribution, values, part=shown_part, meanwhile=stale.meanwhile, status_code=409
        )
    except InvalidInput as error:
        return _edit_form(
            request, session, attribution, values, part=shown_part, error=error, status_code=422
        )
    pick = pick_claim(session, values["claim"]) if values["claim"] else None
    try:
        with session.begin_nested():
            _change(session, attribution, values, pick, occurrence, by=principal.name)
    except AppError as error:
        return _edit_form(
            request,
            session,
            attribution,
            values,
            part=shown_part,
            claim_pick=pick,
            error=error,
            status_code=error.status_code,
        )
    return RedirectResponse(statement_url(session, attribution.id), status_code=303)


@router.get("/attributions/{attribution_id}/delete", response_class=HTMLResponse)
def delete_attribution_form(
    request: Request, session: SessionDep, principal: Editor, attribution_id: ItemId
) -> HTMLResponse:
    """Ask before deleting a statement."""
    attribution = service.attribution_for_change(session, attribution_id)
    context = {"attribution": AttributionSchema.of(attribution)}
    return render(request, "attributions/delete.html", context)


@router.post("/attributions/{attribution_id}/delete")
def delete_attribution(
    session: SessionDep,
    principal: Editor,
    attribution_id: ItemId,
    version: FormVersion = "",
    csrf_token: CsrfField = None,
) -> Response:
    """Delete a statement (soft: an administrator can restore it); a stale form is refused with 412."""
    check_csrf(principal, csrf_token)
    attribution = service.attribution_for_change(session, attribution_id)
    check_delete_form(attribution, version, what="statement")
    service.delete_attribution(session, attribution, by=principal.name)
    return RedirectResponse(f"/claims/{attribution.claim_id}", status_code=303)
