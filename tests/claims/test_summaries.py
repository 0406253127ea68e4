"""A claim's summary (who stands where, counted) follows every change to its statements, and always
equals a fresh count of them."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.attributions.schemas import AttributionUpdate
from app.attributions.service import (
    attribution_for_change,
    delete_attribution,
    restore_attribution,
    update_attribution,
)
from app.claims import repository
from app.models import Attribution, Claim, ClaimSummary
from app.vocabulary import Stance
from tests.factories import busy_claim


def stored(session: Session, claim_id: int) -> dict[str, Any]:
    session.flush()
    summary = session.get(ClaimSummary, claim_id, populate_existing=True)
    assert summary is not None
    return {
        "attribution_count": summary.attribution_count,
        "source_count": summary.source_count,
        "contested": summary.contested,
        "stances": summary.stances,
    }


def counted(session: Session, claim_id: int) -> dict[str, Any]:
    (fresh,) = repository.count_summaries(session.connection(), [claim_id])
    return {key: fresh[key] for key in ("attribution_count", "source_count", "contested", "stances")}


def test_every_seeded_claim_has_its_counted_summary(session: Session) -> None:
    for claim_id in session.scalars(select(Claim.id).order_by(Claim.id)):
        assert stored(session, claim_id) == counted(session, claim_id)


def test_a_new_claim_has_an_empty_summary_and_its_statements_fill_it(session: Session) -> None:
    busy = busy_claim(session, statements=12, actors=5, sources=3, stances=(Stance.ASSERTED, Stance.DENIED))

    summary = stored(session, busy.claim.id)

    assert summary == counted(session, busy.claim.id)
    assert (summary["attribution_count"], summary["source_count"], summary["contested"]) == (12, 3, True)
    assert [(e["stance"], e["attribution_count"], e["actor_count"]) for e in summary["stances"]] == [
        ("asserted", 6, 5),
        ("denied", 6, 5),
    ]
    # The first three actors of each stance, in the order of their first statement.
    assert summary["stances"][0]["first_actor_ids"] == [
        busy.actors[0].id,
        busy.actors[2].id,
        busy.actors[4].id,
    ]


def test_edits_deletions_restores_and_moves_keep_both_claims_counted(session: Session) -> None:
    one = busy_claim(session, statements=6, actors=3, sources=2, label="first")
    other = busy_claim(session, statements=4, actors=2, sources=2, label="second")
    statement_ids = session.scalars(
        select(Attribution.id).where(Attribution.claim_id == one.claim.id).order_by(Attribution.id)
    ).all()

    first = attribution_for_change(session, statement_ids[0])
    update_attribution(session, first, AttributionUpdate(stance=Stance.DISPUTED), by="test")
    assert stored(session, one.claim.id) == counted(session, one.claim.id)
    assert stored(session, one.claim.id)["contested"] is True

    second = attribution_for_change(session, statement_ids[1])
    delete_attribution(session, second, by="test")
    assert stored(session, one.claim.id)["attribution_count"] == 5
    assert stored(session, one.claim.id) == counted(session, one.claim.id)
    restore_attribution(session, attribution_for_change(session, statement_ids[1], deleted=True), by="test")
    assert stored(session, one.claim.id)["attribution_count"] == 6

    third = attribution_for_change(session, statement_ids[2])
    update_attribution(session, third, AttributionUpdate(claim_id=other.claim.id), by="test")
    assert stored(session, one.claim.id)["attribution_count"] == 5
    assert stored(session, other.claim.id)["attribution_count"] == 5
    assert stored(session, one.claim.id) == counted(session, one.claim.id)
    assert stored(session, other.claim.id) == counted(session, other.claim.id)

    # A change that no count reads (the note) leaves the summary as it was.
    before = stored(session, other.claim.id)
    update_attribution(
        session, attribution_for_change(session, statement_ids[3]), AttributionUpdate(note="n"), by="test"
    )
    assert stored(session, other.claim.id) == before


def test_rebuild_counts_every_claim_as_the_writes_did(session: Session) -> None:
    busy_claim(session, statements=9, actors=4, sources=3, stances=(Stance.ASSERTED, Stance.CONFIRMED))
    session.flush()
    before = {
        row.claim_id: (row.attribution_count, row.source_count, row.contested, row.stances)
        for row in session.scalars(select(ClaimSummary))
    }

    repository.rebuild_summaries(session.connection())
    session.expire_all()

    after = {
        row.claim_id: (row.attribution_count, row.source_count, row.contested, row.stances)
        for row in session.scalars(select(ClaimSummary))
    }
    assert after == before
    assert set(after) == set(session.scalars(select(Claim.id)))
