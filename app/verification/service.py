"""Rules of the verification workflow: who may set a claim's status, on what input, against which version.

A fact-checker's input is checked first, naming every field that is wrong, so that nothing is
half-written; then the change is recorded (the history entry, the audit record).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.audit.service import record, snapshot
from app.claims import schemas as claim_schemas
from app.errors import InvalidInput, NotFound
from app.models import Claim, StatusChange
from app.pagination import whole_number
from app.repository import check_not_deleted
from app.text import NOT_VISIBLE, is_visible, text_problem, tidy
from app.verification import repository
from app.vocabulary import VerificationStatus

MAX_RATIONALE_CHARS = 5_000
MAX_EVIDENCE = 20
MAX_URL_CHARS = 2_000
MAX_NOTE_CHARS = 1_000


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


@dataclass(frozen=True)
class EvidenceDraft:
    """Evidence as submitted, not yet checked; `field` names where it came from, for error messages."""

    field: str
    source_id: int | str | None = None
    url: str | None = None
    note: str | None = None


class InvalidStatusChange(InvalidInput):
    """A status change with wrong input; `errors` maps each wrong field to what is wrong with it."""

    title = "Invalid status change"

    def __init__(self, errors: dict[str, str]) -> None:
        message = "The status was not changed. " + " ".join(
            f"{field}: {problem}" for field, problem in errors.items()
        )
        details = {"errors": [{"field": field, "message": problem} for field, problem in errors.items()]}
        super().__init__(message, details=details)
        self.errors = errors


def _add(errors: dict[str, str], field: str, problem: str) -> None:
    errors[field] = f"{errors[field]} {problem}" if field in errors else problem


def _is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(parts.hostname)
        and not any(character.isspace() or not character.isprintable() for character in url)
    )


def _checked_source_id(errors: dict[str, str], item: EvidenceDraft) -> int | None:
    if item.source_id is None:
        return None
    number = whole_number(str(item.source_id))
    if not number:
        _add(errors, item.field, f"'{item.source_id}' is not a source id.")
        return None
    return number


def _checked(session: Session, status: str, rationale: str, evidence: Sequence[EvidenceDraft]) -> StatusInput:
    """The checked input of a status change; raises InvalidStatusChange naming every wrong field."""
    errors: dict[str, str] = {}
    try:
        new_status = VerificationStatus(status.strip())
    except ValueError:
        allowed = ", ".join(member.value for member in VerificationStatus)
        _add(errors, "status", f"'{status}' is not a verification status. Use one of: {allowed}.")
        new_status = VerificationStatus.UNVERIFIED
    if problem := text_problem(rationale):
        _add(errors, "rationale", f"The rationale {problem}.")
    else:
        rationale = tidy(rationale)
    if not rationale.strip():
        _add(errors, "rationale", "Write a rationale: say why the claim has this status.")
    elif not is_visible(rationale):
        _add(errors, "rationale", f"The rationale {NOT_VISIBLE}.")
    elif len(rationale) > MAX_RATIONALE_CHARS:
        _add(
            errors,
            "rationale",
            f"The rationale has {len(rationale)} characters; at most {MAX_RATIONALE_CHARS} fit.",
        )
    if len(evidence) > MAX_EVIDENCE:
        _add(
            errors,
            "evidence",
            f"Cite at most {MAX_EVIDENCE} pieces of evidence; this change cites {len(evidence)}.",
        )

    source_ids: list[int | None] = []
    for item in evidence:
        source_ids.append(_checked_source_id(errors, item))
        if item.url is not None:
            url = item.url.strip()
            if len(url) > MAX_URL_CHARS:
                problem = f"A link has at most {MAX_URL_CHARS} characters; one has {len(url)}."
                _add(errors, item.field, problem)
            elif not _is_web_address(url):
                _add(
                    errors,
                    item.field,
                    f"'{url}' is not a web address: a link starts with http:// or https://.",
                )
        if item.note is not None and (problem := text_problem(item.note)):
            _add(errors, item.field, f"A note {problem}.")
        elif item.note is not None and len(item.note) > MAX_NOTE_CHARS:
            _add(errors, item.field, f"A note has at most {MAX_NOTE_CHARS} characters.")
    known = repository.existing_source_ids(session, {i for i in source_ids if i is not None})
    for item, source_id in zip(evidence, source_ids, strict=True):
        if source_id is not None and source_id not in known:
            _add(errors, item.field, f"There is no source {source_id} in the tracker.")

    if errors:
        raise InvalidStatusChange(errors)
    return StatusInput(
        status=new_status,
        rationale=rationale,
        evidence=[
            Evidence(
                source_id=source_id,
                url=item.url.strip() if item.url is not None else None,
                note=tidy(item.note or "") or None,
            )
            for item, source_id in zip(evidence, source_ids, strict=True)
        ],
    )


def claim_to_change(session: Session, claim_id: int) -> Claim:
    """The claim whose status is about to change, locked against a concurrent change; 404 or 410."""
    claim = repository.claim_for_update(session, claim_id)
    if claim is None:
        raise NotFound(f"There is no claim {claim_id}: the link may be wrong.")
    return check_not_deleted(claim, f"Claim {claim_id} (“{claim.text}”)")


def change_status(
    session: Session,
    claim: Claim,
    *,
    status: str,
    rationale: str,
    evidence: Sequence[EvidenceDraft] = (),
    by: str,
) -> StatusChange:
    """Record a fact-checker's decision on a claim: its history grows by one (who, why, on what
    evidence), its version by one. The input is checked first: InvalidStatusChange names every wrong
    field, and nothing is written."""
    status_input = _checked(session, status, rationale, evidence)
    before = snapshot(claim)
    change = StatusChange(
        claim_id=claim.id,
        from_status=claim.verification_status,
        to_status=status_input.status.value,
        rationale=status_input.rationale,
        evidence=[item.as_json() for item in status_input.evidence],
        changed_by=by,
    )
    claim.verification_status = status_input.status.value
    # Confirming the same status again is a decision too: mark the column changed so that the row
    # is updated, which bumps its version (and checks the version read, against a concurrent writer).
    flag_modified(claim, "verification_status")
    session.add(change)
    record(session, user_name=by, action="status_change", row=claim, before=before)
    return change


def changes_since(detail: claim_schemas.ClaimDetail, seen_change_id: int) -> list[claim_schemas.StatusChange]:
    """The history entries added after the one a form was based on."""
    return [change for change in detail.history if change.id > seen_change_id]


def last_change_id(detail: claim_schemas.ClaimDetail) -> int:
    return detail.history[-1].id if detail.history else 0
