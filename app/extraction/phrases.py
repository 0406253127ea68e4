"""Noun phrases around a reporting verb, found without a parser: the speaker before the verb (with its
appositions), the speaker after it, and the words that may stand between the verb and what was said."""

import re

from app.extraction.lexicon import (
    CLAUSE_WORDS,
    DETERMINERS,
    LEADING_CONNECTIVES,
    MEDIUM,
    PRONOUNS,
    SKIPPABLE_BEFORE_VERB,
    VERB_FORMS,
    WEEKDAYS,
)
from app.extraction.types import Span

_TOKEN = re.compile(r"[\w@#&][\w@#&.'-]*|[^\w\s]")
_INNER_PREPOSITIONS = frozenset(
    {"of", "for", "at", "from", "with", "in", "on", "to", "and", "&", "-", "'s", "'"}
)
_TIME_NOUNS = frozenset({"morning", "afternoon", "evening", "night", "week", "month", "year", "weekend"})
_TIME_LEADS = frozenset({"on", "late", "early", "last", "this", "earlier", "later"})
_MAX_PHRASE_TOKENS = 14
_SPEAKER_REACH = 300
"""How far before its verb, in characters, a speaker phrase may start (with its appositions)."""
_MAX_APPOSITION_TOKENS = 24
_MAX_APPOSITIONS = 6
_COLLECTIVE_NOUNS = frozenset(
    [
        "police",
        "staff",
        "media",
        "government",
        "military",
        "administration",
        "campaign",
        "committee",
        "court",
        "prosecution",
    ]
)
_ADJECTIVES_IN_ED = frozenset(
    [
        "united",
        "armed",
        "based",
        "elected",
        "retired",
        "unnamed",
        "unidentified",
        "concerned",
        "related",
        "state-owned",
        "state-funded",
        "appointed",
        "respected",
        "renowned",
        "detained",
        "wounded",
        "injured",
        "armed-forces",
    ]
)


def tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(start + m.start(), start + m.end(), m.group()) for m in _TOKEN.finditer(text[start:end])]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1] in "@#" or word[:1].isdigit()


def _strip_trailing_modifiers(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop "has also", "on Thursday", "last week" between a speaker and the verb."""
    while found:
        word = found[-1][2].lower()
        if word in SKIPPABLE_BEFORE_VERB or word in WEEKDAYS or (word.endswith("ly") and word[:1].islower()):
            found = found[:-1]
            if found and found[-1][2].lower() in _TIME_LEADS and word in WEEKDAYS:
                found = found[:-1]
            continue
        if (
            re.fullmatch(r"(?:19|20)\d\d", word)
            and len(found) >= 2
            and found[-2][2].lower() in {"in", "since"}
        ):
            found = found[:-2]  # "who in 2010 said"
            continue
        if word in _TIME_NOUNS and len(found) >= 2 and found[-2][2].lower() in _TIME_LEADS | WEEKDAYS:
            found = found[:-2]
            if found and found[-1][2].lower() in _TIME_LEADS:
                found = found[:-1]
            continue
        break
    return found


def _strip_leading(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    while found and (found[0][2].lower() in LEADING_CONNECTIVES or found[0][2] in {",", "-"}):
        found = found[1:]
    return found


def _without_parenthesis(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "Rep. Ana Ruiz (D-Ore.) said": the parenthesis belongs to the name before it."""
    if len(found) < 3 or found[-1][2] != ")":
        return found
    for index in range(len(found) - 2, max(-1, len(found) - 8), -1):
        if found[index][2] == "(":
            return found[:index] if index > 0 and found[index - 1][2][:1].isalnum() else found
    return found


def head_noun(phrase: str) -> str:
    """The last word before the phrase's complement: "advisers to the mayor" is headed by "advisers"."""
    words = phrase.split()
    for index, word in enumerate(words[1:], start=1):
        if word.lower() in {"of", "for", "at", "from", "with", "in", "to", "close", "who", "whom"}:
            return words[index - 1]
    return words[-1] if words else ""


def looks_like_speaker(words: list[str]) -> bool:
    """A short noun phrase: a name, a pronoun, or a described group ("top officials", "the governor")."""
    if not words or len(words) > _MAX_PHRASE_TOKENS:
        return False
    lowered = [word.lower().rstrip(".") if word.count(".") == 1 else word.lower() for word in words]
    if len(words) == 1 and lowered[0] in PRONOUNS:
        return True
    if any(word in CLAUSE_WORDS or word in {"not", "n't", "never", "having"} for word in lowered):
        return False
    if any(word in VERB_FORMS for word in lowered[:-1]) or (
        lowered[-1] in VERB_FORMS and not (len(words) >= 2 and lowered[-1].endswith("s"))
    ):
        return False
    if lowered[-1].endswith("'s") or lowered[-1].endswith("'"):
        return False
    if lowered[-1] in DETERMINERS or lowered[-1] in _INNER_PREPOSITIONS or lowered[-1] in PRONOUNS:
        return False
    if lowered[0] in PRONOUNS:
        return False
    if not any(word[:1].isalpha() or word[:1] in "@#" for word in words):
        return False
    first = words[0]
    if _is_capitalised(first) or lowered[0] in DETERMINERS:
        return True
    if _is_capitalised(words[-1]) and len(words) <= 10:
        return True  # "committee Chairman Rep. Ana Ruiz", "longtime pollster Tom Reyes"
    # "officials said", "lawyers for the family said": a bare plural noun, perhaps with an adjective or two
    # before it and a complement after it.
    head = lowered
    for index, word in enumerate(lowered):
        if word in {"of", "for", "at", "from", "with", "in", "to", "close"}:
            head = lowered[:index]
            break
    if not head or len(head) > 4 or len(words) > 8:
        return False
    return (head[-1].endswith("s") and not head[-1].endswith("'s")) or head[-1] in _COLLECTIVE_NOUNS


def speaker_before(text: str, lo: int, end: int, *, chain: bool = True) -> Span | None:
    """The speaker phrase that ends right before a reporting verb at `end`, or None."""
    lo = max(lo, end - _SPEAKER_REACH)
    found = _strip_trailing_modifiers(_without_parenthesis(tokens(text, lo, end)))
    if found and found[-1][2] == "," and chain:
        return _apposition_chain(text, lo, found)
    phrase: list[tuple[int, int, str]] = []
    for index in range(len(found) - 1, -1, -1):
        word = found[index][2]
        lowered = word.lower()
        if not (word[:1].isalnum() or word[:1] in "@#&'"):
            break
        if lowered in CLAUSE_WORDS or lowered in {"what", "how", "why"}:
            # "the regional government, which has denied": the pronoun names the speaker in the text; the
            # resolver reads its antecedent.
            relative = lowered in RELATIVE_PRONOUNS and not phrase and chain
            if relative and relative_antecedent(text, found[index][0]) is not None:
                return Span(found[index][0], found[index][1])
            break
        if lowered in LEADING_CONNECTIVES and lowered not in _INNER_PREPOSITIONS:
            break
        if word[:1].islower() and lowered.endswith("ed") and lowered not in _ADJECTIVES_IN_ED:
            break  # a verb: the clause before the speaker
        phrase.insert(0, found[index])
        if len(phrase) > _MAX_PHRASE_TOKENS:
            return None
    phrase = _strip_leading(phrase)
    while phrase and phrase[0][2].lower() in _INNER_PREPOSITIONS:
        phrase = phrase[1:]
    if not looks_like_speaker([word for _, _, word in phrase]):
        return None
    return Span(phrase[0][0], _without_full_stop(text, phrase[-1]))


RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})


def relative_antecedent(text: str, pronoun: int) -> Span | None:
    """What a relative pronoun at `pronoun` stands for: the noun phrase right before it ("the regional
    government, which"), or None."""
    end = pronoun
    while end > 0 and text[end - 1] == " ":
        end -= 1
    comma = end > 0 and text[end - 1] == ","
    if comma:
        end -= 1
    elif text[pronoun : pronoun + 3].lower() != "who":
        return None  # "that" and "which" without a comma open a clause about a thing
    return speaker_before(text, max(0, end - _SPEAKER_REACH), end, chain=False)


def _apposition_chain(text: str, lo: int, found: list[tuple[int, int, str]]) -> Span | None:
    """ "Dmitry Peskov, spokesperson for Russia's President Vladimir Putin, told": the name and its
    appositions, back to the start of the clause."""
    segments: list[list[tuple[int, int, str]]] = [[]]
    depth = 0
    for item in found[:-1]:
        if item[2] == "(":
            depth += 1
        elif item[2] == ")":
            depth = max(0, depth - 1)
        elif depth:
            continue  # "Rep. Ana Ruiz (D-Ore.), chair of ...": the parenthesis goes with the name
        elif item[2] == ",":
            segments.append([])
        elif item[2] in {'"', ";", ":", "\u2014"}:
            segments = [[]]
        else:
            segments[-1].append(item)
    segments = [segment for segment in segments if segment]
    if not segments or len(segments) > _MAX_APPOSITIONS:
        return None
    first = segments[0]
    for index in range(len(first) - 1, -1, -1):
        if first[index][2].lower() in CLAUSE_WORDS | {"what", "how", "why"}:
            first = first[index + 1 :]
            break
    first = _strip_leading(first)
    if not first:
        return None
    words = [word for _, _, word in first]
    if not looks_like_speaker(words) or (
        not _is_capitalised(words[0]) and words[0].lower() not in DETERMINERS
    ):
        return None
    for segment in segments[1:]:
        if len(segment) > _MAX_APPOSITION_TOKENS:
            return None
    last = segments[-1]
    return Span(first[0][0], _without_full_stop(text, last[-1]))


def speaker_after(text: str, start: int, end: int) -> Span | None:
    """The speaker of an inverted attribution: `said Dmitry Peskov, the Kremlin spokesman.`"""
    found = tokens(text, start, min(end, start + _SPEAKER_REACH))
    phrase: list[tuple[int, int, str]] = []
    for item in found:
        if not (item[2][:1].isalnum() or item[2][:1] in "@#&'"):
            break
        if item[2].lower() in CLAUSE_WORDS or (phrase and item[2].lower() in {"on", "in", "during"}):
            break
        phrase.append(item)
    while phrase and phrase[-1][2].lower() in WEEKDAYS | _TIME_NOUNS | _TIME_LEADS:
        phrase.pop()
    words = [word for _, _, word in phrase]
    if not looks_like_speaker(words):
        return None
    return Span(phrase[0][0], _without_full_stop(text, phrase[-1]))


def _without_full_stop(text: str, token: tuple[int, int, str]) -> int:
    """The end of a phrase, without the full stop of its sentence ("according to Reuters.")."""
    _, end, word = token
    if word.endswith(".") and word.count(".") == 1 and len(word) > 2:
        return end - 1
    return end


_AFTER_VERB = [
    re.compile(
        r"\s*(?:(?:on|late|early|last|this|earlier|later)\s+)*(?:monday|tuesday|wednesday|thursday|friday|"
        r"saturday|sunday|today|yesterday|tonight)(?:\s+(?:morning|afternoon|evening|night))?\b",
        re.IGNORECASE,
    ),
    re.compile(r"\s*(?:last|this|next|earlier\s+this|late\s+last)\s+(?:week|month|year|weekend)\b", re.I),
    re.compile(
        r"\s*(?:earlier|later|again|also|previously|recently|publicly|privately|repeatedly|separately|"
        r"too|as\s+well|in\s+part|flatly|firmly|quickly|simply|bluntly|then|now|once|(?:on|in)\s+\w+\s+\d{1,2})\b"
    ),
    re.compile(
        r"\s*(?:in|on)\s+(?:January|February|March|April|May|June|July|August|September|October|"
        r"November|December)(?:\s+\d{1,2})?\b"
    ),
    re.compile(
        r"\s*to\s+(?:reporters|journalists|the\s+press|supporters|the\s+crowd|an?\s+\w+\s+audience)\b"
    ),
    re.compile(r"\s*to\s+(?:the|a|an|his|her|their|me|us|him|them)\b(?:\s+[\w-]+){0,3}?(?=\s*[.,;!?\"]|$)"),
    re.compile(r"\s*(?:with|to|on|for)\s+(?:[A-Z][\w.'&-]*)(?:\s+[A-Z][\w.'&-]*)*"),
    re.compile(
        r"\s*of\s+(?:the\s+|his\s+|her\s+)?(?:[A-Z][\w.'&-]*)(?:\s+[A-Z][\w.'&-]*)*(?:'s\s+[\w-]+)?(?=\s*[.,;])"
    ),
]
_ADDRESSEE_NOUNS = frozenset(
    [
        "reporters",
        "me",
        "us",
        "him",
        "them",
        "you",
        "journalists",
        "people",
        "supporters",
        "audience",
        "crowd",
        "lawmakers",
        "colleagues",
        "colleague",
        "viewers",
        "readers",
        "voters",
        "listeners",
        "interviewer",
        "host",
        "members",
        "staff",
    ]
)


def skip_after_verb(
    text: str, position: int, end: int, *, addressee: bool
) -> tuple[int, str | None, Span | None]:
    """Skip time, place, medium and addressee after a reporting verb: (where what was said may start, the
    medium named, the addressee when it is a name)."""
    medium: str | None = None
    named_addressee: Span | None = None
    if addressee:
        position, named_addressee = _addressee(text, position, end)
    moved = True
    while moved and position < end:
        moved = False
        medium_match = MEDIUM.match(text, position, end) if text[position : position + 1] == " " else None
        if medium_match is None and text[position : position + 1] == " ":
            medium_match = MEDIUM.match(text, position + 1, end)
        if medium_match is not None:
            medium = medium or medium_match.group("medium") or medium_match.group("platform")
            position = medium_match.end()
            moved = True
            continue
        for pattern in _AFTER_VERB:
            match = pattern.match(text, position, end)
            if match is not None and match.end() > position:
                position = match.end()
                moved = True
                break
    return position, medium, named_addressee


def _addressee(text: str, position: int, end: int) -> tuple[int, Span | None]:
    """Who was told: up to the `that`, comma, colon or quotation that starts what was said ("told the
    show's host Joe Park that"), or else a short run of names and audience nouns ("told reporters on
    Friday")."""
    found = tokens(text, position, min(end, position + 120))
    words = [
        (start, stop - 1 if _full_stop(word) else stop, word.rstrip(".") if _full_stop(word) else word)
        for start, stop, word in found
    ]
    for index, (_, _, word) in enumerate(words[:9]):
        if word.lower() in {"that", ",", ":", '"', ".", ";"} and index > 0:
            taken = words[:index]
            if not any(
                w.lower() in CLAUSE_WORDS
                or w.lower() in VERB_FORMS
                or (not w[:1].isalnum() and w[:1] not in "@#")
                for _, _, w in taken
            ):
                return _addressed(taken)
            break
    taken = []
    for item in words:
        lowered = item[2].lower()
        if not (item[2][:1].isalnum() or item[2][:1] in "@#"):
            break
        if (
            _is_capitalised(item[2])
            or lowered in DETERMINERS
            or lowered in _ADDRESSEE_NOUNS
            or lowered in {"'s", "of"}
        ):
            taken.append(item)
            if len(taken) > 6:
                return position, None
            continue
        break
    if not taken:
        return position, None
    return _addressed(taken)


def _full_stop(word: str) -> bool:
    return word.endswith(".") and word.count(".") == 1 and len(word) > 2


def _addressed(taken: list[tuple[int, int, str]]) -> tuple[int, Span | None]:
    """Where the addressee ends, and its span when named ("told CNN", not "told reporters on Friday")."""
    for index, (_, _, word) in enumerate(taken):
        lowered = word.lower()
        if index and (lowered in _TIME_LEADS or lowered in WEEKDAYS or lowered in SKIPPABLE_BEFORE_VERB):
            taken = taken[:index]
            break
    span = Span(taken[0][0], taken[-1][1])
    names = [word for _, _, word in taken if _is_capitalised(word) and word.lower() not in WEEKDAYS]
    return taken[-1][1], span if names else None
