"""Keeping each claim's summary (`claim_summaries`) in step with its live statements.

A claim's summary says who stands where on it: per stance taken, how many statements, how many
distinct actors, and the first three actors; and in all, how many statements and sources, and
whether the claim is contested. Lists of claims read it instead of counting every statement of every
claim they show, which for a page of popular claims would be hundreds of thousands of rows.

Why a flush hook, as for the search index: every path that changes statements (services, seeds,
restores, tests' factories) must keep it current, and none can forget a hook. The summaries of
exactly the claims whose statements changed are counted again from the statements, on the flush's
own connection, so a rolled-back change leaves them as they were. Counting again rather than adding
and subtracting keeps them right whatever the change (a statement moved to another claim, a stance
changed, a deletion restored); it costs one claim's statements, read through the covering index
`ix_attributions_live_claim_summary`, per write. On PostgreSQL the summary rows are locked first, so
that two transactions adding statements to one claim count one after the other.
"""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from app.claims.repository import refresh_summaries
from app.models import Attribution, Claim

COUNTED = ("claim_id", "actor_id", "source_id", "stance", "deleted_at")
"""The statement's columns a summary depends on; a change to any other (a quote, a note) leaves it."""


def _claims_touched(session: Session) -> set[int]:
    touched: set[int] = set()
    for row in session.new:
        if isinstance(row, Attribution | Claim):
            touched.add(row.claim_id if isinstance(row, Attribution) else row.id)
    for row in session.dirty:
        if isinstance(row, Attribution):
            state = inspect(row)
            for name in COUNTED:
                history = state.attrs[name].history
                if history.has_changes():
                    touched.add(row.claim_id)
                    if name == "claim_id":
                        touched.update(value for value in history.deleted if value is not None)
    for row in session.deleted:
        if isinstance(row, Attribution):
            touched.add(row.claim_id)
    return touched


@event.listens_for(Session, "after_flush")
def _recount_after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    # After the flush, new rows have their ids and `new`, `dirty` and `deleted` still name what the
    # flush wrote, with the history of each attribute.
    touched = _claims_touched(session)
    if touched:
        refresh_summaries(session.connection(), touched)
