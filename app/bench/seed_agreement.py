"""How much of the project's own reading of the seed articles (seeds/annotations.yaml) the extractor proposes.

An annotation is proposed when a proposal resolved to the annotation's actor has a content or cue span that
overlaps the annotation's verbatim quote; its stance is right when one such proposal has the same stance."""

from dataclasses import dataclass, field
from pathlib import Path

from app.attributions.quotes import locate
from app.extraction import Extracted, Span, extract
from app.seeds import known_actors, read_seed_dir


@dataclass(frozen=True)
class SeedMiss:
    source: str
    actor: str
    stance: str
    quote: str
    proposed_stances: tuple[str, ...]
    """The stances proposed for this actor and quote: empty when the annotation was not proposed at all."""


@dataclass
class SeedAgreement:
    annotations: int = 0
    proposed: int = 0
    stance_right: int = 0
    misses: list[SeedMiss] = field(default_factory=list)

    @property
    def proposed_share(self) -> float:
        return self.proposed / self.annotations if self.annotations else 0.0

    @property
    def stance_share(self) -> float:
        return self.stance_right / self.proposed if self.proposed else 0.0


def _overlaps(span: Span | None, start: int, end: int) -> bool:
    return span is not None and span.start < end and start < span.end


def seed_agreement(seed_dir: Path) -> SeedAgreement:
    data = read_seed_dir(seed_dir)
    gazetteer = known_actors(data.annotations.actors)
    proposals: dict[str, list[Extracted]] = {
        name: extract(text, gazetteer) for name, text in data.texts.items()
    }
    agreement = SeedAgreement()
    for annotation in data.annotations.attributions:
        text = data.texts[annotation.source]
        anchor = locate(text, annotation.quote, occurrence=annotation.occurrence)
        fitting = [
            proposal
            for proposal in proposals[annotation.source]
            if proposal.actor_key == annotation.actor
            and (
                _overlaps(proposal.content, anchor.start, anchor.end)
                or _overlaps(proposal.cue, anchor.start, anchor.end)
            )
        ]
        agreement.annotations += 1
        stances = tuple(proposal.stance.value for proposal in fitting)
        if fitting:
            agreement.proposed += 1
            if annotation.stance.value in stances:
                agreement.stance_right += 1
                continue
        agreement.misses.append(
            SeedMiss(annotation.source, annotation.actor, annotation.stance.value, annotation.quote, stances)
        )
    return agreement
