"""Rules of the claims service for provenance at a glance: independent origins, the drawing of the
reporting chains, and contradicting claims side by side.

Everything here is computed from statements already loaded (Attribution schemas, with their actor,
source and reporting chain), so a claim's page costs no query more for it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.attributions.schemas import Attribution
from app.claims import schemas
from app.schemas import ActorBrief, ClaimRef, SourceRef
from app.vocabulary import SUPPORTING_STANCES, Stance

OriginKey = tuple[str, int, str, int]
"""(stance, speaker's actor id, "via" or "source", first intermediary's actor id or source id)."""


def origin_key(attribution: Attribution) -> OriginKey:
    """Where a statement first entered the record; statements with the same key are one origin.

    The rule: two statements on a claim share an origin when they have the same stance, the same
    speaker (actor), and the same entry point into the record, which is
      - the first intermediary of the reporting chain (`via[0]`, e.g. Reuters, The Moscow Times,
        the reporter who took the call), when the chain names one: however the statement then
        travelled, and in however many articles it ends up, it came from that one report; or
      - the source itself, when the chain is empty: the article heard it directly or does not say
        from whom, so the same actor quoted twice in one article is one origin, while the same
        actor in two articles that name no intermediary are two (nothing on record joins them).
    The speaker's own medium and the intermediaries' media are free text and are not compared:
    "Telegram post" and "social media post" may well be the same post, but the record cannot tell.
    So two articles quoting the same Reuters line (same actor, claim and stance, first step Reuters)
    count once, and an independent origin is a distinct first report of an actor's statement.
    """
    if attribution.via:
        return (attribution.stance, attribution.actor.id, "via", attribution.via[0].actor.id)
    return (attribution.stance, attribution.actor.id, "source", attribution.source.id)


def _brief(actor: ActorBrief) -> ActorBrief:
    """Only the brief fields, whatever richer reference the statement carries."""
    return ActorBrief(id=actor.id, slug=actor.slug, name=actor.name, kind=actor.kind)


def _source_ref(source: SourceRef) -> SourceRef:
    return SourceRef(id=source.id, title=source.title, outlet=source.outlet, published_on=source.published_on)


def _unique_sources(attributions: Iterable[Attribution]) -> list[SourceRef]:
    seen: dict[int, SourceRef] = {}
    for attribution in attributions:
        seen.setdefault(attribution.source.id, _source_ref(attribution.source))
    return list(seen.values())


def origins(attributions: Sequence[Attribution]) -> list[schemas.Origin]:
    """The independent origins of these statements, in the order their first statement comes."""
    grouped: dict[OriginKey, list[Attribution]] = {}
    for attribution in attributions:
        grouped.setdefault(origin_key(attribution), []).append(attribution)
    result = []
    for (_stance, _actor_id, entry, _entry_id), statements in grouped.items():
        first = statements[0]
        result.append(
            schemas.Origin(
                actor=_brief(first.actor),
                first_step=_brief(first.via[0].actor) if entry == "via" else None,
                source=_source_ref(first.source) if entry == "source" else None,
                sources=_unique_sources(statements),
                attribution_ids=[statement.id for statement in statements],
            )
        )
    return result


def stance_summary(attributions: Sequence[Attribution]) -> list[schemas.StanceSummary]:
    """For each of the six stances, in vocabulary order: distinct actors, independent origins, statements."""
    summary = []
    for stance in Stance:
        statements = [a for a in attributions if a.stance == stance.value]
        stance_origins = origins(statements)
        summary.append(
            schemas.StanceSummary(
                stance=stance.value,
                label=stance.label,
                actor_count=len({a.actor.id for a in statements}),
                origin_count=len(stance_origins),
                attribution_count=len(statements),
                origins=stance_origins,
            )
        )
    return summary


def stance_tallies(attributions: Sequence[Attribution]) -> list[schemas.StanceTally]:
    """The stances taken, in vocabulary order, with how many actors and statements take each."""
    tallies = []
    for stance in Stance:
        statements = [a for a in attributions if a.stance == stance.value]
        if statements:
            tallies.append(
                schemas.StanceTally(
                    stance=stance.value,
                    label=stance.label,
                    actor_count=len({a.actor.id for a in statements}),
                    attribution_count=len(statements),
                )
            )
    return tallies


# The drawing of the reporting chains

NodeKey = tuple[str, str | int | None, str | None]


@dataclass
class _Node:
    node: schemas.ChainNode
    children: dict[NodeKey, "_Node"] = field(default_factory=dict)

    def child(self, key: NodeKey, make: schemas.ChainNode) -> "_Node":
        if key not in self.children:
            self.children[key] = _Node(make)
        return self.children[key]

    def built(self) -> schemas.ChainNode:
        return self.node.model_copy(update={"children": [child.built() for child in self.children.values()]})


def _source_label(source: SourceRef) -> str:
    return f"{source.title} ({source.outlet})" if source.outlet else source.title


def reporting_chains(attributions: Sequence[Attribution]) -> list[schemas.ChainNode]:
    """The statements' paths speaker → medium → intermediaries → source, merged where they share a start.

    One tree per speaker and stance (Gladkov, asserted), speakers in stance order. Two paths share a
    node while they pass through the same actors with the same media in the same order, so
    Gladkov → Telegram post → The Moscow Times → Newsweek and Gladkov → Telegram post → The New York
    Times → … part only after the Telegram post. Every path ends in the source that carries it.
    """
    roots: dict[NodeKey, _Node] = {}
    ordered = sorted(attributions, key=lambda a: list(Stance).index(Stance(a.stance)))
    for attribution in ordered:
        root_key: NodeKey = ("speaker", attribution.actor.id, attribution.stance)
        if root_key not in roots:
            roots[root_key] = _Node(
                schemas.ChainNode(
                    kind="speaker",
                    label=attribution.actor.name,
                    actor=_brief(attribution.actor),
                    stance=attribution.stance,
                    attribution_ids=[],
                )
            )
        node = roots[root_key]
        node.node.attribution_ids.append(attribution.id)
        if attribution.medium:
            node = node.child(
                ("medium", attribution.medium, None),
                schemas.ChainNode(
                    kind="medium", label=attribution.medium, medium=attribution.medium, attribution_ids=[]
                ),
            )
            node.node.attribution_ids.append(attribution.id)
        for step in attribution.via:
            node = node.child(
                ("intermediary", step.actor.id, step.medium),
                schemas.ChainNode(
                    kind="intermediary",
                    label=step.actor.name,
                    actor=_brief(step.actor),
                    medium=step.medium,
                    attribution_ids=[],
                ),
            )
            node.node.attribution_ids.append(attribution.id)
        node = node.child(
            ("source", attribution.source.id, None),
            schemas.ChainNode(
                kind="source",
                label=_source_label(attribution.source),
                source=_source_ref(attribution.source),
                attribution_ids=[],
            ),
        )
        node.node.attribution_ids.append(attribution.id)
    return [root.built() for root in roots.values()]


# Contradicting claims side by side


def conflict_sides(
    claim: ClaimRef,
    attributions: Sequence[Attribution],
    contradicting: Sequence[tuple[ClaimRef, Sequence[Attribution]]],
) -> list[schemas.ConflictSide]:
    """This claim and each claim that contradicts it (either way round), with who supports each.

    A side lists the statements that assert or confirm its claim: the same question answered
    differently (20 miles from the border, or 40) is two claims related by `contradicts`, and each
    answer's side shows who gives it. Empty when no claim contradicts this one.
    """
    if not contradicting:
        return []
    sides = [(claim, attributions, True)] + [(other, said, False) for other, said in contradicting]
    return [
        schemas.ConflictSide(
            claim=side_claim,
            is_this_claim=is_this,
            supporting=[
                schemas.ConflictStatement(
                    attribution_id=a.id,
                    actor=_brief(a.actor),
                    stance=a.stance,
                    quote=a.quote,
                    source=_source_ref(a.source),
                )
                for a in said
                if Stance(a.stance) in SUPPORTING_STANCES
            ],
            other_stances=stance_tallies([a for a in said if Stance(a.stance) not in SUPPORTING_STANCES]),
        )
        for side_claim, said, is_this in sides
    ]
