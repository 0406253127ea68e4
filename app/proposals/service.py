"""Rules for the review queue: adding a source proposes its statements; an editor accepts them (as
attributions, through `create_attribution` like a statement made by hand), corrects or rejects them.

A decided proposal stays on record, with who decided and when, so that running the extractor again
on the source proposes neither a statement accepted already nor one rejected.
"""

import copy
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.actors.repository import actor_with_slug, find_actor_ids
from app.actors.schemas import ActorCreate
from app.actors.service import create_actor, resolve_actor
from app.attributions.schemas import FieldNames, ReportingStepInput, StatementDraft
from app.attributions.service import create_attribution
from app.audit.service import record, snapshot
from app.claims.repository import claim_with_text
from app.claims.schemas import ClaimCreate
from app.claims.service import MAX_CLAIM_CHARS, chosen_claim, pick_claim
from app.errors import AppError, Conflict, InvalidInput, NotFound
from app.extraction import Extracted, KnownActor, Span, TextTooLarge, extract
from app.fulltext.words import query_words
from app.models import Actor, Attribution, Proposal, Source
from app.models.base import utcnow
from app.pagination import PageRequest, paginate, whole_number
from app.proposals import repository, schemas
from app.schemas import Page
from app.sources.schemas import SourceCreate
from app.sources.service import ingest_source, source_with_text
from app.statements.repository import attributions_by_ids, proposals_of_source
from app.statements.schemas import Attribution as AttributionSchema
from app.statements.schemas import ProposedStatement
from app.vocabulary import ActorKind, ProposalState, Stance

logger = logging.getLogger("claimtrack")


# Proposing


@dataclass(frozen=True)
class AddedSource:
    source: Source
    is_new: bool
    proposed: int
    """Statements the extractor proposed in it (0 for a text on record already)."""


def add_source(
    session: Session,
    source_input: SourceCreate,
    *,
    by: str,
    title_supplied: bool = False,
    file_name: str | None = None,
) -> AddedSource:
    """Store a source (`app.sources.service.ingest_source`) and, when its text is new, put the
    statements the extractor finds in it in its review queue."""
    source, is_new = ingest_source(
        session, source_input, by=by, title_supplied=title_supplied, file_name=file_name
    )
    proposed = propose(session, source).proposed if is_new else 0
    return AddedSource(source=source, is_new=is_new, proposed=proposed)


def extract_again(session: Session, source_id: int) -> schemas.ExtractionRun:
    """Run the extractor on a source on record again: new proposals join the queue, decided ones
    stay as they are (a rejected statement is not proposed again), and pending ones it no longer
    makes leave it."""
    return propose(session, source_with_text(session, source_id))


def _gazetteer(actors: Iterable[Actor]) -> list[KnownActor]:
    return [
        KnownActor(
            key=actor.slug,
            name=actor.name,
            kind=actor.kind,
            aliases=tuple(actor.other_names),
            role=actor.role,
        )
        for actor in actors
    ]


def _spans(statement: Extracted) -> list[Span]:
    return [span for span in (statement.source, statement.cue, statement.content) if span is not None]


def _fits(statement: Extracted, length: int) -> bool:
    """A statement whose every span is a non-empty range of the text (the extractor is not trusted
    with the database's constraints)."""
    return all(0 <= span.start < span.end <= length for span in _spans(statement))


def _key(statement: Extracted) -> str:
    """Which statement a proposal is: its spans and stance, the same at every run of the extractor."""

    def written(span: Span | None) -> str:
        return "-" if span is None else f"{span.start}-{span.end}"

    spans = (statement.source, statement.cue, statement.content)
    return "|".join([statement.stance.value, *(written(span) for span in spans)])


def propose(session: Session, source: Source) -> schemas.ExtractionRun:
    """Run the extractor on a source's text, resolving to the actors on record, and bring its queue
    up to date (see `extract_again`)."""
    actors = repository.known_actors(session)
    actor_ids = {actor.slug: actor.id for actor in actors}
    try:
        extracted = extract(source.text, _gazetteer(actors))
    except TextTooLarge as error:
        # A book, not an article: stored all the same, its statements attributed by hand.
        logger.warning("claimtrack: source %s is not read by the extractor: %s", source.id, error)
        extracted = []
    except Exception:
        # The source is stored all the same: its statements can be attributed by hand.
        logger.exception("claimtrack: the extractor failed on source %s", source.id)
        extracted = []
    known = repository.proposal_keys(session, source.id)
    attributed = repository.attributed_spans(session, source.id)
    made: set[str] = set()
    new: list[Proposal] = []
    suggestions = _Suggestions(session)
    statements = [statement for statement in extracted if _fits(statement, len(source.text))]
    for statement in sorted(statements, key=lambda s: (min(span.start for span in _spans(s)), s.cue.start)):
        key = _key(statement)
        if key in made:
            continue
        made.add(key)
        spans = _spans(statement)
        start, end = min(span.start for span in spans), max(span.end for span in spans)
        content = source.text[statement.content.start : statement.content.end] if statement.content else None
        if content:
            suggestions.read(content)
        if key in known or (start, end) in attributed:
            continue
        suggestion = suggestions.last() if content else suggestions.nearest()
        new.append(
            Proposal(
                source_id=source.id,
                key=key,
                quote_start=start,
                quote_end=end,
                source_start=statement.source.start if statement.source else None,
                source_end=statement.source.end if statement.source else None,
                cue_start=statement.cue.start,
                cue_end=statement.cue.end,
                content_start=statement.content.start if statement.content else None,
                content_end=statement.content.end if statement.content else None,
                stance=statement.stance.value,
                actor_id=actor_ids.get(statement.actor_key) if statement.actor_key else None,
                actor_name=(statement.actor or "")[:300] or None,
                medium=(statement.medium or "")[:200] or None,
                via=[name[:300] for name in statement.via],
                claim_id=suggestion.claim_id if suggestion else None,
                claim_text=suggestion.draft if suggestion else None,
            )
        )
    stale = [
        proposal_id
        for key, (proposal_id, state) in known.items()
        if state == ProposalState.PENDING.value and key not in made
    ]
    repository.delete_pending(session, stale)
    session.add_all(new)
    session.flush()
    pending = sum(1 for _id, state in known.values() if state == ProposalState.PENDING.value)
    return schemas.ExtractionRun(
        source_id=source.id,
        proposed=len(new),
        waiting=pending - len(stale) + len(new),
        dropped=len(stale),
        decided=len(known) - pending,
    )


# The claim a statement bears on: one on record whose words the content shares, else a new one.

CLAIM_CANDIDATES = 20
"""Claims sharing a word with the content that are compared with it, newest first."""
CONTENT_WORDS = 8
"""The content's first distinctive words looked for."""
DRAFT_CHARS = 500
FIT = 0.5
"""How much of their distinctive words a claim and the content must share for the claim to fit it
(the Dice coefficient: twice the words shared, over the words of both)."""
COMMON_ENGLISH = (
    "a about after again against all also an and any are as at be been before being but by can "
    "could did do does for from had has have he her his how i if in into is it its just may might "
    "more most must no nor not now of on once only or other our out over own said same says she "
    "should so some such than that the their them then there these they this those through to too "
    "under until up very was we were what when where which while who why will with would you your"
)
"""Words that say nothing of what a claim is about."""
COMMON_WORDS = frozenset(COMMON_ENGLISH.split())


@dataclass(frozen=True)
class Suggestion:
    claim_id: int | None = None
    draft: str | None = None


def _distinctive(words: Iterable[str]) -> list[str]:
    return [word for word in dict.fromkeys(words) if len(word) > 2 and word not in COMMON_WORDS]


def _holds(words: Sequence[str], word: str) -> bool:
    """A word of the content is the claim's word, or the start of it ("helicopter", "helicopters")."""
    return any(word.startswith(own) or own.startswith(word) for own in words)


def draft_claim(content: str) -> str:
    """A claim's text drafted from what was said: one sentence, its first letter a capital."""
    text = " ".join(content.split()).strip(" \"“”'‘’,;:—–-")
    if len(text) > DRAFT_CHARS:
        text = text[:DRAFT_CHARS].rsplit(" ", 1)[0] + "…"
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def suggest_claim(session: Session, content: str) -> Suggestion | None:
    """The claim on record that the content fits best (they share most of their distinctive words;
    candidates are found through the search index), else a new claim drafted from the content."""
    words = _distinctive(query_words(content))[:CONTENT_WORDS]
    best: tuple[float, int] | None = None
    if words:
        for claim_id, terms in repository.claims_with_any_word(session, words, limit=CLAIM_CANDIDATES):
            own = _distinctive(terms.split())
            held = sum(1 for word in own if _holds(words, word))
            share = 2 * held / (len(own) + len(words))
            if held >= 2 and share >= FIT and (best is None or share > best[0]):
                best = (share, claim_id)
    if best is not None:
        return Suggestion(claim_id=best[1])
    draft = draft_claim(content)
    return Suggestion(draft=draft) if draft else None


class _Suggestions:
    """The claims suggested for the contents of a text, read in order, each looked up in the index
    only when a new proposal needs it: a statement without content (a refusal) takes the nearest
    suggestion before it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.contents: list[str] = []
        self.found: dict[int, Suggestion | None] = {}

    def read(self, content: str) -> None:
        self.contents.append(content)

    def _of(self, index: int) -> Suggestion | None:
        if index not in self.found:
            self.found[index] = suggest_claim(self.session, self.contents[index])
        return self.found[index]

    def last(self) -> Suggestion | None:
        """The suggestion for the content read last."""
        return self._of(len(self.contents) - 1)

    def nearest(self) -> Suggestion | None:
        """The suggestion for the last content read that has one."""
        for index in reversed(range(len(self.contents))):
            if (suggestion := self._of(index)) is not None:
                return suggestion
        return None


# Reading


def _source_text(session: Session, source_id: int) -> str:
    return source_with_text(session, source_id).text


def list_proposals(
    session: Session, source_id: int, *, state: ProposalState | None, page: PageRequest
) -> Page[ProposedStatement]:
    """A page of a source's proposals in id order, of one state or all."""
    text = _source_text(session, source_id)
    rows = proposals_of_source(session, source_id, state=state, after_id=page.after_id, limit=page.limit)
    return paginate([ProposedStatement.of(row, text) for row in rows], page.limit)


# Deciding

QUEUE_FIELDS = FieldNames(actor="actor", claim="claim", chain_step="via[{position}]")


def _decided(proposal: Proposal, nothing: str = "nothing was changed") -> Conflict:
    became = f"; it became attribution {proposal.attribution_id}" if proposal.attribution_id else ""
    when = f" on {proposal.decided_at:%Y-%m-%d at %H:%M} UTC" if proposal.decided_at else ""
    return Conflict(
        f"Proposal {proposal.id} was {proposal.state} already, by {proposal.decided_by}{when}{became}: "
        f"{nothing}.",
        details={
            "proposal_id": proposal.id,
            "state": proposal.state,
            "attribution_id": proposal.attribution_id,
        },
    )


def _pending(session: Session, source_id: int, proposal_id: int) -> tuple[Proposal, str]:
    """A pending proposal of the source, locked, with the source's text."""
    text = _source_text(session, source_id)  # NotFound for a source not on record
    proposal = repository.proposal_for_decision(session, proposal_id)
    if proposal is None or proposal.source_id != source_id:
        raise NotFound(f"Source {source_id} has no proposal {proposal_id}.")
    if proposal.state != ProposalState.PENDING.value:
        raise _decided(proposal)
    return proposal, text


def _naming(error: AppError, proposal: Proposal, then: str = "") -> AppError:
    """The error of one proposal, saying which (of a selection, or behind a form's quick button);
    of the same class, so that it is handled as the error it names."""
    named = copy.copy(error)
    named.message = f"Proposal {proposal.id} ({_described(proposal)}) was not accepted: {error.message}{then}"
    named.args = (named.message,)
    named.details = {**error.details, "proposal_id": proposal.id}
    return named


def _described(proposal: Proposal) -> str:
    who = proposal.actor.name if proposal.actor is not None else proposal.actor_name or "nobody named"
    return f"{who}, {Stance(proposal.stance).label}, at {proposal.quote_start}–{proposal.quote_end}"


def _actor(session: Session, proposal: Proposal, edits: schemas.ProposalEdits, *, by: str) -> Actor:
    """The actor the edits name, else the one proposed; a name no actor goes by is a new actor."""
    designation: int | str | None = edits.actor
    if designation is None:
        designation = proposal.actor_id if proposal.actor_id is not None else proposal.actor_name
    if designation is None:
        raise InvalidInput("actor: the extractor found nobody named: say who made the statement.")
    if isinstance(designation, str) and not _designates_any(session, designation):
        kind = edits.actor_kind or ActorKind.PERSON
        return create_actor(session, ActorCreate(name=designation, kind=kind), by=by)
    return resolve_actor(session, designation, field_name="actor")


def _designates_any(session: Session, name: str) -> bool:
    name = name.strip()
    return actor_with_slug(session, name) is not None or bool(find_actor_ids(session, name))


def _chain(session: Session, names: Sequence[str], *, by: str) -> list[ReportingStepInput]:
    """The reporting chain's steps; an intermediary no actor is called is created, as an outlet."""
    steps = []
    for position, name in enumerate(names):
        if _designates_any(session, name):
            actor = resolve_actor(session, name, field_name=QUEUE_FIELDS.step(position))
        else:
            actor = create_actor(session, ActorCreate(name=name, kind=ActorKind.OUTLET), by=by)
        steps.append(ReportingStepInput(actor=actor.id))
    return steps


def _claim(
    session: Session, proposal: Proposal, edits: schemas.ProposalEdits
) -> tuple[int | None, str | None]:
    """(claim_id, new claim text): the edits' choice, else the claim suggested, else the draft (the
    claim on record with exactly its text, if another proposal's acceptance created it meanwhile)."""
    if edits.claim_id is not None and edits.new_claim is not None:
        raise InvalidInput("claim: choose a claim on record or write a new one, not both.")
    if edits.claim_id is not None or edits.new_claim is not None:
        return edits.claim_id, edits.new_claim
    if proposal.claim_id is not None:
        return proposal.claim_id, None
    if proposal.claim_text:
        existing = claim_with_text(session, proposal.claim_text)
        if existing is not None and existing.deleted_at is None:
            return existing.id, None
        return None, proposal.claim_text
    raise InvalidInput(
        "claim: nothing was said that a claim could be drafted from: choose the claim the statement "
        "bears on, or write a new one."
    )


def _accept(
    session: Session, proposal: Proposal, edits: schemas.ProposalEdits, text: str, *, by: str
) -> Attribution:
    start = edits.quote_start if edits.quote_start is not None else proposal.quote_start
    end = edits.quote_end if edits.quote_end is not None else proposal.quote_end
    if not 0 <= start < end <= len(text):
        raise InvalidInput(
            f"quote_start, quote_end: {start}–{end} is not a passage of the source, whose text has "
            f"{len(text):,} characters.",
            details={"field": "quote_start"},
        )
    claim_id, new_claim = _claim(session, proposal, edits)
    actor = _actor(session, proposal, edits, by=by)
    via = _chain(session, edits.via if edits.via is not None else proposal.via, by=by)
    try:
        draft = StatementDraft(
            actor=actor.id,
            source_id=proposal.source_id,
            stance=edits.stance or Stance(proposal.stance),
            quote=text[start:end],
            quote_start=start,
            quote_end=end,
            medium=edits.medium if "medium" in edits.model_fields_set else proposal.medium,
            via=via,
            claim_id=claim_id,
            new_claim=ClaimCreate(text=new_claim[:MAX_CLAIM_CHARS]) if new_claim is not None else None,
        )
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise InvalidInput(f"{field}: {first['msg']}", details={"field": field}) from None
    attribution = create_attribution(session, draft, by=by, names=QUEUE_FIELDS)
    session.flush()
    _decide(session, proposal, ProposalState.ACCEPTED, by=by, attribution_id=attribution.id)
    return attribution


def _decide(
    session: Session, proposal: Proposal, state: ProposalState, *, by: str, attribution_id: int | None = None
) -> None:
    """Mark a proposal decided, and record the decision in the audit log."""
    before = snapshot(proposal)
    proposal.state = state.value
    proposal.attribution_id = attribution_id
    proposal.decided_by = by
    proposal.decided_at = utcnow()
    action = "accept" if state is ProposalState.ACCEPTED else "reject"
    record(session, user_name=by, action=action, row=proposal, before=before)


def _decision(
    session: Session, proposal: Proposal, attribution: Attribution | None, text: str
) -> schemas.Decision:
    session.flush()
    shown = None
    if attribution is not None:
        (row,) = attributions_by_ids(session, [attribution.id])
        shown = AttributionSchema.model_validate(row)
    refreshed = repository.proposal_for_decision(session, proposal.id)
    assert refreshed is not None
    return schemas.Decision(proposal=ProposedStatement.of(refreshed, text), attribution=shown)


def accept_proposal(
    session: Session,
    source_id: int,
    proposal_id: int,
    edits: schemas.ProposalEdits | None = None,
    *,
    by: str,
) -> schemas.Decision:
    """Accept a pending proposal, with the editor's corrections: it becomes an attribution through
    `create_attribution`, under its every rule (and audit record). Nothing is written on failure."""
    proposal, text = _pending(session, source_id, proposal_id)
    try:
        with session.begin_nested():
            attribution = _accept(session, proposal, edits or schemas.ProposalEdits(), text, by=by)
    except AppError as error:
        raise _naming(error, proposal) from None
    return _decision(session, proposal, attribution, text)


def accept_selection(
    session: Session, source_id: int, selection: schemas.ProposalSelection, *, by: str
) -> schemas.SelectionAccepted:
    """Accept several pending proposals of a source as proposed, in text order: all of them, or,
    when one cannot be, none (the error names it)."""
    text = _source_text(session, source_id)
    wanted = list(dict.fromkeys(selection.proposal_ids))
    proposals = repository.proposals_for_decision(session, source_id, wanted)
    found = {proposal.id for proposal in proposals}
    missing = [proposal_id for proposal_id in wanted if proposal_id not in found]
    if missing:
        listed = ", ".join(str(proposal_id) for proposal_id in missing)
        raise NotFound(
            f"Source {source_id} has no proposal {listed}: nothing was accepted.",
            details={"proposal_ids": missing},
        )
    for proposal in proposals:
        if proposal.state != ProposalState.PENDING.value:
            raise _decided(proposal, "nothing was accepted")
    accepted: list[tuple[Proposal, Attribution]] = []
    with session.begin_nested():
        for proposal in proposals:
            try:
                edits = schemas.ProposalEdits()
                accepted.append((proposal, _accept(session, proposal, edits, text, by=by)))
            except AppError as error:
                raise _naming(
                    error, proposal, f" Nothing of the {len(proposals)} selected was accepted."
                ) from None
    return schemas.SelectionAccepted(
        accepted=[_decision(session, proposal, attribution, text) for proposal, attribution in accepted]
    )


def reject_proposal(session: Session, source_id: int, proposal_id: int, *, by: str) -> schemas.Decision:
    """Reject a pending proposal: it leaves the queue, and is remembered, so that running the
    extractor again does not propose it again."""
    proposal, text = _pending(session, source_id, proposal_id)
    _decide(session, proposal, ProposalState.REJECTED, by=by)
    return _decision(session, proposal, None, text)


def edits_from_form(session: Session, form: schemas.ProposalForm) -> schemas.ProposalEdits:
    """The corrections a form sends, as the API takes them: the claim typed is resolved to the one it
    designates (`pick_claim`), a chain is one name a line; an empty field keeps what was proposed."""
    values: dict[str, object] = {}
    for name in ("actor", "stance", "new_claim", "medium", "actor_kind"):
        typed = getattr(form, name).strip()
        if typed:
            values[name] = typed
    for name in ("quote_start", "quote_end"):
        typed = getattr(form, name).strip()
        if typed:
            number = whole_number(typed) if typed != "0" else 0
            if number is None:
                raise InvalidInput(f"{name}: “{typed}” is not a whole number.", details={"field": name})
            values[name] = number
    if form.claim.strip():
        values["claim_id"] = chosen_claim(pick_claim(session, form.claim), "claim").id
    if form.via.strip():
        values["via"] = [line.strip() for line in form.via.splitlines() if line.strip()]
    try:
        return schemas.ProposalEdits.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise InvalidInput(f"{field}: {first['msg']}", details={"field": field}) from None


@dataclass(frozen=True)
class ProposalView:
    """A proposal for the form that corrects it, with the text around it."""

    proposal: ProposedStatement
    before: str
    after: str
    source_title: str


CONTEXT = 300


def proposal_view(session: Session, source_id: int, proposal_id: int) -> ProposalView:
    """A pending proposal with a little of the text around it; 409 once decided."""
    source = source_with_text(session, source_id)
    proposal, text = _pending(session, source_id, proposal_id)
    shown = ProposedStatement.of(proposal, text)
    return ProposalView(
        proposal=shown,
        before=text[max(0, shown.quote_start - CONTEXT) : shown.quote_start],
        after=text[shown.quote_end : shown.quote_end + CONTEXT],
        source_title=source.title,
    )
