"""The status form on a claim's page: a fact-checker sets the status with a rationale and evidence."""

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.auth import FactChecker, check_csrf
from app.claims import service as claims_service
from app.errors import AppError
from app.pagination import whole_number
from app.urls import PathsDep
from app.verification import service
from app.verification.service import EvidenceDraft, InvalidStatusChange
from app.web import CsrfField, FormVersion, ItemId, SessionDep, StaleForm, render, submit_form

router = APIRouter(include_in_schema=False)

# Generous bounds: text over the service's limits still comes back to the form with the error beside it.
LongFormText = Annotated[str, Form(max_length=100_000)]
ShortFormText = Annotated[str, Form(max_length=100)]


@dataclass
class StatusForm:
    """What the fact-checker typed, to show again beside the errors; `version` is what it is based on."""

    status: str
    rationale: str
    source_ids: list[str]
    links: str
    version: int
    seen_change: int
    errors: dict[str, str] = field(default_factory=dict)


def _evidence(source_ids: list[str], links: str) -> list[EvidenceDraft]:
    drafts = [EvidenceDraft(field="sources", source_id=value) for value in dict.fromkeys(source_ids)]
    lines = dict.fromkeys(line.strip() for line in links.splitlines())
    drafts += [EvidenceDraft(field="links", url=line) for line in lines if line]
    return drafts


@router.post("/claims/{claim_id}/status", response_class=HTMLResponse)
def submit_status(
    request: Request,
    session: SessionDep,
    paths: PathsDep,
    principal: FactChecker,
    claim_id: ItemId,
    status: ShortFormText = "",
    rationale: LongFormText = "",
    evidence_source: Annotated[list[str], Form(max_length=1_000)] = [],  # noqa: B006 - FastAPI copies it
    evidence_links: LongFormText = "",
    version: FormVersion = None,
    seen_change: ShortFormText = "",
    csrf_token: CsrfField = None,
) -> Response:
    """Set the claim's status; a wrong field or a stale version shows the form again, nothing lost."""
    check_csrf(principal, csrf_token)
    claim = service.claim_to_change(session, claim_id)
    form = StatusForm(
        status=status,
        rationale=rationale,
        source_ids=evidence_source,
        links=evidence_links,
        version=claim.version,
        seen_change=whole_number(seen_change) or 0,
    )

    def save() -> Response:
        evidence = _evidence(evidence_source, evidence_links)
        service.change_status(
            session, claim, status=status, rationale=rationale, evidence=evidence, by=principal.name
        )
        return RedirectResponse(
            paths("claim_page", claim_id=claim_id, fragment="verification"), status_code=303
        )

    def shown(error: AppError) -> HTMLResponse:
        detail = claims_service.get_claim(session, claim_id, paths=paths)
        if isinstance(error, StaleForm):
            # The user's text again, now based on the current version, below what changed since the
            # form was shown: resubmitting is a decision made knowing the other change.
            context = {
                "claim": detail,
                "based_on": error.based_on,
                "changes_since": service.changes_since(detail, form.seen_change),
                "verification_form": form,
            }
            form.seen_change = service.last_change_id(detail)
            return render(request, "verification/stale.html", context)
        form.errors = error.errors if isinstance(error, InvalidStatusChange) else {"version": error.message}
        form.seen_change = service.last_change_id(detail)
        return render(request, "claims/detail.html", {"claim": detail, "verification_form": form})

    return submit_form(session, claim, version, what="claim", save=save, form=shown)
