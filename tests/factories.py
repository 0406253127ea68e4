"""Small typed factories for tests that need more rows than the seeds have, made through the services."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.actors.schemas import ActorCreate
from app.actors.service import create_actor
from app.attributions.schemas import AttributionCreate, ReportingStepInput
from app.attributions.service import create_attribution
from app.claims.schemas import ClaimCreate
from app.claims.service import create_claim
from app.models import Actor, Claim, Source
from app.sources.schemas import SourceCreate
from app.sources.service import ingest_source
from app.verification.schemas import StatusChangeIn
from app.vocabulary import ActorKind, Stance


@dataclass(frozen=True)
class BusyClaim:
    claim: Claim
    actors: list[Actor]
    sources: list[Source]
    outlets: list[Actor]


def status_change(status: str, rationale: str, *evidence: dict[str, object]) -> StatusChangeIn:
    """A fact-checker's decision, as the API reads it."""
    return StatusChangeIn.model_validate({"status": status, "rationale": rationale, "evidence": evidence})


def sentence(number: int) -> str:
    return f"Statement number {number} was made about the busy claim."


def busy_claim(
    session: Session,
    *,
    statements: int,
    actors: int,
    sources: int,
    outlets: int = 0,
    stances: tuple[Stance, ...] = (Stance.ASSERTED,),
    label: str = "busy",
) -> BusyClaim:
    """A new claim with `statements` statements, spread round-robin over new actors, sources, stances
    and (when `outlets` is given) one-step reporting chains through new outlets."""
    claim = create_claim(
        session, ClaimCreate(text=f"The {label} claim holds {statements} statements."), by="test"
    )
    session.flush()
    speakers = [
        create_actor(
            session, ActorCreate(name=f"{label.title()} Speaker {n}", kind=ActorKind.PERSON), by="test"
        )
        for n in range(actors)
    ]
    relays = [
        create_actor(
            session, ActorCreate(name=f"{label.title()} Outlet {n}", kind=ActorKind.OUTLET), by="test"
        )
        for n in range(outlets)
    ]
    per_source = -(-statements // sources)
    texts = [
        " ".join(sentence(n) for n in range(source * per_source, (source + 1) * per_source))
        for source in range(sources)
    ]
    made = [
        ingest_source(session, SourceCreate(title=f"{label.title()} article {n}", text=text), by="test")[0]
        for n, text in enumerate(texts)
    ]
    for n in range(statements):
        source = made[n // per_source]
        quote = sentence(n)
        start = source.text.index(quote)
        create_attribution(
            session,
            AttributionCreate(
                claim_id=claim.id,
                actor=speakers[n % actors].id,
                source_id=source.id,
                stance=stances[n % len(stances)],
                quote=quote,
                quote_start=start,
                quote_end=start + len(quote),
                via=[ReportingStepInput(actor=relays[n % outlets].id)] if outlets else [],
            ),
            by="test",
        )
    session.flush()
    return BusyClaim(claim=claim, actors=speakers, sources=made, outlets=relays)
