"""Rules of the claims service for provenance at a glance: independent origins, the drawing of the
reporting chains, and contradicting claims side by side.

A claim can carry a hundred thousand statements, so nothing here loads them: the database groups and
counts them (app/claims/repository.py: `stance_tallies`, `origins`, `paths`), and these functions turn
the groups, with the few statements and references they name, into what the page and the API show.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.claims import schemas
from app.claims.repository import OriginRow, PathRow, PathSource, StanceTally
from app.models import Actor, Source
from app.schemas import ActorBrief, ClaimRef, SourceRef
from app.statements.schemas import Attribution
from app.vocabulary import SUPPORTING_STANCES, Stance

ORIGINS_SHOWN = 10
"""Origins listed per stance (all are counted)."""
ORIGIN_SOURCES_SHOWN = 5
PATHS_SHOWN = 20
"""Reporting paths drawn: those carrying the most statements (all are counted)."""
PATH_SOURCES_SHOWN = 3
"""Articles named at the end of one path; the others are one counted leaf."""
SUPPORTING_SHOWN = 5
"""Statements shown on each side of a conflict (all are counted)."""

# Where a statement first entered the record, the rule that makes origins independent:
#
# Two statements on a claim share an origin when they have the same stance, the same speaker
# (actor), and the same entry point into the record, which is
#   - the first intermediary of the reporting chain (`via[0]`, e.g. Reuters, The Moscow Times, the
#     reporter who took the call), when the chain names one: however the statement then travelled,
#     and in however many articles it ends up, it came from that one report; or
#   - the source itself, when the chain is empty: the article heard it directly or does not say from
#     whom, so the same actor quoted twice in one article is one origin, while the same actor in two
#     articles that name no intermediary are two (nothing on record joins them).
# The speaker's own medium and the intermediaries' media are free text and are not compared:
# "Telegram post" and "social media post" may well be the same post, but the record cannot tell.
# So two articles quoting the same Reuters line (same actor, claim and stance, first step Reuters)
# count once, and an independent origin is a distinct first report of an actor's statement.
# The database groups by (stance, actor, entry), where entry is the first intermediary's actor id, or
# minus the source's id for a direct statement (app/claims/repository.py `_entry`).


def _brief(actor: Actor | ActorBrief) -> ActorBrief:
    """Only the brief fields, whatever richer reference the statement carries."""
    return ActorBrief(id=actor.id, slug=actor.slug, name=actor.name, kind=actor.kind)


def _source_ref(source: Source | SourceRef) -> SourceRef:
    return SourceRef(id=source.id, title=source.title, outlet=source.outlet, published_on=source.published_on)


def origin_actor_ids(rows: Sequence[OriginRow]) -> set[int]:
    """The actors the origins name: speakers and first intermediaries."""
    return {row.actor_id for row in rows} | {row.entry for row in rows if row.entry > 0}


def origin_source_ids(
    rows: Sequence[OriginRow], sources: Mapping[tuple[str, int, int], list[int]]
) -> set[int]:
    return {-row.entry for row in rows if row.entry < 0} | {i for ids in sources.values() for i in ids}


def stance_summary(
    tallies: Sequence[StanceTally],
    origin_rows: Sequence[OriginRow],
    origin_sources: Mapping[tuple[str, int, int], list[int]],
    actors: Mapping[int, Actor],
    sources: Mapping[int, Source],
) -> list[schemas.StanceSummary]:
    """For each of the six stances, in vocabulary order: distinct actors, independent origins (the
    first of them listed), statements."""
    by_stance = {tally.stance: tally for tally in tallies}
    summary = []
    for stance in Stance:
        tally = by_stance.get(stance.value)
        rows = [row for row in origin_rows if row.stance == stance.value]
        summary.append(
            schemas.StanceSummary(
                stance=stance.value,
                label=stance.label,
                actor_count=tally.actor_count if tally else 0,
                origin_count=rows[0].origin_count if rows else 0,
                attribution_count=tally.attribution_count if tally else 0,
                origins=[
                    schemas.Origin(
                        actor=_brief(actors[row.actor_id]),
                        first_step=_brief(actors[row.entry]) if row.entry > 0 else None,
                        source=_source_ref(sources[-row.entry]) if row.entry < 0 else None,
                        sources=[
                            _source_ref(sources[source_id])
                            for source_id in origin_sources.get((row.stance, row.actor_id, row.entry), [])
                        ],
                        source_count=row.source_count,
                        attribution_count=row.attribution_count,
                        first_attribution_id=row.first_attribution_id,
                    )
                    for row in rows
                ],
            )
        )
    return summary


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

    def count(self, attribution_count: int, first_attribution_id: int) -> None:
        self.node.attribution_count += attribution_count
        self.node.first_attribution_id = min(self.node.first_attribution_id, first_attribution_id)

    def built(self) -> schemas.ChainNode:
        return self.node.model_copy(update={"children": [child.built() for child in self.children.values()]})


def _source_label(source: SourceRef) -> str:
    return f"{source.title} ({source.outlet})" if source.outlet else source.title


def _plural(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _node(kind: str, label: str, first_attribution_id: int, **fields: object) -> schemas.ChainNode:
    return schemas.ChainNode.model_validate(
        {"kind": kind, "label": label, "attribution_count": 0, "first_attribution_id": first_attribution_id}
        | fields
    )


def reporting_chains(
    path_rows: Sequence[PathRow],
    path_sources: Mapping[tuple[str, int, str], list[PathSource]],
    examples: Mapping[int, Attribution],
    sources: Mapping[int, Source],
) -> list[schemas.ChainNode]:
    """The paths speaker → medium → intermediaries → sources, merged where they share a start.

    One tree per speaker and stance (Gladkov, asserted), speakers in stance order, then in the order
    of their first statement. Two paths share a node while they pass through the same actors with the
    same media in the same order, so Gladkov → Telegram post → The Moscow Times → Newsweek and
    Gladkov → Telegram post → The New York Times → … part only after the Telegram post. A path ends
    in the articles that carry it: the first few by name, the rest as one counted leaf. `examples`
    holds each path's first statement (`first_attribution_id`), whose medium and chain are the path's.
    """
    roots: dict[NodeKey, _Node] = {}
    order = list(Stance)
    ordered = sorted(path_rows, key=lambda row: (order.index(Stance(row.stance)), row.first_attribution_id))
    for row in ordered:
        example = examples[row.first_attribution_id]
        first = row.first_attribution_id
        root_key: NodeKey = ("speaker", row.actor_id, row.stance)
        if root_key not in roots:
            roots[root_key] = _Node(
                _node("speaker", example.actor.name, first, actor=_brief(example.actor), stance=row.stance)
            )
        node = roots[root_key]
        node.count(row.attribution_count, first)
        if example.medium:
            node = node.child(
                ("medium", example.medium, None),
                _node("medium", example.medium, first, medium=example.medium),
            )
            node.count(row.attribution_count, first)
        for step in example.via:
            node = node.child(
                ("intermediary", step.actor.id, step.medium),
                _node("intermediary", step.actor.name, first, actor=_brief(step.actor), medium=step.medium),
            )
            node.count(row.attribution_count, first)
        named = path_sources.get((row.stance, row.actor_id, row.chain_key), [])
        for leaf in named:
            source = _source_ref(sources[leaf.source_id])
            end = node.child(
                ("source", leaf.source_id, None),
                _node("source", _source_label(source), leaf.first_attribution_id, source=source),
            )
            end.count(leaf.attribution_count, leaf.first_attribution_id)
        others = row.source_count - len(named)
        if others > 0:
            rest = row.attribution_count - sum(leaf.attribution_count for leaf in named)
            end = node.child(
                ("more_sources", row.chain_key, None),
                _node(
                    "more_sources",
                    _plural(others, "more article", "more articles"),
                    first,
                    source_count=others,
                ),
            )
            end.count(rest, first)
    return [root.built() for root in roots.values()]


# Contradicting claims side by side


def conflict_sides(
    sides: Sequence[tuple[ClaimRef, bool]],
    tallies: Sequence[StanceTally],
    supporting: Mapping[int, list[Attribution]],
) -> list[schemas.ConflictSide]:
    """This claim and each claim that contradicts it (either way round), with who supports each.

    A side lists the first statements that assert or confirm its claim: the same question answered
    differently (20 miles from the border, or 40) is two claims related by `contradicts`, and each
    answer's side shows who gives it. Empty when no claim contradicts this one.
    """
    if len(sides) < 2:
        return []
    result = []
    for claim, is_this in sides:
        own = [tally for tally in tallies if tally.claim_id == claim.id]
        result.append(
            schemas.ConflictSide(
                claim=claim,
                is_this_claim=is_this,
                supporting=[
                    schemas.ConflictStatement(
                        attribution_id=statement.id,
                        actor=_brief(statement.actor),
                        stance=statement.stance,
                        quote=statement.quote,
                        source=_source_ref(statement.source),
                    )
                    for statement in supporting.get(claim.id, [])
                ],
                supporting_count=sum(
                    tally.attribution_count for tally in own if Stance(tally.stance) in SUPPORTING_STANCES
                ),
                other_stances=[
                    schemas.StanceTally(
                        stance=tally.stance,
                        label=Stance(tally.stance).label,
                        actor_count=tally.actor_count,
                        attribution_count=tally.attribution_count,
                    )
                    for tally in sorted(own, key=lambda tally: list(Stance).index(Stance(tally.stance)))
                    if Stance(tally.stance) not in SUPPORTING_STANCES
                ],
            )
        )
    return result
