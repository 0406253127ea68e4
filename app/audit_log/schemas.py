"""The audit log as the API shows it: one record per change, with the fields it changed."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class FieldChange(BaseModel):
    """One field a change touched: its value before (null: none) and after (null: none)."""

    field: str
    before: Any
    after: Any


class AuditRecord(BaseModel):
    """One change made through the product: who, when, what, and the values before and after."""

    id: int
    at: datetime
    user_name: str = Field(description="Who made the change (an account name, or `cli` for the command).")
    action: str = Field(description="create, update, delete, status_change, role_change, disable, ...")
    object_type: str = Field(description="The table of the changed object: claims, actors, sources, ...")
    object_id: int
    url: str | None = Field(description="The page of the changed object, where it has one.")
    before: dict[str, Any] | None = Field(description="The object's values before; null for a creation.")
    after: dict[str, Any] | None = Field(description="The object's values after; null for a deletion.")
    changes: list[FieldChange] = Field(description="Only the fields whose value changed, old and new.")


@dataclass(frozen=True)
class AuditFilters:
    """Filters that combine; None means any. `since` is inclusive, `until` exclusive."""

    user_name: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    @property
    def active(self) -> bool:
        return any(value is not None for value in vars(self).values())
