"""Who a speaker phrase names: a known actor (by name, alias, title or role), the person a pronoun or a last
name points back to, or a new actor."""

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from app.extraction.lexicon import DETERMINERS, PRONOUNS, TITLE_WORDS, word_set
from app.extraction.phrases import RELATIVE_PRONOUNS, relative_antecedent
from app.extraction.types import KnownActor


@dataclass(frozen=True)
class Resolved:
    name: str
    key: str | None
    kind: str
    """person, group, organisation, ...: what a later pronoun may point back to."""


@dataclass(frozen=True)
class Mention:
    start: int
    actor: Resolved
    words: frozenset[str]
    """The stems of the words that named it there, for a later "the governor"."""
    speaker: bool = False
    """Named as the speaker of a statement, not only mentioned."""


_WORD = re.compile(r"[\w@][\w@.'-]*")
_STOP = frozenset(["of", "for", "the", "and", "to", "in", "on", "at", "by", "with", "from", "a", "an", "'s"])


def stem(word: str) -> str:
    """A crude stem that makes Russia and Russian, spokesman and spokesperson, one word."""
    word = word.lower().strip(".'-")
    word = word.removesuffix("'s")
    return word[:5] if len(word) > 5 else word


def stems(text: str) -> frozenset[str]:
    return frozenset(stem(word) for word in _WORD.findall(text) if word.lower() not in _STOP)


def _known(actor: KnownActor) -> Resolved:
    return Resolved(actor.name, actor.key, actor.kind)


class Gazetteer:
    """The known actors, found by any of their names in a text."""

    def __init__(self, actors: Sequence[KnownActor]) -> None:
        self.actors = tuple(actors)
        surfaces: dict[str, KnownActor] = {}
        for actor in self.actors:
            for surface in (actor.name, *actor.aliases):
                cleaned = surface.replace("\u2019", "'").strip()
                if cleaned and cleaned.lower() not in surfaces:
                    surfaces[cleaned.lower()] = actor
        self._by_surface = surfaces
        self._exact = {surface for surface in surfaces if len(surface) <= 3}
        ordered = sorted(surfaces, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<![\w@])(?:" + "|".join(re.escape(surface) for surface in ordered) + r")(?![\w])",
                re.IGNORECASE,
            )
            if ordered
            else None
        )
        self._descriptions = {
            actor.key: stems(" ".join((actor.name, actor.role or "", *actor.aliases)))
            for actor in self.actors
        }

    def find(self, text: str, offset: int = 0) -> list[tuple[int, int, Resolved]]:
        """Every known actor named in `text`, longest names first, as (start, end, actor)."""
        if self._pattern is None:
            return []
        found = []
        for match in self._pattern.finditer(text):
            surface = match.group().lower()
            actor = self._by_surface.get(surface)
            if actor is None:
                continue
            if surface in self._exact and match.group() != _original_case(actor, surface):
                continue
            found.append((offset + match.start(), offset + match.end(), _known(actor)))
        return found

    def by_role(self, description: str) -> list[Resolved]:
        """The known people a title describes: every word of "Ukraine's foreign minister" is in the actor's
        role, name or aliases, and one of them is a title."""
        words = stems(description)
        if not words or not any(word in _TITLE_STEMS for word in words):
            return []
        return [
            _known(actor)
            for actor in self.actors
            if actor.kind == "person" and words <= self._descriptions[actor.key]
        ]

    def country_body(self, word: str) -> Resolved | None:
        """The one government body named after a country: "Russia" is the Russian government."""
        token = stem(word)
        bodies = [
            actor
            for actor in self.actors
            if actor.kind == "government_body"
            and re.fullmatch(r"(?:the\s+)?(?:government\s+of\s+\S+|\S+\s+government)", actor.name, re.I)
            and token in stems(actor.name)
        ]
        return _known(bodies[0]) if len(bodies) == 1 else None


_TITLE_STEMS = frozenset(stem(word) for word in TITLE_WORDS)


def _original_case(actor: KnownActor, surface: str) -> str:
    for candidate in (actor.name, *actor.aliases):
        if candidate.lower() == surface:
            return candidate
    return surface


_CAPITALISED = re.compile(r"[A-Z@][\w@'.-]*")
_LOOK_BACK = 400
"""How many earlier mentions a pronoun, title or last name looks back over: enough for a long article."""
_PRONOUN_REACH = 1500
"""How far back, in characters, a pronoun looks for the speaker it continues."""


class Resolver:
    """Resolves speaker phrases in the order they appear, remembering who was named where."""

    def __init__(self, gazetteer: Gazetteer, text: str) -> None:
        self.gazetteer = gazetteer
        self.text = text
        known = gazetteer.find(text)
        self.mentions: list[Mention] = [
            Mention(start, actor, stems(text[start:end])) for start, end, actor in known
        ]
        self.mentions.extend(_people_named(text, [(start, end) for start, end, _ in known]))
        self.mentions.sort(key=lambda mention: mention.start)
        self._starts = [mention.start for mention in self.mentions]

    def remember(self, start: int, actor: Resolved, phrase: str) -> None:
        index = bisect_left(self._starts, start)
        self.mentions.insert(index, Mention(start, actor, stems(phrase), speaker=True))
        self._starts.insert(index, start)

    def _before(self, position: int) -> list[Mention]:
        """The mentions before `position`, the nearest last, no further back than `_LOOK_BACK` of them."""
        index = bisect_left(self._starts, position)
        return self.mentions[max(0, index - _LOOK_BACK) : index]

    def resolve(self, phrase: str, start: int) -> Resolved | None:
        """The actor a speaker phrase at `start` names, or None for a phrase that names nobody."""
        head = _head(phrase)
        if not head:
            return None
        lowered = head.lower()
        if lowered in RELATIVE_PRONOUNS:
            antecedent = relative_antecedent(self.text, start)
            if antecedent is None or antecedent.start >= start:
                return None
            return self.resolve(self.text[antecedent.start : antecedent.end], antecedent.start)
        if lowered in PRONOUNS:
            return self._pronoun(lowered, start)
        known = self._known_in(phrase, start)
        if known is not None:
            return known
        bare = _without_determiner(head)
        earlier = self._earlier_description(bare, start)
        if earlier is not None:
            return earlier
        roles = self.gazetteer.by_role(bare)
        if len(roles) == 1:
            return roles[0]
        if roles:
            latest = [m for m in reversed(self._before(start)) if m.actor in roles]
            if latest:
                return latest[0].actor
        officials = re.fullmatch(r"([A-Z][\w'-]+) (?:officials|authorities|government|leaders)", bare)
        if officials:
            body = self.gazetteer.country_body(officials.group(1))
            if body is not None:
                return body
        if re.fullmatch(r"[A-Z][\w'-]+", bare):
            body = self.gazetteer.country_body(bare)
            if body is not None:
                return body
            for mention in reversed(self._before(start)):
                if mention.actor.kind == "person" and mention.actor.name.split()[-1] == bare:
                    return mention.actor
        return Resolved(_new_name(bare), None, _new_kind(bare))

    def _known_in(self, phrase: str, start: int) -> Resolved | None:
        for _, found_end, actor in sorted(self.gazetteer.find(phrase), key=lambda f: (f[0], -f[1])):
            rest = phrase[found_end:]
            if re.match(r"'s?\s+\w", rest):
                continue  # "Putin's spokesperson" is not Putin
            return actor
        return None

    def _pronoun(self, pronoun: str, start: int) -> Resolved | None:
        """The last fitting speaker not long before; else the last fitting actor named."""
        wanted = PRONOUNS[pronoun]
        before = self._before(start)
        recent = [m for m in before if m.speaker and start - m.start <= _PRONOUN_REACH]
        return self._fitting(recent, wanted) or self._fitting(before, wanted)

    @staticmethod
    def _fitting(mentions: list[Mention], wanted: str) -> Resolved | None:
        for mention in reversed(mentions):
            if wanted == "person" and mention.actor.kind == "person":
                return mention.actor
            if wanted != "person" and mention.actor.kind != "person":
                return mention.actor
            if wanted != "person":
                break
        return None

    def _earlier_description(self, description: str, start: int) -> Resolved | None:
        """ "the governor" is the last speaker introduced as a governor."""
        words = stems(description)
        if not words or not words <= _TITLE_STEMS | {"kreml", "forei", "defen", "press", "white", "house"}:
            return None
        if not any(word in _TITLE_STEMS for word in words):
            return None
        for mention in reversed(self._before(start)):
            if words <= mention.words and mention.actor.kind == "person":
                return mention.actor
        return None


_PERSON_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}\b")
_NOT_A_PERSON = word_set(
    "the a an in on at but and for this that these those when while after before if as last new",
    "house court times post party department ministry city york states union news council committee office",
    "university street agency force army navy government assembly parliament senate congress bank group",
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july",
    "august september october november december",
)


def _people_named(text: str, known: list[tuple[int, int]]) -> list[Mention]:
    """Names that look like people's ("Ella Brandt", "John Q. Avery"), for a later "she" or "Avery"."""
    found = []
    known = sorted(known)
    starts = [start for start, _ in known]
    for match in _PERSON_NAME.finditer(text):
        parts = match.group().split()
        if parts[0].lower() in _NOT_A_PERSON or parts[-1].lower() in _NOT_A_PERSON:
            continue
        index = bisect_left(starts, match.end())
        if any(known[i][1] > match.start() for i in range(max(0, index - 3), index)):
            continue  # a known actor's name
        name = " ".join(parts)
        found.append(Mention(match.start(), Resolved(name, None, "person"), stems(name)))
    return found


def _head(phrase: str) -> str:
    """The first part of an apposition: "Dmitry Peskov, spokesperson for ..." is Dmitry Peskov."""
    head = phrase.split(",")[0].strip()
    return head.strip("\"' ")


def _without_determiner(phrase: str) -> str:
    words = phrase.split()
    while len(words) > 1 and words[0].lower() in DETERMINERS:
        words = words[1:]
    return " ".join(words)


def _new_name(phrase: str) -> str:
    """A new actor's name: the proper name at the end of "Kremlin spokesman Dmitry Peskov"."""
    words = phrase.split()
    run: list[str] = []
    for word in reversed(words):
        if _CAPITALISED.fullmatch(word) and word.lower() not in TITLE_WORDS:
            run.insert(0, word)
        else:
            break
    if len(run) >= 2 or (run and len(words) == 1):
        return " ".join(run)
    return phrase


def _new_kind(phrase: str) -> str:
    words = phrase.split()
    if len(words) >= 2 and all(_CAPITALISED.fullmatch(word) for word in words[-2:]):
        return "person"
    return "group"
