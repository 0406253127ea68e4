"""Many statements at once, for the tests that check that a page stays the same size however many
statements stand behind it: written straight into the tables (a few hundred in one INSERT), inside the
test's rolled-back transaction. The search index is left as it was: these tests do not search them."""

from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.actors.schemas import ActorCreate
from app.actors.service import create_actor
from app.attributions.chains import chain_key
from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim
from app.models import Actor, Attribution, Claim, ReportingStep, Source
from app.sources.schemas import SourceCreate
from app.sources.service import ingest_source
from app.vocabulary import ActorKind, Stance

CONTEXT = 32


@dataclass(frozen=True)
class Planned:
    """One statement to write: who, on what, where in the text, and through whom."""

    actor: Actor
    claim: Claim
    stance: Stance
    start: int
    end: int
    via: tuple[Actor, ...] = field(default_factory=tuple)


def new_actor(session: Session, name: str) -> Actor:
    actor = create_actor(session, ActorCreate(name=name, kind=ActorKind.PERSON), by="test")
    session.flush()
    return actor


def new_claims(session: Session, count: int, *, prefix: str = "Bulk claim") -> list[Claim]:
    claims = [
        create_claim(session, ClaimCreate(text=f"{prefix} number {number}."), by="test")
        for number in range(count)
    ]
    session.flush()
    return claims


def new_source(session: Session, text: str, *, title: str = "A long transcript") -> Source:
    source, created = ingest_source(session, SourceCreate(title=title, text=text), by="test")
    assert created
    session.flush()
    return source


def insert_statements(session: Session, source: Source, text: str, planned: list[Planned]) -> list[int]:
    """Write the statements (quotes cut from `text`, the source's text) and their reporting chains;
    their ids, in the order planned (ascending)."""
    rows = [
        {
            "claim_id": statement.claim.id,
            "actor_id": statement.actor.id,
            "source_id": source.id,
            "stance": statement.stance.value,
            "quote_start": statement.start,
            "quote_end": statement.end,
            "quote_exact": text[statement.start : statement.end],
            "quote_prefix": text[max(0, statement.start - CONTEXT) : statement.start],
            "quote_suffix": text[statement.end : statement.end + CONTEXT],
            "first_step_actor_id": statement.via[0].id if statement.via else None,
            "chain_key": chain_key(None, [(step.id, None) for step in statement.via]),
        }
        for statement in planned
    ]
    ids = list(
        session.scalars(insert(Attribution).returning(Attribution.id, sort_by_parameter_order=True), rows)
    )
    steps = [
        {"attribution_id": attribution_id, "position": position, "actor_id": step.id}
        for attribution_id, statement in zip(ids, planned, strict=True)
        for position, step in enumerate(statement.via)
    ]
    if steps:
        session.execute(insert(ReportingStep), steps)
    assert ids == sorted(ids)
    return ids
