"""`extract`: every attributed statement of a text, with its speaker resolved and its reporting chain."""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from app.extraction.actors import Gazetteer, Resolved, Resolver
from app.extraction.posts import embedded_posts
from app.extraction.segments import (
    MAX_TEXT_CHARS,
    Quotations,
    TextTooLarge,
    normalise,
    paragraphs,
    quotations,
    sentences,
)
from app.extraction.statements import Budget, Found, find_in_sentence
from app.extraction.types import Extracted, KnownActor, Span


def extract(text: str, actors: Sequence[KnownActor] = ()) -> list[Extracted]:
    """The attributed statements of a news text, in the order of their cues.

    Raises `TextTooLarge` for a text longer than `MAX_TEXT_CHARS` characters."""
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLarge(len(text))
    plain = normalise(text)
    blocks = paragraphs(plain)
    found_quotes = quotations(plain, text, blocks)
    cut = sentences(plain, blocks, found_quotes)
    quotes = Quotations(found_quotes)
    found: list[Found] = []
    budget = Budget()
    for sentence in cut:
        found.extend(find_in_sentence(plain, sentence, quotes, budget))
    found = _without_duplicates(found + embedded_posts(plain))
    found.sort(key=lambda f: f.cue.start)
    _continue_quotations(plain, found, cut, quotes)
    _trim_reporters(plain, found)
    return _resolved(plain, found, Gazetteer(actors))


def _without_duplicates(found: list[Found]) -> list[Found]:
    """One statement per cue: of overlapping cues, the one that starts first (the longer at a tie)."""
    kept: list[Found] = []
    reach = -1
    for statement in sorted(found, key=lambda f: (f.cue.start, -(f.cue.end - f.cue.start))):
        if statement.cue.start < reach:
            continue  # its cue overlaps one kept already
        kept.append(statement)
        reach = max(reach, statement.cue.end)
    return kept


def _continue_quotations(text: str, found: list[Found], cut: list[Span], quotes: Quotations) -> None:
    """A quotation that follows an attributed quotation with no verb of its own continues it: in the same
    paragraph, or in the next paragraphs that open with a quotation mark. `found` is in the order of its
    cues."""
    by_start = {quote.start: quote for quote in quotes}
    cues = [f.cue.start for f in found]
    last: Found | None = None
    next_cue = 0
    for sentence in cut:
        while next_cue < len(found) and found[next_cue].cue.start < sentence.start:
            next_cue += 1
        here = []
        while next_cue < len(found) and found[next_cue].cue.start < sentence.end:
            here.append(found[next_cue])
            next_cue += 1
        if here:
            last = here[-1] if _ends_with_quote(text, here[-1]) else None
            continue
        if last is None or last.content is None:
            continue
        content = last.content
        quote = by_start.get(sentence.start)
        if quote is None or text[sentence.start] != '"':
            if content.end < sentence.start:
                last = None
            continue
        gap = text[content.end : sentence.start]
        if content.end > sentence.start or gap.count("\n") > 2 or _cue_between(cues, last, sentence):
            if content.end <= sentence.start:
                last = None
            continue
        if len(gap.strip(" \n.,")) > 80:
            last = None
            continue
        last.content = Span(content.start, max(content.end, quote.end))


def _ends_with_quote(text: str, statement: Found) -> bool:
    return statement.content is not None and text[statement.content.end - 1] == '"'


def _cue_between(cues: list[int], statement: Found, sentence: Span) -> bool:
    index = bisect_left(cues, statement.cue.end)
    return index < len(cues) and cues[index] < sentence.start


def _trim_reporters(text: str, found: list[Found]) -> None:
    """`"...," Peskov said, Tass reported.`: Peskov's statement ends where Tass's report begins."""
    cues = [f.cue.start for f in found]
    for inner in found:
        if inner.content is None:
            continue
        inside = found[bisect_right(cues, inner.content.start) : bisect_left(cues, inner.content.end)]
        for outer in inside:
            if outer is inner or outer.source is None or outer.content is None:
                continue
            trailing = outer.reports and outer.content.end <= outer.cue.start
            next_clause = (
                text[max(0, outer.source.start - 8) : outer.source.start].rstrip().endswith(",")
                and outer.source.start < outer.cue.start
            )
            if not inner.content.start < outer.cue.start < inner.content.end:
                continue
            if (
                _contains(outer.content, inner.cue)
                or (trailing and outer.cue.start > inner.cue.end)
                or (next_clause and inner.content.start < outer.source.start)
            ):
                cut = min(outer.source.start, outer.cue.start)
                end = cut
                while end > inner.content.start and text[end - 1] in " ,;(":
                    end -= 1
                if end > inner.content.start:
                    inner.content = Span(inner.content.start, end)


_NEAR = 5000
"""How far apart, in characters, a report and what it reports may be: a quotation is at most 4,000."""
_NEIGHBOURS = 20
"""How many statements away, either side, a report and what it reports may be."""


def _contains(span: Span, inner: Span) -> bool:
    return span.start <= inner.start and inner.end <= span.end


_CONJUNCTION = re.compile(r"\s+and\s+")


def _resolved(text: str, found: list[Found], gazetteer: Gazetteer) -> list[Extracted]:
    resolver = Resolver(gazetteer, text)
    actors: dict[int, list[Resolved | None]] = {}
    for index, statement in enumerate(found):
        if statement.source is None:
            actors[index] = [None]
            continue
        phrase = text[statement.source.start : statement.source.end]
        if statement.author is not None:
            handle = phrase[phrase.rfind("(") + 1 : -1]
            known = resolver.resolve(handle, statement.source.start)
            resolved = (
                known if known is not None and known.key else Resolved(statement.author, None, "person")
            )
            actors[index] = [resolved]
        else:
            actors[index] = _speakers(resolver, phrase, statement.source.start)
        for actor in actors[index]:
            if actor is not None:
                resolver.remember(statement.source.start, actor, phrase)
    extracted: list[Extracted] = []
    cues = [f.cue.start for f in found]
    for index, statement in enumerate(found):
        via = _chain(text, found, cues, index, actors, resolver)
        for actor in actors[index]:
            extracted.append(
                Extracted(
                    cue=statement.cue,
                    stance=statement.stance,
                    source=statement.source,
                    content=statement.content,
                    actor=actor.name if actor else None,
                    actor_key=actor.key if actor else None,
                    medium=statement.medium,
                    via=via,
                )
            )
    return extracted


def _speakers(resolver: Resolver, phrase: str, start: int) -> list[Resolved | None]:
    """One speaker, or each of "The defence ministry and the general staff" when both are known actors."""
    parts = _CONJUNCTION.split(phrase.split(",")[0])
    if (
        len(parts) == 2
        and len(parts[0].split()) == 1
        and len(parts[1].split()) == 2
        and parts[0][:1].isupper()
    ):
        parts[0] = f"{parts[0]} {parts[1].split()[1]}"  # "Western and Ukrainian officials"
    if len(parts) == 2:
        both = [resolver.resolve(part, start) for part in parts]
        if all(actor is not None and actor.key for actor in both) and both[0] != both[1]:
            return list(both)
    return [resolver.resolve(phrase, start)]


def _chain(
    text: str,
    found: list[Found],
    cues: list[int],
    index: int,
    actors: dict[int, list[Resolved | None]],
    resolver: Resolver,
) -> tuple[str, ...]:
    """The reporting chain of a statement, from its speaker towards the article: the go-betweens its own
    sentence names, then each report or post whose content holds it, innermost first."""
    statement = found[index]
    names: list[str] = []
    for span in statement.intermediaries:
        actor = resolver.resolve(text[span.start : span.end], span.start)
        if actor is not None:
            names.append(actor.name)
    anchor = statement.source or statement.cue
    low = max(bisect_left(cues, statement.cue.start - _NEAR), index - _NEIGHBOURS)
    high = min(bisect_right(cues, statement.cue.end + _NEAR), index + _NEIGHBOURS + 1)
    holders = [
        other
        for other in range(low, high)
        if other != index and found[other].reports and _holds(found[other], statement, anchor)
    ]
    holders.sort(key=lambda other: _length(found[other].content))
    for other in holders:
        for actor in actors[other]:
            if actor is not None and actor.name not in names:
                names.append(actor.name)
    return tuple(names)


def _holds(outer: Found, statement: Found, anchor: Span) -> bool:
    """Whether `outer` reports `statement`: its content holds it, or it follows it (`..., Tass reported`)."""
    if outer.content is None:
        return False
    if statement.content is not None and _contains(statement.content, outer.cue):
        return False
    if _contains(outer.content, statement.cue) and _contains(outer.content, anchor):
        return True
    return (
        statement.content is not None
        and statement.cue.end <= outer.cue.start < statement.cue.end + _TRAILING_REACH
        and outer.content.start < statement.content.end
        and statement.content.start < outer.content.end
    )


_TRAILING_REACH = 150


def _length(span: Span | None) -> int:
    return span.end - span.start if span else 0
