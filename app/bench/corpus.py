"""A deterministic synthetic corpus at newsroom scale, produced as rows ready for a bulk load.

Everything follows from the number of statements and a seed: the same two give the same rows, row
for row, on every backend (only the spelling of timestamps and flags differs, see `ValueFormat`).
The corpus is planned first in small structures whose size follows the number of claims, actors
and sources (tens of thousands at a million statements), then the sources are written one at a
time, each with its statements and their reporting chains, so that no more than a batch of
statements is ever held in memory.

What it looks like:
- popularity is Zipf-like: a few actors and claims carry a large share of the statements, most
  carry a handful; a few long transcripts hold thousands of statements, most articles 5–40;
- every quote is a sentence of its source's text, anchored at its offsets exactly as
  `app.attributions.quotes.anchor_at` anchors it;
- actors have aliases (transliterations, spellings without diacritics, Cyrillic originals,
  descriptions), each with its folded look-up key, the canonical name among them, as the actors'
  service stores them;
- claims are related (contradicts / narrows / supports) and some have a verification history;
- statements carry reporting chains through agencies, outlets and reporters, and the two chain
  columns computed by `app.attributions.chains.chain_key`;
- a few statements and claims are soft-deleted.
"""

import hashlib
import json
import random
import time
import unicodedata
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import Any

from app.attributions.chains import chain_key
from app.attributions.quotes import anchor_at
from app.bench import wordlists as words
from app.bench.wordlists import Spelling
from app.names import fold_name, slugify
from app.vocabulary import RelationKind, Stance, VerificationStatus

Row = tuple[Any, ...]
Chain = tuple[tuple[int, str | None], ...]
"""The intermediaries a statement came through, in order: (actor id, the medium it used)."""

INGESTED_BY = "bench"
FIRST_DAY = date(2021, 1, 1)
DAYS = 5 * 365
FIRST_SECOND = int(time.mktime(FIRST_DAY.timetuple())) - time.timezone
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# The columns each table is written with, in the order of the rows below; the loader checks
# that they are exactly the table's columns.
COLUMNS: dict[str, tuple[str, ...]] = {
    "actors": (
        "id",
        "slug",
        "name",
        "kind",
        "role",
        "affiliation_id",
        "wikidata_qid",
        "created_at",
        "version",
    ),
    "actor_aliases": ("id", "actor_id", "alias", "name_key", "is_name"),
    "claims": (
        "id",
        "slug",
        "text",
        "verification_status",
        "created_at",
        "updated_at",
        "version",
        "deleted_at",
        "deleted_by",
    ),
    "claim_relations": ("id", "claim_id", "related_claim_id", "kind"),
    "status_changes": (
        "id",
        "claim_id",
        "from_status",
        "to_status",
        "rationale",
        "evidence",
        "changed_by",
        "changed_at",
    ),
    "sources": (
        "id",
        "title",
        "title_supplied",
        "outlet",
        "url",
        "published_on",
        "language",
        "text",
        "sha256",
        "file_name",
        "notes",
        "ingested_by",
        "ingested_at",
        "version",
    ),
    "attributions": (
        "id",
        "claim_id",
        "actor_id",
        "source_id",
        "stance",
        "quote_start",
        "quote_end",
        "quote_exact",
        "quote_prefix",
        "quote_suffix",
        "medium",
        "first_step_actor_id",
        "chain_key",
        "note",
        "created_at",
        "version",
        "deleted_at",
        "deleted_by",
    ),
    "reporting_steps": ("id", "attribution_id", "position", "actor_id", "medium"),
}
TABLES = tuple(COLUMNS)
"""The tables the corpus fills, in an order that satisfies every foreign key."""

STANCE_WEIGHTS: dict[Stance, float] = {
    Stance.ASSERTED: 0.40,
    Stance.DENIED: 0.16,
    Stance.DISPUTED: 0.13,
    Stance.CONFIRMED: 0.12,
    Stance.COULD_NOT_VERIFY: 0.12,
    Stance.DECLINED_TO_COMMENT: 0.07,
}
CHAIN_LENGTH_WEIGHTS = (0.45, 0.35, 0.15, 0.05)
"""An article's statement reached it directly, or through one, two or three intermediaries."""
DELETED_STATEMENT_EVERY = 1_000
"""One statement in a thousand is soft-deleted (ids ≡ 500 modulo this)."""
DELETED_CLAIMS_SHARE = 0.005


# ---- sizes and popularity ----------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusSize:
    """How many of each thing a corpus of `attributions` statements has."""

    attributions: int
    sources: int
    transcripts: int
    claims: int
    actors: int

    @classmethod
    def for_attributions(cls, attributions: int) -> "CorpusSize":
        if attributions < 100:
            raise ValueError("a corpus needs at least 100 statements")
        sources = max(attributions // 20, 40)
        return cls(
            attributions=attributions,
            sources=sources,
            transcripts=max(1, sources // 500),
            claims=max(attributions // 50, 30),
            actors=max(attributions // 40, 200),
        )


class Popularity:
    """Zipf-like draws: the item of rank r (from 1) is drawn with weight `factor / r**exponent`."""

    def __init__(
        self, ranked: Sequence[int], exponent: float, factors: Sequence[float] | None = None
    ) -> None:
        self.ranked = list(ranked)
        weights = [
            (factors[index] if factors is not None else 1.0) / (index + 1) ** exponent
            for index in range(len(self.ranked))
        ]
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> int:
        return self.ranked[bisect(self.cumulative, rng.random() * self.total)]

    def draw_distinct(self, rng: random.Random, count: int) -> list[int]:
        """Up to `count` different items (fewer when popular ones keep coming back)."""
        drawn: dict[int, None] = {}
        for _ in range(count * 3):
            drawn[self.draw(rng)] = None
            if len(drawn) == count:
                break
        return list(drawn)


# A source's statements share a few paths (a speaker's statements in one article came the same way)
# and the corpus repeats the common ones (the speaker's own press release, one Reuters line): the
# application's digest, computed once per distinct path.
_chain_key = lru_cache(maxsize=1 << 16)(chain_key)


def _index(rng: random.Random, length: int) -> int:
    """`rng.randrange(length)`, for the hot loops: a third of its cost."""
    return int(rng.random() * length)


def _pick(rng: random.Random, cumulative: Sequence[float]) -> int:
    return bisect(cumulative, rng.random() * cumulative[-1])


def _mix(*numbers: int) -> float:
    """A well-spread number in [0, 1) from integers: a pair's stable coin, without a generator."""
    value = 0x9E3779B97F4A7C15
    for number in numbers:
        value = ((value ^ number) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        value ^= value >> 31
    return value / 2**64


# ---- how values are written --------------------------------------------------------------------


@dataclass(frozen=True)
class ValueFormat:
    """How a backend takes timestamps and flags: SQLite as SQLAlchemy stores them, text and 0/1."""

    timestamp: Callable[[int], object]
    flag: Callable[[bool], object]


def _sqlite_timestamp(seconds: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime(seconds))


def _postgresql_timestamp(seconds: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(seconds))


SQLITE_VALUES = ValueFormat(timestamp=_sqlite_timestamp, flag=int)
POSTGRESQL_VALUES = ValueFormat(timestamp=_postgresql_timestamp, flag=bool)


def value_format(dialect_name: str) -> ValueFormat:
    return SQLITE_VALUES if dialect_name == "sqlite" else POSTGRESQL_VALUES


def _day(day: int) -> date:
    return FIRST_DAY + timedelta(days=day)


def _spoken_date(day: int) -> str:
    moment = _day(day)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def _at(day: int, seconds: int = 0) -> int:
    return FIRST_SECOND + day * 86_400 + seconds


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _latin(names: Sequence[str]) -> list[str]:
    """The names an English text would use: not the Cyrillic ones."""
    return [name for name in names if not any("\u0400" <= char <= "\u04ff" for char in name)]


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:] if text[0].islower() else text


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


# ---- actors ------------------------------------------------------------------------------------


@dataclass(slots=True)
class ActorPlan:
    id: int
    name: str
    kind: str
    role: str | None = None
    affiliation_id: int | None = None
    other_names: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    """The names an article calls the actor by, the canonical one first."""
    speaks: float = 1.0
    """How readily the actor makes statements, beside its popularity rank."""
    domain: str | None = None
    is_agency: bool = False
    is_reporter: bool = False


@dataclass(slots=True)
class ClaimPlan:
    id: int
    family: str
    clause: str
    negated: str
    topic: str
    place: Spelling | None
    day: int
    text: str = ""
    clause_variant: str = ""
    """The clause with another spelling of the place (Kharkov for Kharkiv), as some outlets write it."""

    def __post_init__(self) -> None:
        place = self.place
        self.clause_variant = (
            self.clause.replace(place.canonical, place.variants[0])
            if place and place.variants
            else self.clause
        )


@dataclass(slots=True)
class SourcePlan:
    kind: str  # "article" or "transcript"
    statements: int
    main_claim: int
    day: int
    order: int


@dataclass
class Batch:
    """A group of sources with their statements and chains, and how many statements it holds."""

    rows: dict[str, list[Row]]
    attributions: int


class Corpus:
    """The plan of a corpus; its rows come from `base_rows()` then `statement_batches()`."""

    def __init__(self, attributions: int, *, seed: int, values: ValueFormat) -> None:
        self.size = CorpusSize.for_attributions(attributions)
        self.seed = seed
        self.values = values
        self.actors: list[ActorPlan] = []
        self.claims: list[ClaimPlan] = []
        self._plan_actors(random.Random(f"{seed}:actors"))
        self._plan_claims(random.Random(f"{seed}:claims"))
        self._plan_sources(random.Random(f"{seed}:sources"))

    # -- actors

    def _new_actor(self, name: str, kind: str, **fields: Any) -> ActorPlan:
        actor = ActorPlan(id=len(self.actors) + 1, name=_nfc(name), kind=kind, **fields)
        self.actors.append(actor)
        return actor

    def _plan_actors(self, rng: random.Random) -> None:
        size = self.size.actors
        places = words.PLACES
        # Outlets and agencies first, then bodies, then people: an affiliation points backwards.
        outlet_count = max(len(words.OUTLETS), size * 3 // 100)
        for name, others, domain, agency in words.OUTLETS:
            self._new_actor(
                name,
                "outlet",
                role="News agency" if agency else "News outlet",
                other_names=list(others),
                mentions=[name, *_latin(others)],
                speaks=0.4,
                domain=domain,
                is_agency=agency,
            )
        shapes = words.OUTLET_NAME_SHAPES
        for index in range(outlet_count - len(words.OUTLETS)):
            place = places[index % len(places)]
            shape = shapes[(index // len(places)) % len(shapes)]
            name = shape.format(place=place.canonical)
            if index >= len(places) * len(shapes):
                name += f" {index // (len(places) * len(shapes)) + 1}"
            self._new_actor(
                name,
                "outlet",
                role=f"Local news outlet in {place.canonical}",
                mentions=[name],
                speaks=0.3,
                domain=slugify(name).replace("-", "") + ".com",
            )
        for name, others, kind in words.NAMED_BODIES:
            self._new_actor(name, kind, other_names=list(others), mentions=[name, *_latin(others)])
        body_count = max(size * 12 // 100, 20)
        for index in range(body_count):
            shape, kind = words.PLACE_BODY_SHAPES[index % len(words.PLACE_BODY_SHAPES)]
            round_ = index // len(words.PLACE_BODY_SHAPES)
            place = places[round_ % len(places)]
            name = shape.format(place=place.canonical)
            if round_ >= len(places):
                name += f" ({round_ // len(places) + 1})"
            variants = [shape.format(place=variant) for variant in place.variants]
            self._new_actor(
                name,
                kind,
                role=f"Local {kind.replace('_', ' ')}",
                other_names=variants,
                mentions=[name, *variants],
                speaks=0.6 if kind == "group" else 1.0,
            )
        bodies_by_kind: dict[str, list[int]] = {}
        for actor in self.actors:
            bodies_by_kind.setdefault(actor.kind, []).append(actor.id)
        group_weights = list(accumulate(group.weight for group in words.NAME_GROUPS))
        counters = [0] * len(words.NAME_GROUPS)
        for _ in range(max(size - len(self.actors), 0)):
            group_index = _pick(rng, group_weights)
            group = words.NAME_GROUPS[group_index]
            self._new_person(rng, group, counters[group_index], bodies_by_kind)
            counters[group_index] += 1

    def _new_person(
        self, rng: random.Random, group: words.NameGroup, number: int, bodies_by_kind: dict[str, list[int]]
    ) -> None:
        firsts, lasts = group.first_names, group.last_names
        # A permutation of the (first, last) pairs, so that consecutive people do not share a name;
        # past the pairs, a middle initial keeps every name in the group distinct.
        pairs = len(firsts) * len(lasts)
        shuffled = (number % pairs) * 7919 % pairs if pairs % 7919 else number % pairs
        first, last = firsts[shuffled % len(firsts)], lasts[shuffled // len(firsts)]
        middle = number // pairs
        if first.feminine:
            last = _feminine(last, group.gendered_endings)
        initial = _initials(middle)
        name = f"{first.canonical}{initial} {last.canonical}"

        role_template, affiliated_kind = words.PERSON_ROLES[rng.randrange(len(words.PERSON_ROLES))]
        affiliation_id = None
        fill: dict[str, str] = {
            "place": words.PLACES[rng.randrange(len(words.PLACES))].canonical,
            "country": group.country,
            "adjective": group.adjective,
        }
        if affiliated_kind is not None:
            candidates = bodies_by_kind.get(affiliated_kind, [])
            affiliation_id = candidates[rng.randrange(len(candidates))]
            affiliation = self.actors[affiliation_id - 1]
            fill["body"] = affiliation.name.removeprefix("The ")
            fill["outlet"] = affiliation.name
        role = role_template.format(**fill)
        if role_template.startswith("Spokesperson") and affiliation_id is not None:
            role = f"Spokesperson for {self.actors[affiliation_id - 1].name}"

        spelled = [f"{first.canonical}{initial} {variant}" for variant in last.variants]
        spelled += [f"{variant}{initial} {last.canonical}" for variant in first.variants[:1]]
        others = [last.canonical, *spelled]
        if first.native and last.native:
            others.append(f"{first.native} {last.native}")
        described = f"{role} {name}"
        if len(described) <= 120:
            others.append(described)
        if role_template.startswith(("Governor", "Mayor")):
            others.append("the " + role[0].lower() + role[1:])
        self._new_actor(
            name,
            "person",
            role=role,
            affiliation_id=affiliation_id,
            other_names=others,
            mentions=[name, name, last.canonical, *spelled, *others[-1:]]
            if role_template.startswith(("Governor", "Mayor"))
            else [name, name, last.canonical, *spelled],
            is_reporter=affiliated_kind == "outlet",
            speaks=0.3 if affiliated_kind == "outlet" else 1.0,
        )

    # -- claims

    def _plan_claims(self, rng: random.Random) -> None:
        families = (
            ("strike", 30),
            ("casualties", 12),
            ("evacuation", 8),
            ("outage", 10),
            ("intercept", 10),
            ("distance", 3),
            ("false_flag", 7),
            ("talks", 6),
            ("capture", 8),
            ("delivery", 6),
        )
        family_weights = list(accumulate(weight for _, weight in families))
        drafts: list[ClaimPlan] = []
        seen_texts: set[str] = set()
        while len(drafts) < self.size.claims:
            family = families[_pick(rng, family_weights)][0]
            draft = _draft_claim(rng, family)
            if draft.text in seen_texts:
                continue
            seen_texts.add(draft.text)
            drafts.append(draft)
        # Claims are recorded over time: ids follow the day of the event.
        drafts.sort(key=lambda claim: claim.day)
        for claim_id, claim in enumerate(drafts, start=1):
            claim.id = claim_id
        self.claims = drafts

        ranked = list(range(1, len(drafts) + 1))
        rng.shuffle(ranked)
        self.claim_rank = {claim_id: rank for rank, claim_id in enumerate(ranked)}
        self.claim_popularity = Popularity(ranked, exponent=0.9)

        by_place: dict[str, list[int]] = {}
        self.related: dict[int, list[int]] = {}
        self.relations: list[tuple[int, int, str]] = []
        seen: set[tuple[int, int, str]] = set()
        kinds = [kind.value for kind in RelationKind]
        for claim in drafts:
            neighbours = by_place.setdefault(claim.place.canonical if claim.place else "", [])
            if claim.id > 1 and rng.random() < 0.3:
                # Mostly a claim about the same place; otherwise any claim recorded before.
                other = (
                    neighbours[rng.randrange(len(neighbours))] if neighbours else rng.randrange(1, claim.id)
                )
                if len(self.relations) < len(kinds):
                    kind = kinds[len(self.relations)]
                elif {claim.family, drafts[other - 1].family} in (
                    {"strike", "false_flag"},
                    {"capture", "talks"},
                ):
                    kind = RelationKind.CONTRADICTS.value
                else:
                    kind = kinds[_pick(rng, (0.45, 0.75, 1.0))]
                if (claim.id, other, kind) not in seen:
                    seen.add((claim.id, other, kind))
                    self.relations.append((claim.id, other, kind))
                    self.related.setdefault(claim.id, []).append(other)
                    self.related.setdefault(other, []).append(claim.id)
            neighbours.append(claim.id)

        tail = ranked[len(ranked) // 2 :]
        deleted_count = max(2, round(len(drafts) * DELETED_CLAIMS_SHARE))
        self.deleted_claims = set(rng.sample(tail, deleted_count))

    # -- sources

    def _plan_sources(self, rng: random.Random) -> None:
        size = self.size
        transcript_total = size.attributions // 4
        shares = [rng.uniform(0.5, 1.5) for _ in range(size.transcripts)]
        transcript_sizes = [int(transcript_total * share / sum(shares)) for share in shares]
        transcript_sizes[0] += transcript_total - sum(transcript_sizes)

        articles = size.sources - size.transcripts
        article_total = size.attributions - transcript_total
        low, high = min(5, article_total // articles), 40
        # Most articles quote a handful of statements, a few quote dozens.
        article_sizes = [low + int((high - low) * rng.random() ** 2.2) for _ in range(articles)]
        difference = article_total - sum(article_sizes)
        while difference:
            index = rng.randrange(articles)
            step = 1 if difference > 0 else -1
            if low <= article_sizes[index] + step <= (high if difference > 0 else high + 1_000):
                article_sizes[index] += step
                difference -= step
            elif step > 0 and all(value >= high for value in article_sizes):
                high += 5  # a tiny corpus with few sources: let articles grow

        plans = [
            SourcePlan("transcript", count, 0, 0, order) for order, count in enumerate(transcript_sizes)
        ] + [
            SourcePlan("article", count, 0, 0, len(transcript_sizes) + order)
            for order, count in enumerate(article_sizes)
        ]
        for plan in plans:
            plan.main_claim = self.claim_popularity.draw(rng)
            claim_day = self.claims[plan.main_claim - 1].day
            # Most reports follow the event within days; some come back to it months later.
            late = rng.random() < 0.1
            plan.day = min(claim_day + (rng.randrange(10, 300) if late else rng.randrange(4)), DAYS - 1)
        # Sources are ingested as they are published: ids follow the publication day.
        plans.sort(key=lambda plan: (plan.day, plan.order))
        self.sources = plans

        ranked_actors = [actor.id for actor in self.actors]
        rng.shuffle(ranked_actors)
        factors = [self.actors[actor_id - 1].speaks for actor_id in ranked_actors]
        self.speaker_popularity = Popularity(ranked_actors, exponent=1.0, factors=factors)
        outlets = [actor.id for actor in self.actors if actor.kind == "outlet"]
        self.outlet_popularity = Popularity(outlets, exponent=0.9)
        agencies = [actor.id for actor in self.actors if actor.is_agency]
        self.agency_popularity = Popularity(agencies, exponent=1.2)
        self.reporters = [actor.id for actor in self.actors if actor.is_reporter]
        # Every claim and every speaker is on record at least once: each article also quotes the
        # next claim not yet reported (once its day has come) and the next speaker not yet heard.
        self.uncovered_claims = iter(self.claims)
        self.uncovered_speakers = iter(
            actor.id for actor in self.actors if actor.kind != "outlet" and not actor.is_reporter
        )
        self.next_claim: ClaimPlan | None = next(self.uncovered_claims, None)

    # -- rows

    def base_rows(self) -> Iterator[tuple[str, list[Row]]]:
        """Actors with their aliases, then claims with their relations and status histories."""
        values = self.values
        rng = random.Random(f"{self.seed}:base")
        slugs: set[str] = set()
        actor_rows: list[Row] = []
        alias_rows: list[Row] = []
        for actor in self.actors:
            slug = _unique_slug(slugify(actor.name), slugs)
            qid = f"Q{rng.randrange(10_000, 99_999_999)}" if rng.random() < 0.2 else None
            created = _at(-30, actor.id)
            actor_rows.append(
                (actor.id, slug, actor.name, actor.kind, actor.role, actor.affiliation_id, qid,
                 values.timestamp(created), 1)
            )  # fmt: skip
            # As the actors' service stores them: the name first (is_name), then each other name once.
            seen: set[str] = set()
            for position, alias in enumerate([actor.name, *actor.other_names]):
                alias = _nfc(alias)
                if alias in seen:
                    continue
                seen.add(alias)
                alias_rows.append(
                    (len(alias_rows) + 1, actor.id, alias, fold_name(alias), values.flag(position == 0))
                )
        yield "actors", actor_rows
        yield "actor_aliases", alias_rows

        claim_rows: list[Row] = []
        change_rows: list[Row] = []
        claim_slugs: set[str] = set()
        for claim in self.claims:
            created = _at(claim.day, rng.randrange(6 * 3600))
            history = self._status_history(rng, claim, created)
            for from_status, to_status, rationale, evidence, by, at in history:
                change_rows.append(
                    (len(change_rows) + 1, claim.id, from_status, to_status, rationale, evidence, by,
                     values.timestamp(at))
                )  # fmt: skip
            status = history[-1][1] if history else VerificationStatus.UNVERIFIED.value
            updated = history[-1][5] if history else created
            version = 1 + len(history)
            deleted_at = deleted_by = None
            if claim.id in self.deleted_claims:
                updated = deleted = updated + 86_400 * rng.randrange(1, 60)
                deleted_at, deleted_by = values.timestamp(deleted), words.EDITORS[claim.id % 2]
                version += 1
            slug = _unique_slug(_claim_slug(claim), claim_slugs)
            claim_rows.append(
                (claim.id, slug, claim.text, status, values.timestamp(created), values.timestamp(updated),
                 version, deleted_at, deleted_by)
            )  # fmt: skip
        yield "claims", claim_rows
        yield (
            "claim_relations",
            [
                (number, claim_id, other, kind)
                for number, (claim_id, other, kind) in enumerate(self.relations, start=1)
            ],
        )
        yield "status_changes", change_rows

    def _status_history(
        self, rng: random.Random, claim: ClaimPlan, created: int
    ) -> list[tuple[str, str, str, str, str, int]]:
        """A claim's verification history, oldest first; empty for the (many) unverified claims."""
        rank = self.claim_rank[claim.id]
        forced = {0: "confirmed", 1: "false", 2: "in_review", 3: "partly_confirmed"}
        if rank in forced:
            final = forced[rank]
        elif rng.random() < (0.6 if rank < max(10, len(self.claims) // 100) else 0.08):
            final = ("in_review", "confirmed", "partly_confirmed", "unconfirmed", "misleading", "false")[
                _pick(rng, (0.2, 0.4, 0.55, 0.75, 0.85, 1.0))
            ]
        else:
            return []
        if final == "in_review":
            path = ["in_review"]
        else:
            shape = rng.random()
            if shape < 0.5 or rank in forced:
                path = ["in_review", final]
            elif shape < 0.85 or final == "unconfirmed":
                path = [final]
            else:
                path = ["in_review", "unconfirmed", final]
        history = []
        at = created
        previous = VerificationStatus.UNVERIFIED.value
        for status in path:
            at += 3600 * rng.randrange(2, 24 * 20)
            rationales = words.RATIONALES[status]
            evidence: list[dict[str, str | int | None]] = []
            for _ in range(rng.randrange(0 if status == "in_review" else 1, 4)):
                if rng.random() < 0.6:
                    source_id = rng.randrange(1, self.size.sources + 1)
                    evidence.append({"source_id": source_id, "url": None, "note": "Cited in the rationale."})
                else:
                    url = f"https://factcheck.example.org/{claim.id}/{len(evidence) + 1}"
                    evidence.append({"source_id": None, "url": url, "note": None})
            history.append(
                (
                    previous,
                    status,
                    rationales[rng.randrange(len(rationales))],
                    json.dumps(evidence),
                    words.FACT_CHECKERS[rng.randrange(len(words.FACT_CHECKERS))],
                    at,
                )
            )
            previous = status
        return history

    def statement_batches(self, batch_size: int = 10_000) -> Iterator[Batch]:
        """The sources in id order, each with its statements and reporting steps, in batches."""
        rows: dict[str, list[Row]] = {"sources": [], "attributions": [], "reporting_steps": []}
        held = 0
        next_attribution_id, next_step_id = 1, 1
        hashes: set[str] = set()
        for source_id, plan in enumerate(self.sources, start=1):
            writer = _SourceWriter(self, source_id, plan, next_attribution_id, next_step_id, hashes)
            source_row, attribution_rows, step_rows = writer.write()
            rows["sources"].append(source_row)
            rows["attributions"].extend(attribution_rows)
            rows["reporting_steps"].extend(step_rows)
            next_attribution_id += len(attribution_rows)
            next_step_id += len(step_rows)
            held += len(attribution_rows)
            if held >= batch_size:
                yield Batch(rows, held)
                rows = {"sources": [], "attributions": [], "reporting_steps": []}
                held = 0
        if rows["sources"]:
            yield Batch(rows, held)


# ---- claims ------------------------------------------------------------------------------------


def _draft_claim(rng: random.Random, family: str) -> ClaimPlan:
    place: Spelling | None = words.PLACES[rng.randrange(len(words.PLACES))]
    assert place is not None
    where = place.canonical
    day = rng.randrange(DAYS - 30)

    def one(options: Sequence[str]) -> str:
        return options[rng.randrange(len(options))]

    if family == "strike":
        attacker, target = one(words.ATTACKERS), one(words.TARGETS)
        clause = f"{attacker} struck {target} in {where}"
        negated, topic = f"{attacker} did not strike {target} in {where}", f"{target} in {where}"
    elif family == "casualties":
        event, count = one(words.EVENTS), rng.randrange(2, 80)
        clause = f"{count} civilians were killed in the {event} in {where}"
        negated, topic = f"no civilians were killed in the {event} in {where}", f"the {event} in {where}"
    elif family == "evacuation":
        authority, count = one(words.AUTHORITIES), rng.randrange(2, 400) * 50
        clause = f"{authority} ordered the evacuation of {count:,} residents of {where}"
        negated, topic = f"{authority} did not order an evacuation of {where}", f"the evacuation of {where}"
    elif family == "outage":
        facility, event = one(words.FACILITIES), one(words.EVENTS)
        clause = f"{facility} in {where} was left without power after the {event}"
        negated, topic = f"{facility} in {where} did not lose power", f"the power supply in {where}"
    elif family == "intercept":
        count, weapon = rng.randrange(2, 60), one(("drones", "missiles", "guided bombs", "rockets"))
        clause = f"air defences shot down {count} {weapon} over {where}"
        negated, topic = f"no {weapon} were shot down over {where}", f"the {weapon} over {where}"
    elif family == "distance":
        miles = rng.randrange(5, 150)
        clause = f"{where} lies about {miles} miles from the border"
        negated = f"{where} lies much farther than {miles} miles from the border"
        topic = f"the distance from {where} to the border"
        return ClaimPlan(0, family, clause, negated, topic, place, day, _capitalised(clause) + ".")
    elif family == "false_flag":
        event = one(words.EVENTS)
        clause = f"the {event} in {where} was a false-flag operation"
        negated, topic = f"the {event} in {where} was not staged", f"the {event} in {where}"
    elif family == "talks":
        event = one(words.EVENTS)
        clause = f"the {event} in {where} jeopardised the peace talks"
        negated = f"the {event} in {where} has no bearing on the peace talks"
        topic = f"the peace talks after the {event} in {where}"
    elif family == "capture":
        force = one(words.FORCES)
        clause = f"{force} captured {where}"
        negated, topic = f"{force} did not capture {where}", f"the fighting for {where}"
    else:  # delivery
        country, weapon, count = one(words.COUNTRIES), one(words.WEAPONS), rng.randrange(2, 300)
        clause = f"{country} delivered {count} {weapon} to Ukraine"
        negated = f"{country} has not delivered any {weapon} to Ukraine"
        topic, place = f"the deliveries of {weapon} from {country}", None
    text = f"{_capitalised(clause)} on {_spoken_date(day)}."
    return ClaimPlan(0, family, clause, negated, topic, place, day, text)


def _claim_slug(claim: ClaimPlan) -> str:
    when = _day(claim.day).isoformat() if claim.family != "distance" else ""
    return slugify(f"{claim.clause} {when}", max_length=100)


def _unique_slug(slug: str, taken: set[str]) -> str:
    """The slug, or the first of slug-2, slug-3, … that is not taken yet."""
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    taken.add(candidate)
    return candidate


def _initials(number: int) -> str:
    """Middle initials that tell namesakes apart: none for 0, then " A.", …, " Y.", " A. A.", …"""
    letters = []
    while number:
        number -= 1
        letters.append(f"{words.MIDDLE_INITIALS[number % len(words.MIDDLE_INITIALS)]}.")
        number //= len(words.MIDDLE_INITIALS)
    return "".join(f" {letter}" for letter in letters)


def _feminine(last: Spelling, endings: tuple[tuple[str, str], ...]) -> Spelling:
    def feminine(name: str) -> str:
        for masculine, female in endings:
            if name.endswith(masculine):
                return name[: -len(masculine)] + female
        return name

    return Spelling(
        feminine(last.canonical),
        tuple(feminine(variant) for variant in last.variants),
        feminine(last.native) if last.native else None,
    )


# ---- sources -----------------------------------------------------------------------------------


class _SourceWriter:
    """One source: its text, built sentence by sentence, and the rows of its statements."""

    def __init__(
        self,
        corpus: Corpus,
        source_id: int,
        plan: SourcePlan,
        first_attribution_id: int,
        first_step_id: int,
        hashes: set[str],
    ) -> None:
        self.corpus = corpus
        self.source_id = source_id
        self.plan = plan
        self.attribution_id = first_attribution_id
        self.step_id = first_step_id
        self.hashes = hashes
        self.rng = random.Random(f"{corpus.seed}:source:{source_id}")
        self.parts: list[str] = []
        self.length = 0

    def _add(self, text: str) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def write(self) -> tuple[Row, list[Row], list[Row]]:
        corpus, plan, rng = self.corpus, self.plan, self.rng
        transcript = plan.kind == "transcript"
        main = corpus.claims[plan.main_claim - 1]

        claim_count = rng.randrange(8, 40) if transcript else 1 + _pick(rng, (0.4, 0.7, 0.9, 1.0))
        claim_ids = [main.id]
        related = corpus.related.get(main.id, [])
        while len(claim_ids) < claim_count:
            if related and rng.random() < 0.5:
                candidate = related[rng.randrange(len(related))]
            else:
                candidate = corpus.claim_popularity.draw(rng)
            if candidate not in claim_ids:
                claim_ids.append(candidate)
            elif rng.random() < 0.2:
                break  # a small corpus may not have that many claims to draw from
        claim_weights = list(accumulate(1 / (index + 1) ** 1.5 for index in range(len(claim_ids))))

        cast = corpus.speaker_popularity.draw_distinct(
            rng, rng.randrange(3, 9) if transcript else rng.randrange(2, 8)
        )
        forced: dict[int, tuple[int | None, int | None]] = {}
        if not transcript:
            uncovered = corpus.next_claim
            if uncovered is not None and uncovered.day <= plan.day:
                forced[0] = (None, uncovered.id)
                if uncovered.id not in claim_ids:
                    claim_ids.append(uncovered.id)
                corpus.next_claim = next(corpus.uncovered_claims, None)
            speaker_id = next(corpus.uncovered_speakers, None)
            if speaker_id is not None:
                forced[plan.statements - 1] = (speaker_id, None)
                if speaker_id not in cast:
                    cast.append(speaker_id)
        cast_weights = list(
            accumulate(1 / (index + 1) ** (2.0 if transcript else 1.2) for index in range(len(cast)))
        )
        outlet = corpus.actors[corpus.outlet_popularity.draw(rng) - 1]

        place = main.place.canonical if main.place else "Kyiv"
        speaker = corpus.actors[cast[0] - 1]
        if transcript:
            medium = ("press briefing", "news conference", "interview")[rng.randrange(3)]
            title = f"Transcript: {medium} by {speaker.name}, {_spoken_date(plan.day)}"
            self._add(f"{title}\n\n{_capitalised(_a(medium))} by {speaker.name}, {_spoken_date(plan.day)}.")
        else:
            title = self._headline(main, speaker)
            self._add(f"{title}\n\n{place.upper()}, {_spoken_date(plan.day)} ({outlet.name}) — ")

        chains: dict[int, tuple[str | None, Chain]] = {}
        statements: list[tuple[int, int, str, int, int, str, str | None, Chain]] = []
        previous_speaker = 0
        sentences_in_paragraph = 0
        medium_used: str | None
        steps: Chain
        span_claims: set[int] = set()
        for number in range(plan.statements):
            actor_id = cast[_pick(rng, cast_weights)]
            claim_id = claim_ids[_pick(rng, claim_weights)]
            if number in forced:
                actor_id, claim_id = forced[number][0] or actor_id, forced[number][1] or claim_id
            elif statements and len(claim_ids) > len(span_claims) and rng.random() < 0.04:
                # One sentence, two claims: the same span carries a second statement.
                last = statements[-1]
                other = next(candidate for candidate in claim_ids if candidate not in span_claims)
                span_claims.add(other)
                stance = self._stance(last[0], other)
                statements.append((last[0], other, stance, last[3], last[4], last[5], last[6], last[7]))
                continue
            stance = self._stance(actor_id, claim_id)
            actor = corpus.actors[actor_id - 1]
            claim = corpus.claims[claim_id - 1]
            if transcript:
                medium_used, steps = medium, ()
                if actor_id != previous_speaker or rng.random() < 0.3:
                    if rng.random() < 0.15:
                        question = words.QUESTIONS[_index(rng, len(words.QUESTIONS))]
                        self._add(f"\n\nQUESTION: {question.format(topic=claim.topic)}")
                    self._add(f"\n\n{actor.name.upper()}: ")
                else:
                    self._add(" ")
                sentence = self._sentence(words.TRANSCRIPT_QUOTES[stance], actor, claim, None, ())
            else:
                if stance == Stance.DECLINED_TO_COMMENT:
                    medium_used, steps = None, ()
                else:
                    if actor_id not in chains:
                        chains[actor_id] = self._chain(actor_id)
                    medium_used, steps = chains[actor_id]
                if statements:
                    if sentences_in_paragraph >= 1 + _index(rng, 3):
                        self._add("\n\n")
                        sentences_in_paragraph = 0
                    else:
                        self._add(" ")
                    if rng.random() < 0.35:
                        filler = words.FILLER[_index(rng, len(words.FILLER))]
                        self._add(filler.format(place=place) + " ")
                sentence = self._sentence(words.ARTICLE_QUOTES[stance], actor, claim, medium_used, steps)
                sentences_in_paragraph += 1
            start = self._add(sentence)
            statements.append(
                (actor_id, claim_id, stance, start, start + len(sentence), sentence, medium_used, steps)
            )
            span_claims = {claim_id}
            previous_speaker = actor_id
        self._add("\n")

        text = "".join(self.parts)
        digest = hashlib.sha256(text.encode()).hexdigest()
        while digest in self.hashes:  # the same text twice: vanishingly rare, but sha256 is unique
            text += "\n"
            digest = hashlib.sha256(text.encode()).hexdigest()
        self.hashes.add(digest)

        values = corpus.values
        ingested = _at(plan.day, rng.randrange(6 * 3600, 20 * 3600))
        if outlet.domain is not None and rng.random() < (0.5 if transcript else 0.9):
            moment = _day(plan.day)
            url = (
                f"https://www.{outlet.domain}/{moment:%Y/%m/%d}/"
                f"{slugify(title, max_length=70)}-{self.source_id}"
            )
        else:
            url = None
        published = _day(plan.day).isoformat() if rng.random() < 0.97 else None
        source_row = (
            self.source_id, title[:500], values.flag(False), outlet.name, url, published, "en", text, digest,
            None, None, INGESTED_BY, values.timestamp(ingested), 1,
        )  # fmt: skip

        attribution_rows: list[Row] = []
        step_rows: list[Row] = []
        # The statements of a source are recorded together, a minute after it was ingested.
        created_at = values.timestamp(ingested + 60)
        deleted_at_value = values.timestamp(ingested + 86_400)
        for actor_id, claim_id, stance, start, end, sentence, medium_used, chain in statements:
            anchor = anchor_at(text, start, end, sentence)
            deleted_at = deleted_by = None
            version = 1
            if self.attribution_id % DELETED_STATEMENT_EVERY == DELETED_STATEMENT_EVERY // 2:
                deleted_at, deleted_by, version = deleted_at_value, words.EDITORS[0], 2
            attribution_rows.append(
                (self.attribution_id, claim_id, actor_id, self.source_id, stance, anchor.start, anchor.end,
                 anchor.exact, anchor.prefix, anchor.suffix, medium_used, chain[0][0] if chain else None,
                 _chain_key(medium_used, chain), None, created_at, version, deleted_at,
                 deleted_by)
            )  # fmt: skip
            for position, (step_actor_id, step_medium) in enumerate(chain):
                step_rows.append((self.step_id, self.attribution_id, position, step_actor_id, step_medium))
                self.step_id += 1
            self.attribution_id += 1
        return source_row, attribution_rows, step_rows

    def _stance(self, actor_id: int, claim_id: int) -> str:
        """Mostly the stance this actor holds on this claim everywhere; now and then another."""
        coin = _mix(self.corpus.seed, actor_id, claim_id)
        if self.rng.random() < 0.15:
            coin = self.rng.random()
        return STANCE_ORDER[bisect(STANCE_CUMULATIVE, coin)]

    def _chain(self, actor_id: int) -> tuple[str | None, Chain]:
        """How one speaker's statements reached this article: a medium and 0–3 intermediaries."""
        corpus, rng = self.corpus, self.rng
        medium = words.MEDIA[rng.randrange(len(words.MEDIA))] if rng.random() < 0.65 else None
        steps: list[tuple[int, str | None]] = []
        step_actor: int
        step_medium: str
        for position in range(_pick(rng, list(accumulate(CHAIN_LENGTH_WEIGHTS)))):
            coin = rng.random()
            if position == 0 and coin < 0.25 and corpus.reporters:
                step_actor, step_medium = corpus.reporters[rng.randrange(len(corpus.reporters))], "tweet"
            elif coin < 0.8:
                step_actor, step_medium = corpus.agency_popularity.draw(rng), "wire report"
            else:
                step_actor, step_medium = corpus.outlet_popularity.draw(rng), "news report"
            if step_actor == actor_id or (steps and steps[-1][0] == step_actor):
                continue
            steps.append((step_actor, step_medium if rng.random() < 0.85 else None))
        return medium, tuple(steps)

    def _sentence(
        self,
        templates: Sequence[str],
        actor: ActorPlan,
        claim: ClaimPlan,
        medium: str | None,
        steps: Sequence[tuple[int, str | None]],
    ) -> str:
        random_ = self.rng.random
        mentions = actor.mentions
        mention = mentions[int(random_() * len(mentions))]
        clause = claim.clause_variant if random_() < 0.15 else claim.clause
        via = ""
        if steps:
            relay = self.corpus.actors[steps[-1][0] - 1].mentions
            via = f", according to {relay[int(random_() * len(relay))]}"
        return templates[int(random_() * len(templates))].format(
            speaker=mention,
            Speaker=_capitalised(mention),
            clause=clause,
            Clause=_capitalised(clause),
            negated=claim.negated,
            Negated=_capitalised(claim.negated),
            topic=claim.topic,
            alternative=words.ALTERNATIVES[int(random_() * len(words.ALTERNATIVES))],
            medium=MEDIUM_PHRASES[medium] if medium else "",
            via=via,
        )

    def _headline(self, claim: ClaimPlan, speaker: ActorPlan) -> str:
        shapes = (
            f"{speaker.mentions[0]} says {claim.clause}",
            f"{_capitalised(claim.topic)}: what we know",
            f"{_capitalised(claim.clause)}, officials say",
            f"Reports that {claim.clause} draw denials",
            f"{_capitalised(claim.topic)} under scrutiny",
        )
        return shapes[self.rng.randrange(len(shapes))]


MEDIUM_PHRASES = {
    medium: f" in {_a(medium)}" for medium in (*words.MEDIA, "press briefing", "news conference")
}
STANCE_ORDER = [stance.value for stance in STANCE_WEIGHTS]
STANCE_CUMULATIVE = list(accumulate(STANCE_WEIGHTS.values()))[:-1]
