"""HTML pages for claims: the index (the home page) and one claim with who stands where."""

from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.claims import service
from app.claims.repository import ClaimFilters
from app.errors import InvalidInput
from app.vocabulary import Stance, VerificationStatus
from app.web import ItemId, PageDep, SessionDep, Text, render

router = APIRouter(include_in_schema=False)

ChoiceT = TypeVar("ChoiceT", bound=StrEnum)


def parse_choice(vocabulary: type[ChoiceT], field: str, value: str | None) -> ChoiceT | None:
    """A select's value as a member of its vocabulary; the empty "any" option means no filter."""
    if value is None or not value.strip():
        return None
    try:
        return vocabulary(value.strip())
    except ValueError:
        allowed = ", ".join(member.value for member in vocabulary)
        raise InvalidInput(
            f"'{value}' is not a {field}. Use one of: {allowed}; or leave it empty for any {field}.",
        ) from None


@router.get("/", response_class=HTMLResponse)
def claims_index(
    request: Request,
    session: SessionDep,
    page: PageDep,
    actor: Annotated[Text | None, Query(max_length=300)] = None,
    stance: Annotated[Text | None, Query(max_length=40)] = None,
    status: Annotated[Text | None, Query(max_length=40)] = None,
    q: Annotated[Text | None, Query(max_length=300)] = None,
) -> HTMLResponse:
    """Every claim with its verification status, whether it is contested, and who stands where."""
    actor = (actor or "").strip() or None
    q = (q or "").strip() or None
    stance_filter = parse_choice(Stance, "stance", stance)
    status_filter = parse_choice(VerificationStatus, "verification status", status)
    filters = ClaimFilters(stance=stance_filter, status=status_filter, text=q)
    claims = service.list_claims(session, actor=actor, filters=filters, page=page)
    return render(
        request,
        "claims/index.html",
        {
            "claims": claims,
            "filters": {"actor": actor, "stance": stance_filter, "status": status_filter, "q": q},
            "filtered": any(value is not None for value in (actor, stance_filter, status_filter, q)),
            "paged": page.after_id is not None,
        },
    )


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, session: SessionDep, claim_id: ItemId) -> HTMLResponse:
    """A claim: its statements grouped by stance, its related claims, its verification history."""
    claim = service.get_claim(session, claim_id)
    return render(request, "claims/detail.html", {"claim": claim})
