"""JSON route for the audit log: read only; nothing in the product edits or deletes a record."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.accounts.auth import Editor
from app.audit_log import service
from app.audit_log.schemas import AuditFilters, AuditRecord
from app.errors import InvalidInput
from app.pagination import MAX_ID, whole_number
from app.schemas import Page
from app.urls import PathsDep
from app.web import PageDep, SessionDep, Text

router = APIRouter(tags=["audit"])


def _day(field: str, value: str | None) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"'{value}' is not a date for '{field}': write it as YYYY-MM-DD.") from None


def _object_id(value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    number = whole_number(value)
    if not number:
        raise InvalidInput(f"'{value}' is not an object id: give a whole number from 1 to {MAX_ID}.")
    return number


def _choice(value: str | None) -> str | None:
    return (value or "").strip() or None


# async: it only parses, and a plain `def` dependency costs every request a thread-pool hop.
async def audit_filters(
    user: Annotated[
        Text | None, Query(max_length=100, description="The account that made the change.")
    ] = None,
    object_type: Annotated[
        Text | None, Query(max_length=32, description="claims, actors, sources, attributions, users, ...")
    ] = None,
    object_id: Annotated[Text | None, Query(max_length=12, description="The changed object's id.")] = None,
    action: Annotated[
        Text | None, Query(max_length=32, description="create, update, delete, status_change, ...")
    ] = None,
    from_day: Annotated[
        Text | None, Query(alias="from", max_length=10, description="From this day (UTC), YYYY-MM-DD.")
    ] = None,
    to_day: Annotated[
        Text | None, Query(alias="to", max_length=10, description="To this day (UTC) included, YYYY-MM-DD.")
    ] = None,
) -> AuditFilters:
    """The audit log's filters from the query string; an empty value means any."""
    since, until = _day("from", from_day), _day("to", to_day)
    if since is not None and until is not None and since > until:
        raise InvalidInput(f"The time range is empty: 'from' ({since}) is after 'to' ({until}).")
    return AuditFilters(
        user_name=_choice(user),
        object_type=_choice(object_type),
        object_id=_object_id(object_id),
        action=_choice(action),
        since=datetime.combine(since, time.min, UTC) if since else None,
        until=_end_of(until) if until else None,
    )


def _end_of(day: date) -> datetime | None:
    """The moment `day` ends (UTC), an exclusive bound: the next day's start. The calendar's last day
    (9999-12-31) has none, and needs none: every record is before its end."""
    return None if day == date.max else datetime.combine(day + timedelta(days=1), time.min, UTC)


AuditFiltersDep = Annotated[AuditFilters, Depends(audit_filters)]


@router.get("/audit", response_model=Page[AuditRecord], openapi_extra={"security": [{"bearer": []}]})
def list_audit_records(
    session: SessionDep, paths: PathsDep, _principal: Editor, filters: AuditFiltersDep, page: PageDep
) -> Page[AuditRecord]:
    """The audit log, newest first: who changed what, when, and the values before and after.

    Editors and admins only. Filters combine: `user`, `object_type`, `object_id`, `action`, and the days
    `from` and `to` (UTC, both included).
    """
    return service.list_records(session, filters, page, paths=paths)
