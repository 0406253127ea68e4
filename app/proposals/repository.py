"""Queries for the review queue."""

from collections.abc import Sequence

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session, selectinload

from app.fulltext.indexing import CLAIM
from app.fulltext.repository import documents_with_words
from app.models import Actor, Attribution, Claim, Proposal
from app.models.search import SearchDocument
from app.statements.repository import proposal_loading
from app.vocabulary import ProposalState


def proposal_for_decision(session: Session, proposal_id: int) -> Proposal | None:
    """A proposal, locked until the request ends (two editors deciding it at once: one waits, then
    finds it decided), with what its schema shows."""
    statement = (
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .options(*proposal_loading())
        .with_for_update(of=Proposal)
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).unique().one_or_none()


def proposals_for_decision(session: Session, source_id: int, proposal_ids: Sequence[int]) -> list[Proposal]:
    """The proposals of a source among `proposal_ids`, locked, in text order."""
    statement = (
        select(Proposal)
        .where(Proposal.source_id == source_id, Proposal.id.in_(sorted(set(proposal_ids))))
        .options(*proposal_loading())
        .order_by(Proposal.quote_start, Proposal.id)
        .with_for_update(of=Proposal)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(statement).unique())


def proposal_keys(session: Session, source_id: int) -> dict[str, tuple[int, str]]:
    """Every proposal of a source, decided or not, by its key: (id, state)."""
    statement = select(Proposal.key, Proposal.id, Proposal.state).where(Proposal.source_id == source_id)
    return {key: (proposal_id, state) for key, proposal_id, state in session.execute(statement)}


def delete_pending(session: Session, proposal_ids: Sequence[int]) -> None:
    """Forget pending proposals (the extractor no longer makes them); decided ones are kept."""
    if proposal_ids:
        session.execute(
            delete(Proposal).where(
                Proposal.id.in_(proposal_ids), Proposal.state == ProposalState.PENDING.value
            )
        )


def known_actors(session: Session) -> list[Actor]:
    """Every actor with its aliases: the extractor's gazetteer."""
    statement = select(Actor).options(selectinload(Actor.aliases)).order_by(Actor.id)
    return list(session.scalars(statement))


def attributed_spans(session: Session, source_id: int) -> set[tuple[int, int]]:
    """The (start, end) of every statement recorded in a source, deleted ones too: a passage
    attributed already is not proposed again."""
    statement = select(Attribution.quote_start, Attribution.quote_end).where(
        Attribution.source_id == source_id
    )
    return {(start, end) for start, end in session.execute(statement)}


def claims_with_any_word(session: Session, words: Sequence[str], *, limit: int) -> list[tuple[int, str]]:
    """Live claims whose text has a word starting with one of `words` (folded), through the search
    index's claim documents, newest first: (id, the claim's folded words)."""
    statement = (
        select(Claim.id, SearchDocument.primary_terms)
        .join(SearchDocument, and_(SearchDocument.kind == CLAIM, SearchDocument.object_id == Claim.id))
        .where(or_(*(documents_with_words(CLAIM, [word], own=True) for word in words)))
        .where(Claim.deleted_at.is_(None))
        .order_by(Claim.id.desc())
        .limit(limit)
    )
    return [(claim_id, terms or "") for claim_id, terms in session.execute(statement)]
