"""A deliberately small stand-in for the extractor, so that the review queue runs and is tested: three
plain patterns (`Name said "..."`, `"...," Name said`, `Name declined to comment`) and exact names.
The real extractor replaces this module; the queue relies only on `extract`'s contract (types.py)."""

import re
from collections.abc import Sequence

from app.extraction.types import Extracted, KnownActor, Span
from app.vocabulary import Stance

NAME = r"(?P<name>(?:[Tt]he )?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3})"
QUOTE = r"[\"“](?P<content>[^\"”]+?)[,.]?[\"”]"
SAID_QUOTE = re.compile(NAME + r" (?P<cue>said),? " + QUOTE)
QUOTE_SAID = re.compile(QUOTE + r",? " + NAME + r" (?P<cue>said)")
DECLINED = re.compile(
    r"(?P<name>[Tt]he [\w'’ -]{1,40}?|[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}) "
    r"(?P<cue>declined to comment|did not respond to requests for comment)"
)


def _resolved(name: str, actors: Sequence[KnownActor]) -> tuple[str, str | None]:
    folded = name.casefold().removeprefix("the ")
    for actor in actors:
        names = (actor.name, *actor.aliases)
        if any(folded == known.casefold().removeprefix("the ") for known in names):
            return actor.name, actor.key
    return name, None


def _span(match: re.Match[str], group: str) -> Span:
    return Span(match.start(group), match.end(group))


def extract(text: str, actors: Sequence[KnownActor] = ()) -> list[Extracted]:
    """The statements the three patterns find, in text order."""
    found: list[Extracted] = []
    for pattern, stance in (
        (SAID_QUOTE, Stance.ASSERTED),
        (QUOTE_SAID, Stance.ASSERTED),
        (DECLINED, Stance.DECLINED_TO_COMMENT),
    ):
        for match in pattern.finditer(text):
            name, key = _resolved(match.group("name"), actors)
            content = _span(match, "content") if "content" in pattern.groupindex else None
            found.append(
                Extracted(
                    cue=_span(match, "cue"),
                    stance=stance,
                    source=_span(match, "name"),
                    content=content,
                    actor=name,
                    actor_key=key,
                )
            )
    return sorted(found, key=lambda statement: statement.cue.start)
