"""The review queue's rules, on both databases: what adding a source proposes, and what accepting,
correcting, rejecting and running the extractor again do to the queue and the record."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim, delete_claim
from app.errors import AppError, Conflict, NotFound
from app.models import Actor, Attribution, AuditEntry, Claim, Proposal
from app.proposals import service
from app.proposals.schemas import ProposalEdits, ProposalSelection
from app.vocabulary import ProposalState, Stance
from tests.helpers import audit_trail, row_counts
from tests.proposals.helpers import KNOWN_TEXT, TEXT, added, by_actor, proposals_of


def test_adding_a_source_proposes_its_statements_and_records_none(session: Session) -> None:
    before = row_counts(session, Attribution, Claim, Actor)

    result = added(session)

    assert result.is_new
    proposals = proposals_of(session, result.source.id)
    assert result.proposed == len(proposals) >= 3
    assert {p.state for p in proposals} == {ProposalState.PENDING.value}
    jane = by_actor(session, result.source.id, "Jane Doe")
    assert (jane.stance, jane.actor_id) == (Stance.ASSERTED.value, None)
    assert "the bridge over the Dnipro river is closed" in TEXT[jane.quote_start : jane.quote_end]
    assert jane.claim_id is None
    assert jane.claim_text is not None
    assert jane.claim_text.startswith("The bridge over the Dnipro river is closed")
    assert by_actor(session, result.source.id, "John Roe").stance == Stance.ASSERTED.value
    assert Stance.DECLINED_TO_COMMENT.value in {p.stance for p in proposals}
    assert row_counts(session, Attribution, Claim, Actor) == before


def test_a_known_actor_and_a_claim_on_record_are_proposed(session: Session) -> None:
    claim = create_claim(
        session, ClaimCreate(text="Talks in Istanbul between Russia and Ukraine will go on."), by="test"
    )
    session.flush()

    result = added(session, KNOWN_TEXT, title="Talks go on")

    (proposal,) = proposals_of(session, result.source.id)
    peskov = session.scalars(select(Actor).where(Actor.slug == "dmitry-peskov")).one()
    assert (proposal.actor_id, proposal.claim_id, proposal.claim_text) == (peskov.id, claim.id, None)


def test_the_same_text_again_proposes_nothing_more(session: Session) -> None:
    first = added(session)
    again = added(session, title="The same text, pasted again")

    assert (again.is_new, again.proposed, again.source.id) == (False, 0, first.source.id)
    assert len(proposals_of(session, first.source.id)) == first.proposed


def test_accepting_makes_an_attribution_through_the_one_write_path(session: Session) -> None:
    source = added(session).source
    jane = by_actor(session, source.id, "Jane Doe")

    decision = service.accept_proposal(session, source.id, jane.id, by="editor-ann")

    attribution = session.get(Attribution, decision.attribution.id if decision.attribution else 0)
    assert attribution is not None
    assert (attribution.source_id, attribution.stance) == (source.id, "asserted")
    assert (attribution.quote_start, attribution.quote_end) == (jane.quote_start, jane.quote_end)
    assert attribution.quote_exact == TEXT[jane.quote_start : jane.quote_end]
    actor = session.get(Actor, attribution.actor_id)
    claim = session.get(Claim, attribution.claim_id)
    assert actor is not None
    assert actor.name == "Jane Doe"
    assert claim is not None
    assert claim.text == jane.claim_text
    (entry,) = audit_trail(session, "attributions", attribution.id)
    assert (entry.user_name, entry.action) == ("editor-ann", "create")
    assert [e.action for e in audit_trail(session, "actors", actor.id)] == ["create"]
    assert [e.action for e in audit_trail(session, "claims", claim.id)] == ["create"]
    assert decision.proposal.state == "accepted"
    assert (decision.proposal.attribution_id, decision.proposal.decided_by) == (attribution.id, "editor-ann")
    assert decision.proposal.decided_at is not None
    (decided,) = audit_trail(session, "proposals", jane.id)
    assert (decided.user_name, decided.action) == ("editor-ann", "accept")
    assert decided.before is not None
    assert decided.after is not None
    assert (decided.before["state"], decided.after["state"]) == ("pending", "accepted")
    assert decided.after["attribution_id"] == attribution.id


def test_accepting_with_corrections(session: Session) -> None:
    source = added(session).source
    roe = by_actor(session, source.id, "John Roe")
    kuleba = session.scalars(select(Actor).where(Actor.slug == "dmytro-kuleba")).one()
    start = TEXT.index('"We did not')
    end = TEXT.index(",", start)
    edits = ProposalEdits(
        actor="dmytro-kuleba",
        stance=Stance.DENIED,
        new_claim="Ukrainian forces blew up the bridge over the Dnipro.",
        quote_start=start,
        quote_end=end,
        medium="press briefing",
    )

    decision = service.accept_proposal(session, source.id, roe.id, edits, by="test")

    assert decision.attribution is not None
    attribution = session.get(Attribution, decision.attribution.id)
    assert attribution is not None
    assert (attribution.actor_id, attribution.stance, attribution.medium) == (
        kuleba.id,
        "denied",
        "press briefing",
    )
    assert attribution.quote_exact == TEXT[start:end]
    assert decision.attribution.claim.text == "Ukrainian forces blew up the bridge over the Dnipro."
    assert session.scalars(select(Actor).where(Actor.name == "John Roe")).all() == []


def test_a_rejected_proposal_is_remembered_and_not_proposed_again(session: Session) -> None:
    result = added(session)
    jane = by_actor(session, result.source.id, "Jane Doe")

    service.reject_proposal(session, result.source.id, jane.id, by="editor-bo")
    run = service.extract_again(session, result.source.id)

    assert (run.proposed, run.decided, run.dropped) == (0, 1, 0)
    assert run.waiting == result.proposed - 1
    session.expire_all()
    rejected = session.get(Proposal, jane.id)
    assert rejected is not None
    assert (rejected.state, rejected.decided_by) == ("rejected", "editor-bo")
    (decided,) = audit_trail(session, "proposals", jane.id)
    assert (decided.user_name, decided.action) == ("editor-bo", "reject")
    assert decided.before is not None
    assert decided.after is not None
    assert (decided.before["state"], decided.after["state"]) == ("pending", "rejected")
    assert len(proposals_of(session, result.source.id)) == result.proposed
    assert session.scalars(select(Attribution).where(Attribution.source_id == result.source.id)).all() == []


def test_running_the_extractor_again_keeps_accepted_ones_and_adds_what_is_new(session: Session) -> None:
    result = added(session)
    jane = by_actor(session, result.source.id, "Jane Doe")
    service.accept_proposal(session, result.source.id, jane.id, by="test")
    pending = [p for p in proposals_of(session, result.source.id) if p.id != jane.id]
    # A pending proposal the extractor no longer makes leaves the queue; a decided one stays.
    session.delete(pending[0])
    session.flush()

    run = service.extract_again(session, result.source.id)

    assert (run.proposed, run.decided, run.waiting) == (1, 1, result.proposed - 1)
    assert len(proposals_of(session, result.source.id, ProposalState.ACCEPTED)) == 1
    attributions = session.scalars(select(Attribution).where(Attribution.source_id == result.source.id))
    assert len(attributions.all()) == 1


def test_deciding_a_decided_proposal_is_a_conflict_that_changes_nothing(session: Session) -> None:
    source = added(session).source
    jane = by_actor(session, source.id, "Jane Doe")
    service.reject_proposal(session, source.id, jane.id, by="editor-bo")
    before = row_counts(session, Attribution, Claim, Actor, AuditEntry)

    with pytest.raises(Conflict) as accepted:
        service.accept_proposal(session, source.id, jane.id, by="test")
    with pytest.raises(Conflict) as rejected:
        service.reject_proposal(session, source.id, jane.id, by="test")

    assert accepted.value.message.startswith(f"Proposal {jane.id} was rejected already, by editor-bo on ")
    assert accepted.value.details["state"] == "rejected"
    assert rejected.value.status_code == 409
    assert row_counts(session, Attribution, Claim, Actor, AuditEntry) == before


def test_a_selection_is_accepted_whole(session: Session) -> None:
    source = added(session).source
    wanted = [by_actor(session, source.id, name).id for name in ("John Roe", "Jane Doe")]

    accepted = service.accept_selection(session, source.id, ProposalSelection(proposal_ids=wanted), by="test")

    assert sorted(d.proposal.id for d in accepted.accepted) == sorted(wanted)
    assert [d.proposal.quote_start for d in accepted.accepted] == sorted(
        d.proposal.quote_start for d in accepted.accepted
    )
    assert all(d.attribution is not None for d in accepted.accepted)
    assert len(proposals_of(session, source.id, ProposalState.ACCEPTED)) == 2


def test_a_selection_with_one_that_fails_accepts_none_and_names_it(session: Session) -> None:
    claim = create_claim(session, ClaimCreate(text="Someone tried to blow up the bridge."), by="test")
    session.flush()
    source = added(session).source
    jane, roe = (by_actor(session, source.id, name) for name in ("Jane Doe", "John Roe"))
    assert roe.claim_id == claim.id, "the content fits the claim on record"
    delete_claim(session, claim, by="test")
    session.flush()
    before = row_counts(session, Attribution, Claim, Actor, AuditEntry)

    with pytest.raises(AppError) as refused:
        service.accept_selection(
            session, source.id, ProposalSelection(proposal_ids=[jane.id, roe.id]), by="test"
        )

    assert refused.value.status_code == 422
    assert refused.value.message.startswith(f"Proposal {roe.id} (John Roe, asserted, at ")
    assert f"claim {claim.id} is deleted" in refused.value.message
    assert refused.value.message.endswith("Nothing of the 2 selected was accepted.")
    assert refused.value.details["proposal_id"] == roe.id
    assert row_counts(session, Attribution, Claim, Actor, AuditEntry) == before
    assert {p.state for p in proposals_of(session, source.id)} == {"pending"}


def test_a_selection_holding_a_decided_proposal_accepts_none(session: Session) -> None:
    source = added(session).source
    jane, roe = (by_actor(session, source.id, name) for name in ("Jane Doe", "John Roe"))
    service.reject_proposal(session, source.id, roe.id, by="test")
    before = row_counts(session, Attribution, AuditEntry)

    with pytest.raises(Conflict, match=f"Proposal {roe.id} was rejected already.*nothing was accepted"):
        service.accept_selection(
            session, source.id, ProposalSelection(proposal_ids=[jane.id, roe.id]), by="test"
        )

    assert row_counts(session, Attribution, AuditEntry) == before


def test_a_missing_source_or_a_proposal_of_another_source_is_not_found(session: Session) -> None:
    source = added(session).source
    other = added(session, KNOWN_TEXT, title="Talks go on").source
    (peskov,) = proposals_of(session, other.id)

    with pytest.raises(NotFound, match="There is no source 999999"):
        service.accept_proposal(session, 999_999, peskov.id, by="test")
    with pytest.raises(NotFound, match=f"Source {source.id} has no proposal {peskov.id}"):
        service.reject_proposal(session, source.id, peskov.id, by="test")
    with pytest.raises(NotFound, match=f"Source {source.id} has no proposal {peskov.id}: nothing"):
        service.accept_selection(session, source.id, ProposalSelection(proposal_ids=[peskov.id]), by="test")
    with pytest.raises(NotFound):
        service.extract_again(session, 999_999)


def test_a_passage_outside_the_text_is_refused(session: Session) -> None:
    source = added(session).source
    jane = by_actor(session, source.id, "Jane Doe")

    with pytest.raises(AppError, match="is not a passage of the source") as refused:
        service.accept_proposal(
            session, source.id, jane.id, ProposalEdits(quote_start=5, quote_end=10**6), by="t"
        )

    assert refused.value.status_code == 422
    session.expire_all()
    assert session.get(Proposal, jane.id).state == "pending"  # type: ignore[union-attr]
