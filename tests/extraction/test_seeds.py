"""The extractor alone, with the seed actors as its gazetteer, proposes the project's own reading of the three
seed articles (seeds/annotations.yaml): most statements with the right actor, and most of those with the right
stance (issue 13's bar: 85% and 90%)."""

from app.bench.seed_agreement import seed_agreement
from app.config import get_settings


def test_the_seed_annotations_are_proposed_with_their_actor_and_stance() -> None:
    agreement = seed_agreement(get_settings().seeds_dir)
    missed = "\n".join(
        f"{miss.source} {miss.actor} {miss.stance}: {miss.quote[:80]}" for miss in agreement.misses
    )
    assert agreement.annotations >= 80
    assert agreement.proposed_share >= 0.85, missed
    assert agreement.stance_share >= 0.90, missed
