"""What every repository shares: a row by id, a row locked for update, and soft deletion.

After Polar's `kit/repository/base.py`, as functions over a model class, the way the domain repositories
are written. A soft-deleted row (`SoftDeletion`) is left out unless `include_deleted=True`; where the
caller must tell "deleted" from "never existed", it reads with `include_deleted=True` and calls
`check_not_deleted`, which says so in the one message every deleted item gets.
"""

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ExecutableOption

from app.errors import Gone
from app.models.base import Base, SoftDeletion, utcnow

ModelT = TypeVar("ModelT", bound=Base)
DeletableT = TypeVar("DeletableT", bound=SoftDeletion)


def not_deleted(model: type[SoftDeletion]) -> ColumnElement[bool]:
    """The condition that keeps soft-deleted rows of `model` out of a query."""
    return model.deleted_at.is_(None)


def by_id(
    model: type[ModelT], row_id: object, *, include_deleted: bool = False, for_update: bool = False
) -> Select[ModelT]:
    """The statement that reads one row by its primary key: soft-deleted rows only if `include_deleted`;
    `for_update` locks the row until the transaction ends (PostgreSQL; SQLite locks the database) and
    reads it afresh, so that a second writer sees what the first one left."""
    statement = select(model).where(inspect(model).primary_key[0] == row_id)
    if issubclass(model, SoftDeletion) and not include_deleted:
        statement = statement.where(not_deleted(model))
    if for_update:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return statement


def get_by_id(
    session: Session,
    model: type[ModelT],
    row_id: object,
    *,
    include_deleted: bool = False,
    for_update: bool = False,
    options: Sequence[ExecutableOption] = (),
) -> ModelT | None:
    """One row by its primary key, with the eager loading of `options`; see `by_id`. Without options or
    a lock, a row the session holds already is returned without a query."""
    if options or for_update:
        statement = by_id(model, row_id, include_deleted=include_deleted, for_update=for_update)
        return session.scalars(statement.options(*options)).unique().one_or_none()
    row = session.get(model, row_id)
    if isinstance(row, SoftDeletion) and row.deleted_at is not None and not include_deleted:
        return None
    return row


def all_rows(session: Session, model: type[ModelT]) -> list[ModelT]:
    """Every row of `model`, deleted ones too, in primary key order."""
    return list(session.scalars(select(model).order_by(*inspect(model).primary_key)))


def has_rows(session: Session, model: type[Base]) -> bool:
    return session.scalars(select(inspect(model).primary_key[0]).limit(1)).first() is not None


def check_not_deleted(row: DeletableT, what: str) -> DeletableT:
    """`row` if it is not deleted; else Gone (410), saying by whom and when, and that it can be restored.
    `what` names the row to its reader: "Claim 3 (“…”)", "Attribution 12"."""
    if row.deleted_at is not None:
        raise gone(row, what)
    return row


def gone(row: SoftDeletion, what: str) -> Gone:
    """The one answer to a read or change of a deleted row: see `check_not_deleted`."""
    assert row.deleted_at is not None
    return Gone(
        f"{what} was deleted by {row.deleted_by} on {row.deleted_at:%-d %B %Y}. "
        "An administrator can restore it.",
        details={"deleted_at": row.deleted_at.isoformat(), "deleted_by": row.deleted_by},
    )


def soft_delete(row: DeletableT, *, by: str) -> DeletableT:
    row.deleted_at = utcnow()
    row.deleted_by = by
    return row


def restore(row: DeletableT) -> DeletableT:
    row.deleted_at = None
    row.deleted_by = None
    return row
