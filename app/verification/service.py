"""Rules of the verification workflow: who may set a claim's status, on what input, against which version.

A fact-checker's input comes checked as a `StatusChangeIn`; what only the database can tell (that
each cited source exists) is checked here before anything is written, then the change is recorded
(the history entry, the audit record).
"""

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.audit.service import record, snapshot
from app.claims import schemas as claim_schemas
from app.errors import InvalidInput, NotFound
from app.models import Claim, StatusChange
from app.repository import check_not_deleted
from app.verification import repository, schemas


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


def _check_sources(session: Session, change: schemas.StatusChangeIn) -> None:
    """InvalidStatusChange naming each piece of evidence (`evidence.<index>`) citing no source here."""
    cited = {item.source_id for item in change.evidence if item.source_id is not None}
    known = repository.existing_source_ids(session, cited)
    errors = {
        f"evidence.{index}": f"There is no source {item.source_id} in the tracker."
        for index, item in enumerate(change.evidence)
        if item.source_id is not None and item.source_id not in known
    }
    if errors:
        raise InvalidStatusChange(errors)


def claim_to_change(session: Session, claim_id: int) -> Claim:
    """The claim whose status is about to change, locked against a concurrent change; 404 or 410."""
    claim = repository.claim_for_update(session, claim_id)
    if claim is None:
        raise NotFound(f"There is no claim {claim_id}: the link may be wrong.")
    return check_not_deleted(claim, f"Claim {claim_id} (“{claim.text}”)")


def change_status(session: Session, claim: Claim, change: schemas.StatusChangeIn, *, by: str) -> StatusChange:
    """Record a fact-checker's decision on a claim: its history grows by one (who, why, on what
    evidence), its version by one. Every cited source is checked first (InvalidStatusChange names each
    missing one), and nothing is written."""
    _check_sources(session, change)
    before = snapshot(claim)
    entry = StatusChange(
        claim_id=claim.id,
        from_status=claim.verification_status,
        to_status=change.status.value,
        rationale=change.rationale,
        evidence=[item.as_json() for item in change.evidence],
        changed_by=by,
    )
    claim.verification_status = change.status.value
    # Confirming the same status again is a decision too: mark the column changed so that the row
    # is updated, which bumps its version (and checks the version read, against a concurrent writer).
    flag_modified(claim, "verification_status")
    session.add(entry)
    record(session, user_name=by, action="status_change", row=claim, before=before)
    return entry


def changes_since(detail: claim_schemas.ClaimDetail, seen_change_id: int) -> list[claim_schemas.StatusChange]:
    """The history entries added after the one a form was based on."""
    return [change for change in detail.history if change.id > seen_change_id]


def last_change_id(detail: claim_schemas.ClaimDetail) -> int:
    return detail.history[-1].id if detail.history else 0
