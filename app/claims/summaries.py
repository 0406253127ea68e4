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

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    bindparam,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session, UOWTransaction

from app.models import Attribution, Claim, ClaimSummary
from app.vocabulary import Stance, is_contested

NAMED_ACTORS = 3
"""Actors a summary names per stance, in the order of their first statement."""
BATCH_CLAIMS = 5_000
"""Claims counted at a time by `rebuild`."""
COUNTED = ("claim_id", "actor_id", "source_id", "stance", "deleted_at")
"""The statement's columns a summary depends on; a change to any other (a quote, a note) leaves it."""
ORDER = {stance.value: position for position, stance in enumerate(Stance)}


def _count(connection: Connection, claim_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The summaries of these claims, counted from their live statements (claims without one get
    an empty summary)."""
    live = [Attribution.claim_id.in_(claim_ids), Attribution.deleted_at.is_(None)]
    per_actor = (
        select(
            Attribution.claim_id,
            Attribution.stance,
            Attribution.actor_id,
            func.count().label("statements"),
            func.min(Attribution.id).label("first_id"),
        )
        .where(*live)
        .group_by(Attribution.claim_id, Attribution.stance, Attribution.actor_id)
        .subquery("per_actor")
    )
    within = (per_actor.c.claim_id, per_actor.c.stance)
    ranked = select(
        per_actor.c.claim_id,
        per_actor.c.stance,
        per_actor.c.actor_id,
        func.row_number().over(partition_by=within, order_by=per_actor.c.first_id).label("position"),
        cast(func.sum(per_actor.c.statements).over(partition_by=within), Integer).label("statements"),
        cast(func.count().over(partition_by=within), Integer).label("actors"),
    ).subquery("ranked")
    summaries: dict[int, dict[str, Any]] = {
        claim_id: {"claim_id": claim_id, "attribution_count": 0, "source_count": 0, "stances": {}}
        for claim_id in claim_ids
    }
    for claim_id, stance, actor_id, statements, actors in connection.execute(
        select(ranked.c.claim_id, ranked.c.stance, ranked.c.actor_id, ranked.c.statements, ranked.c.actors)
        .where(ranked.c.position <= NAMED_ACTORS)
        .order_by(ranked.c.claim_id, ranked.c.stance, ranked.c.position)
    ):
        entry = summaries[claim_id]["stances"].setdefault(
            stance,
            {"stance": stance, "attribution_count": statements, "actor_count": actors, "first_actor_ids": []},
        )
        entry["first_actor_ids"].append(actor_id)
    sources = select(Attribution.claim_id, func.count(Attribution.source_id.distinct())).where(*live)
    for claim_id, source_count in connection.execute(sources.group_by(Attribution.claim_id)):
        summaries[claim_id]["source_count"] = source_count
    for summary in summaries.values():
        stances = sorted(summary["stances"].values(), key=lambda entry: ORDER[entry["stance"]])
        summary["stances"] = stances
        summary["attribution_count"] = sum(entry["attribution_count"] for entry in stances)
        summary["contested"] = is_contested({Stance(entry["stance"]) for entry in stances})
    return list(summaries.values())


def refresh(connection: Connection, claim_ids: Iterable[int]) -> None:
    """Count the summaries of these claims again, from their statements as this transaction sees them."""
    wanted = sorted(set(claim_ids))
    if not wanted:
        return
    present = connection.scalars(
        select(ClaimSummary.claim_id)
        .where(ClaimSummary.claim_id.in_(wanted))
        .order_by(ClaimSummary.claim_id)
        .with_for_update()  # PostgreSQL: one claim's summary is counted by one transaction at a time
    ).all()
    existing = set(present)
    missing = [claim_id for claim_id in wanted if claim_id not in existing]
    if missing:
        # A new claim: its row appears with the claim, in the transaction that creates it.
        live_claims = connection.scalars(select(Claim.id).where(Claim.id.in_(missing))).all()
        if live_claims:
            connection.execute(
                insert(ClaimSummary),
                [
                    {
                        "claim_id": claim_id,
                        "attribution_count": 0,
                        "source_count": 0,
                        "contested": False,
                        "stances": [],
                    }
                    for claim_id in live_claims
                ],
            )
    counted = _count(connection, wanted)
    if counted:
        # An executemany: the SET clause takes the columns the rows carry besides the key.
        connection.execute(
            update(ClaimSummary).where(ClaimSummary.claim_id == bindparam("summary_of")),
            [
                {**{k: v for k, v in summary.items() if k != "claim_id"}, "summary_of": summary["claim_id"]}
                for summary in counted
            ],
        )


def rebuild(connection: Connection) -> None:
    """Count every claim's summary afresh, a batch of claims at a time (after a bulk load)."""
    connection.execute(delete(ClaimSummary))
    last = 0
    while True:
        batch = connection.scalars(
            select(Claim.id).where(Claim.id > last).order_by(Claim.id).limit(BATCH_CLAIMS)
        ).all()
        if not batch:
            return
        connection.execute(insert(ClaimSummary), _count(connection, batch))
        last = batch[-1]


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


def keep_summaries_current() -> None:
    """From now on, every flush in the process counts again the summaries of the claims it touched.
    Called once by whatever writes through sessions (`app.derived`), rather than on import."""
    if not event.contains(Session, "after_flush", _recount_after_flush):
        event.listen(Session, "after_flush", _recount_after_flush)


def _recount_after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    # After the flush, new rows have their ids and `new`, `dirty` and `deleted` still name what the
    # flush wrote, with the history of each attribute.
    touched = _claims_touched(session)
    if touched:
        refresh(session.connection(), touched)
