"""The status form on a claim's page: a fact-checker sets the status with a rationale and evidence."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.auth import FactChecker, check_csrf
from app.claims import service as claims_service
from app.errors import AppError
from app.pagination import whole_number
from app.urls import PathsDep
from app.verification import service
from app.verification.forms import ShownStatusForm, StatusForm, add_error
from app.verification.service import InvalidStatusChange
from app.web import CsrfField, FormVersion, ItemId, SessionDep, StaleForm, render, submit_form

router = APIRouter(include_in_schema=False)


@router.post("/claims/{claim_id}/status", response_class=HTMLResponse)
def submit_status(
    request: Request,
    session: SessionDep,
    paths: PathsDep,
    principal: FactChecker,
    claim_id: ItemId,
    typed: Annotated[StatusForm, Form()],
    version: FormVersion = None,
    csrf_token: CsrfField = None,
) -> Response:
    """Set the claim's status; a wrong field or a stale version shows the form again, nothing lost."""
    check_csrf(principal, csrf_token)
    claim = service.claim_to_change(session, claim_id)
    form = ShownStatusForm(typed, version=claim.version, seen_change=whole_number(typed.seen_change) or 0)

    def save() -> Response:
        service.change_status(session, claim, typed.change(), by=principal.name)
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
        if isinstance(error, InvalidStatusChange):
            for name, problem in error.errors.items():
                add_error(form.errors, typed.field_of(name), problem)
        else:
            form.errors = {"version": error.message}
        form.seen_change = service.last_change_id(detail)
        return render(request, "claims/detail.html", {"claim": detail, "verification_form": form})

    return submit_form(session, claim, version, what="claim", save=save, form=shown)
