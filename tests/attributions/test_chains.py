"""The two chain columns a claim's provenance is counted by follow every write of a medium or a chain."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.attributions.chains import chain_key
from app.attributions.schemas import AttributionUpdate, ReportingStepInput
from app.attributions.service import attribution_for_change, update_attribution
from app.models import Attribution, AuditEntry


def chained(session: Session) -> Attribution:
    """A seeded statement that reached its source through at least two intermediaries."""
    for attribution_id in session.scalars(select(Attribution.id).order_by(Attribution.id)):
        attribution = attribution_for_change(session, attribution_id)
        if len(attribution.via) >= 2:
            return attribution
    raise AssertionError("the seeds have a statement with a chain of two steps")


def test_seeded_statements_carry_their_chain_columns(session: Session) -> None:
    attribution = chained(session)

    steps = [(step.actor_id, step.medium) for step in attribution.via]
    assert attribution.first_step_actor_id == steps[0][0]
    assert attribution.chain_key == chain_key(attribution.medium, steps)


def test_a_new_medium_or_chain_moves_the_key_and_the_old_one_brings_it_back(session: Session) -> None:
    attribution = chained(session)
    original_key, original_medium = attribution.chain_key, attribution.medium
    first, second = (
        ReportingStepInput(actor=step.actor_id, medium=step.medium) for step in attribution.via[:2]
    )

    update_attribution(session, attribution, AttributionUpdate(medium="press briefing"), by="test")
    assert attribution.chain_key != original_key
    assert attribution.first_step_actor_id == first.actor

    update_attribution(session, attribution, AttributionUpdate(via=[second]), by="test")
    assert attribution.first_step_actor_id == second.actor

    update_attribution(
        session,
        attribution,
        AttributionUpdate(via=[first, second], medium=original_medium),
        by="test",
    )
    session.flush()
    assert attribution.chain_key == original_key
    assert attribution.first_step_actor_id == first.actor


def test_an_empty_chain_has_no_first_step_and_the_audit_log_skips_both_columns(session: Session) -> None:
    attribution = chained(session)

    update_attribution(session, attribution, AttributionUpdate(via=[]), by="test")
    session.flush()

    assert attribution.first_step_actor_id is None
    assert attribution.chain_key == chain_key(attribution.medium, [])
    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == "attributions", AuditEntry.object_id == attribution.id)
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry is not None
    assert entry.after is not None
    assert entry.before is not None
    assert {"chain_key", "first_step_actor_id"}.isdisjoint(entry.after)
    assert {"chain_key", "first_step_actor_id"}.isdisjoint(entry.before)
