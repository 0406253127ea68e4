"""Texts whose statements are plain, so that any extractor worth the name proposes them, and ways to
find a proposal by who made it rather than by where an extractor put its spans."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Proposal
from app.proposals.service import AddedSource, add_source
from app.sources.schemas import SourceCreate
from app.vocabulary import ProposalState

TEXT = (
    "Kyiv, 3 April 2026.\n"
    'Jane Doe said "the bridge over the Dnipro river is closed."\n'
    '"We did not blow up the bridge," John Roe said.\n'
    "The ministry declined to comment.\n"
)
KNOWN_TEXT = 'Moscow, 4 April 2026.\nDmitry Peskov said "the talks in Istanbul will go on."\n'


def added(session: Session, text: str = TEXT, title: str = "Bridge closed in Kyiv") -> AddedSource:
    source = add_source(session, SourceCreate(title=title, text=text, outlet="Example Wire"), by="test")
    session.flush()
    return source


def proposals_of(session: Session, source_id: int, state: ProposalState | None = None) -> list[Proposal]:
    session.flush()
    statement = select(Proposal).where(Proposal.source_id == source_id)
    if state is not None:
        statement = statement.where(Proposal.state == state.value)
    return list(session.scalars(statement.order_by(Proposal.quote_start)))


def by_actor(session: Session, source_id: int, name: str) -> Proposal:
    """The one proposal of a source whose actor is named `name` (as proposed)."""
    (proposal,) = [p for p in proposals_of(session, source_id) if (p.actor_name or "").endswith(name)]
    return proposal
