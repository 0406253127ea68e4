"""The attributions of one sentence: a reporting verb with its speaker before or after it and what was said
on the other side, `according to X`, and the phrases of refusal and non-confirmation."""

import re
from dataclasses import dataclass, field

from app.extraction.lexicon import (
    ACCORDING_TO,
    AFTER_QUOTATION_ONLY,
    CLAUSE_WORDS,
    CONFIRMATION,
    CONTACTED_FOR_COMMENT,
    DENIAL,
    DETERMINERS,
    HEADLINE_FORMS,
    NEEDS_ADDRESSEE,
    NEGATED,
    NON_CONFIRMATION,
    PARTICIPLES,
    PRESENT_PLURAL,
    REFUSAL,
    SKIPPABLE_BEFORE_VERB,
    SOUGHT_COMMENT,
    STANCE_PHRASES,
    VERB_FORMS,
    word_set,
)
from app.extraction.phrases import (
    head_noun,
    looks_like_speaker,
    skip_after_verb,
    speaker_after,
    speaker_before,
    tokens,
)
from app.extraction.segments import Quotations
from app.extraction.types import Span
from app.vocabulary import Stance


@dataclass
class Found:
    """A statement as the rules find it, before its speaker is resolved to an actor."""

    cue: Span
    stance: Stance
    source: Span | None
    content: Span | None
    medium: str | None = None
    intermediaries: list[Span] = field(default_factory=list)
    """Go-betweens its own sentence names: "told my colleague @fpiatov", "when Reuters sought comment"."""
    reports: bool = False
    """Whether statements inside its content reached the article through its speaker: a report named after
    what it reports (`..., Tass reported`), `according to X`, an embedded post."""
    author: str | None = None
    """The author's name as an embedded post signs it."""


_VERB_PATTERN = re.compile(
    r"\b(?:" + "|".join(sorted([*VERB_FORMS, *HEADLINE_FORMS], key=len, reverse=True)) + r")\b"
)
_PROGRESSIVE = re.compile(r"\b(?:is|are|was|were|'s)\s+(?:\w+ly\s+|also\s+|now\s+|still\s+)?$")
_PER = re.compile(r"(?:,|\()\s*(per)\s+(?=(?:the\s+)?[A-Z])")
_PASSIVE_AGENT = re.compile(r"\bas\s+(alleged|claimed|reported|stated|said)\s+by\s+", re.IGNORECASE)
_PASSIVE_STANCE = re.compile(
    r"\b(?:was|were|is|are|been|being)\s+(?:\w+ly\s+)?(?P<verb>rejected|denied|disputed|confirmed|dismissed)\s+by\s+"
)
_QUOTED_AS = re.compile(r"\bquoted\s+(?P<source>[^,;\"]{2,80}?)\s+as\s*$")
_MAX_VERBS_PER_SENTENCE = 40
_WINDOW = 400
"""How far, in characters, the rules look around a cue: a sentence may run on for pages in a bad text."""
_PLURAL_SPEAKERS = frozenset(
    {
        "they",
        "we",
        "i",
        "you",
        "people",
        "police",
        "many",
        "some",
        "others",
        "most",
        "those",
        "these",
        "both",
        "all",
    }
)


class Budget:
    """How many more reporting-verb candidates the rules may examine in one text: a bound on the time a text
    that is not prose ("said said said ...") can take."""

    def __init__(self, candidates: int = 20_000) -> None:
        self.left = candidates


def find_in_sentence(
    text: str, sentence: Span, quotes: Quotations, budget: Budget | None = None
) -> list[Found]:
    start, end = sentence.start, sentence.end
    found: list[Found] = []
    taken: list[Span] = []
    for pattern, stance in STANCE_PHRASES:
        for match in pattern.finditer(text, start, end):
            cue = Span(match.start(), match.end())
            if _overlaps_any(cue, taken):
                continue
            statement = _phrase_statement(text, sentence, cue, stance)
            taken.append(cue)
            if statement is not None:
                found.append(statement)
    for match in CONTACTED_FOR_COMMENT.finditer(text, start, end):
        contacted = Span(match.start("source"), match.end("source"))
        cue = Span(match.start() + len(match.group()) - len(match.group().lstrip()), contacted.start - 1)
        found.append(Found(cue, Stance.DECLINED_TO_COMMENT, contacted, None))
        taken.append(Span(match.start(), match.end()))
    for match in ACCORDING_TO.finditer(text, start, end):
        statement = _according_to(text, sentence, Span(match.start(), match.end()), quotes)
        if statement is not None:
            found.append(statement)
            taken.append(statement.cue)
    for match in _PER.finditer(text, start, end):
        statement = _according_to(text, sentence, Span(match.start(1), match.end(1)), quotes)
        if statement is not None:
            found.append(statement)
            taken.append(statement.cue)
    for match in _PASSIVE_AGENT.finditer(text, start, end):
        cue = Span(match.start(1), match.end(1))
        source = speaker_after(text, match.end(), end)
        content = _clause_before(text, sentence, match.start(), quotes)
        if source is not None and content is not None:
            found.append(Found(cue, Stance.ASSERTED, source, content))
            taken.append(cue)
    for match in _PASSIVE_STANCE.finditer(text, start, end):
        cue = Span(match.start(), match.end("verb"))
        source = speaker_after(text, match.end(), end)
        subject_end = cue.start
        while subject_end > start and text[subject_end - 1] in " ,":
            subject_end -= 1
        if source is not None and subject_end - start > 2:
            stance = VERB_FORMS[match.group("verb")][1]
            found.append(Found(cue, stance, source, Span(max(start, subject_end - _WINDOW), subject_end)))
            taken.append(cue)
    for examined, match in enumerate(_VERB_PATTERN.finditer(text, start, end)):
        if examined == _MAX_VERBS_PER_SENTENCE or (budget is not None and budget.left <= 0):
            break  # not prose: a list of words, not a sentence
        if budget is not None:
            budget.left -= 1
        cue = Span(match.start(), match.end())
        if _overlaps_any(cue, taken) or NEGATED.search(text, max(start, cue.start - 20), cue.start):
            continue
        if quotes.containing(cue.start, cue.end) is not None:
            continue  # reported speech inside someone's words is theirs to attribute, not the article's
        statement = _verb_statement(text, sentence, cue, quotes)
        if statement is not None:
            found.append(statement)
            taken.append(statement.cue)
    return _merge_stances(text, found)


def _overlaps_any(span: Span, spans: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in spans)


def _phrase_statement(text: str, sentence: Span, cue: Span, stance: Stance) -> Found | None:
    source = speaker_before(text, sentence.start, cue.start)
    if source is None and re.search(
        r"\b(?:and|but|yet)\s+(?:\w+ly\s+|also\s+|then\s+|still\s+)?$",
        text[max(sentence.start, cue.start - 30) : cue.start],
    ):
        source = _main_subject(text, sentence, cue.start)
    if source is None or not _asserting(text, sentence, source):
        return None
    content = None
    intermediaries = []
    if stance in {Stance.COULD_NOT_VERIFY, Stance.DISPUTED}:
        content = _content_after(text, cue.end, sentence.end)
        participle = (
            None if content is None else _TRAILING_PARTICIPLE.search(text, content.start, content.end)
        )
        if content is not None and participle is not None:
            # "skeptical of the announcement, seeing it as a sign that ...": what follows is another statement
            content = Span(content.start, participle.start())
    else:
        sought = SOUGHT_COMMENT.match(text, cue.end, sentence.end)
        if sought is not None:
            intermediaries.append(Span(sought.start("source"), sought.end("source")))
    return Found(cue, stance, source, content, intermediaries=intermediaries)


def _according_to(text: str, sentence: Span, cue: Span, quotes: Quotations) -> Found | None:
    source = speaker_after(text, cue.end + 1, sentence.end)
    if source is None:
        return None
    leading = text[max(sentence.start, cue.start - _WINDOW) : cue.start].strip(" ,(")
    if not leading or leading.lower() in {"but", "and", "yet", "so", "also"}:
        rest = re.match(r"[\s,]*", text[source.end : sentence.end])
        after = source.end + (rest.end() if rest else 0)
        content = _content_after(text, after, sentence.end)
    else:
        content = _clause_before(text, sentence, cue.start, quotes)
        if content is None and _ends_here(text[source.end : min(sentence.end, source.end + _WINDOW)]):
            # "The depot is on fire according to local officials": what comes before, without a comma.
            content = _content_after(text, sentence.start, cue.start)
    if content is None:
        return None
    return Found(cue, Stance.ASSERTED, source, content, reports=True)


def _verb_statement(text: str, sentence: Span, cue: Span, quotes: Quotations) -> Found | None:
    form = text[cue.start : cue.end]
    form = HEADLINE_FORMS.get(form, form)
    lemma, stance = VERB_FORMS[form]
    window = max(sentence.start, cue.start - _WINDOW)
    before = text[window : cue.start]
    progressive = _PROGRESSIVE.search(before)
    if form.endswith(("ed", "told", "written")) and _PASSIVE.search(before):
        return None  # "four Protestants were admitted", "he was told"
    if form.endswith("ing") and progressive is None:
        return _participle(text, sentence, cue, stance, before, window) if form in PARTICIPLES else None
    if progressive is not None:
        cue = Span(window + progressive.start(), cue.end)
        before = text[window : cue.start]
    position, medium, addressee = skip_after_verb(
        text, cue.end, sentence.end, addressee=lemma in NEEDS_ADDRESSEE
    )
    if lemma in NEEDS_ADDRESSEE and position == cue.end:
        return None
    source: Span | None = speaker_before(text, sentence.start, cue.start)
    if source is None and re.search(r"\b(?:and|but|yet)\s+(?:\w+ly\s+|also\s+|then\s+|still\s+)?$", before):
        # "Ruiz thanked the crowd for coming and said ...": the first verb's subject.
        source = _main_subject(text, sentence, cue.start)
    if source is not None and not _asserting(text, sentence, source):
        return None
    if form in _ALSO_NOUNS and not _CLAUSE_OPENING.match(text, position, sentence.end):
        return None
    if source is not None and form in PRESENT_PLURAL:
        phrase = text[source.start : source.end]
        last = head_noun(phrase).lower()
        plural = (last.endswith("s") and not last.endswith("'s")) or " and " in phrase
        if not plural and last not in _PLURAL_SPEAKERS:
            return None
    intermediaries = [addressee] if addressee is not None else []
    if source is not None:
        content_before = _clause_before(text, sentence, source.start, quotes)
        rest = text[position : min(sentence.end, position + _WINDOW)]
        quoted_before = content_before is not None and text[content_before.end - 1] == '"'
        opens_clause = re.match(r"\s*(?:that\b|:)", rest) is not None
        if content_before is not None and (
            _ends_here(rest) or rest.lstrip().startswith((",", '"')) or (quoted_before and not opens_clause)
        ):
            both = _with_second_half(text, content_before, position, sentence.end, quotes)
            return Found(cue, stance, source, both, medium, intermediaries, reports=True)
        if lemma in AFTER_QUOTATION_ONLY and not (lemma == "ask" and _QUESTION.match(text, position)):
            return None
        if re.fullmatch(r"\s*:\s*", rest):
            following = _quotation_after(text, sentence.end, quotes)
            return (
                None if following is None else Found(cue, stance, source, following, medium, intermediaries)
            )
        after = _content_after(text, position, sentence.end)
        if (
            after is None
            and re.search(r"\bwhat\s*$", text[max(sentence.start, source.start - 20) : source.start])
            and _ends_here(rest)
        ):
            return Found(cue, stance, source, None, medium, intermediaries)  # "echoes what Biden has said"
        if after is None or _starts_with_verb(text, after) or not _said_after(text, lemma, after):
            return None
        return Found(cue, stance, source, after, medium, intermediaries)
    # Inverted: `"We won," said Smith.`
    if not re.search(r"[,\"]\s*$", before):
        return None
    source = speaker_after(text, cue.end + 1, sentence.end)
    if source is None:
        return None
    content = _clause_before(text, sentence, cue.start, quotes)
    if content is None:
        return None
    _, medium, _ = skip_after_verb(text, source.end, sentence.end, addressee=False)
    return Found(cue, stance, source, content, medium, intermediaries, reports=True)


_ALSO_NOUNS = frozenset(
    {"claims", "claim", "reports", "notes", "blame", "promises", "pledges", "vows", "warns", "tweets"}
)
"""Forms that are as often nouns ("the council's claims"): a statement only when a clause follows."""
_CLAUSE_OPENING = re.compile(
    r"""\s*(?:that\b|[:"]|,\s*"|(?:he|she|it|they|we|I|there|the|a|an|his|her|its|their)\b|[A-Z])"""
)
_QUESTION = re.compile(r"\s*(?:\w+\s+){0,2}?(?:whether|if|how|why|what|when|who)\b")
"""`asked whether ...`, `asked the mayor how ...`: a question is what was said."""
_TRAILING_PARTICIPLE = re.compile(r",\s+[a-z]+ing\b")
_PREPOSITIONS = frozenset({"from", "to", "by", "into", "with"})
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$")
_NEEDS_AS = frozenset({"describe"})
_TO_INFINITIVE_LEMMAS = frozenset({"promise", "vow", "pledge", "warn"})


def _asserting(text: str, sentence: Span, source: Span) -> bool:
    """Not a condition ("if they did not confirm") and not the speaker quoting themselves ("as we noted")."""
    phrase = text[source.start : source.end].lower()
    if phrase in {"i", "we", "you"}:
        return False
    before = text[max(sentence.start, source.start - 20) : source.start].rstrip().lower()
    return not re.search(r"\b(?:if|unless|whether)$", before)


def _said_after(text: str, lemma: str, content: Span) -> bool:
    """What follows the verb is what was said: not `reported from the border`, `claims to be`, `described the
    plan` (without `as`)."""
    words = text[content.start : content.end].split(None, 1)
    first = words[0].lower() if words else ""
    if first == "to" and (lemma in _TO_INFINITIVE_LEMMAS or lemma == "tell"):
        return True
    if first in _PREPOSITIONS:
        return False
    return lemma not in _NEEDS_AS or " as " in text[content.start : content.start + 80]


def _quotation_after(text: str, position: int, quotes: Quotations) -> Span | None:
    """`He said:` and the quotation in the next paragraph."""
    quote = quotes.first_from(position)
    if quote is not None and not text[position : quote.start].strip():
        return quote
    return None


def _starts_with_verb(text: str, content: Span) -> bool:
    """`Western reports suggest that`: "reports" is the speaker here, not a verb."""
    first = text[content.start : content.end].split(None, 1)[0]
    return first in VERB_FORMS


def _participle(
    text: str, sentence: Span, cue: Span, stance: Stance, before: str, window: int
) -> Found | None:
    quoted = _QUOTED_AS.search(before)
    if quoted is not None:
        source: Span | None = Span(window + quoted.start("source"), window + quoted.end("source"))
    elif re.search(r"(?:,|\b(?:by|and|after|while|before|despite))\s*$", before):
        source = _main_subject(text, sentence, cue.start)
    else:
        return None
    if source is None or not _asserting(text, sentence, source):
        return None
    position, medium, _ = skip_after_verb(text, cue.end, sentence.end, addressee=False)
    content = _content_after(text, position, sentence.end)
    if content is None:
        return None
    return Found(cue, stance, source, content, medium)


_IRREGULAR_PAST = word_set(
    "went made took gave spoke said told wrote came got held met stood kept left put ran sat saw sent set",
    "thought won lost hit led read spent brought bought fought taught became began struck drew threw shot",
)


def _main_subject(text: str, sentence: Span, limit: int) -> Span | None:
    """The subject of the clause a participle hangs on: "Ruiz attacked the plan ..., saying" is Ruiz's."""
    clause = tokens(text, sentence.start, min(limit, sentence.start + _WINDOW))
    for start, _, word in clause:
        lowered = word.lower()
        if word[:1].islower() and (
            lowered in VERB_FORMS
            or lowered in _IRREGULAR_PAST
            or lowered in _AUXILIARIES
            or (lowered.endswith("ed") and len(lowered) > 3)
        ):
            return speaker_before(text, sentence.start, start)
    return _sentence_subject(text, sentence, limit)


_AUXILIARIES = frozenset({"is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could"})


def _sentence_subject(text: str, sentence: Span, limit: int) -> Span | None:
    """The subject that opens the sentence: "The Kremlin spokesperson continued, saying ..."."""
    words = tokens(text, sentence.start, min(limit, sentence.start + _WINDOW))
    phrase: list[tuple[int, int, str]] = []
    for item in words:
        word = item[2]
        lowered = word.lower()
        if (
            word[:1].isupper()
            or word[:1] in "@#"
            or lowered in DETERMINERS
            or lowered in {"of", "for"}
            or (
                phrase
                and word[:1].isalpha()
                and not lowered.endswith("ed")
                and lowered not in VERB_FORMS
                and lowered not in CLAUSE_WORDS
                and lowered not in SKIPPABLE_BEFORE_VERB
                and len(phrase) < 6
            )
        ):
            phrase.append(item)
        else:
            break
    while phrase and phrase[-1][2].lower() in DETERMINERS | {"of", "for"}:
        phrase.pop()
    if not phrase or not looks_like_speaker([word for _, _, word in phrase]):
        return None
    if phrase[0][2].lower() in {"but", "and", "yet", "still", "meanwhile"}:
        return None
    return Span(phrase[0][0], phrase[-1][1])


def _ends_here(rest: str) -> bool:
    return re.fullmatch(r"[\s.!?:;)\"]*", rest) is not None


def _content_after(text: str, position: int, end: int) -> Span | None:
    """What was said, after the verb: from `that` or the first word to the end of the sentence."""
    match = re.compile(r"[\s,:]*").match(text, position, end)
    start = match.end() if match else position
    stop = end
    while stop > start and text[stop - 1] in " .!?;":
        stop -= 1
    if stop - start < 3 or len(text[start : min(stop, start + 60)].split()) < 2:
        return None
    return Span(start, stop)


def _clause_before(text: str, sentence: Span, limit: int, quotes: Quotations) -> Span | None:
    """What was said, before the speaker: the quotation or the clause that ends with a comma."""
    region_end = limit
    while region_end > sentence.start and text[region_end - 1] in " ":
        region_end -= 1
    if region_end <= sentence.start or text[region_end - 1] not in ',"(\u2014':
        return None
    if text[region_end - 1] == "(":
        region_end -= 1
    stop = region_end
    while stop > sentence.start and text[stop - 1] in " ,(\u2014":
        stop -= 1
    quote = quotes.ending_at(stop)
    if quote is None and text[stop : stop + 1] == ",":
        quote = quotes.ending_at(stop + 1)
    if quote is not None:
        return quote
    if stop - sentence.start < 3 or len(text[sentence.start : min(stop, sentence.start + 60)].split()) < 2:
        return None
    return Span(sentence.start, stop)


def _with_second_half(text: str, content: Span, position: int, end: int, quotes: Quotations) -> Span:
    """`"We did not do it," he said, "and never would."`: both halves."""
    match = re.compile(r"[\s,:]*\"").match(text, position, end)
    if match is None:
        return content
    quote = quotes.starting_at(match.end() - 1)
    return content if quote is None else Span(content.start, quote.end)


def _merge_stances(text: str, found: list[Found]) -> list[Found]:
    """A refusal or non-confirmation that opens what a speaker said is the stance of that statement:
    "Kuleba said he could not confirm or deny ..." is one statement that could not verify."""
    kept = []
    phrases = [
        f
        for f in found
        if f.stance in {Stance.COULD_NOT_VERIFY, Stance.DECLINED_TO_COMMENT, Stance.DISPUTED}
        and f.reports is False
    ]
    for statement in found:
        if statement in phrases:
            if any(_opens_content(other, statement) for other in found if other not in phrases):
                continue
            kept.append(statement)
            continue
        if statement.content is not None and statement.stance == Stance.ASSERTED:
            opening = text[statement.content.start : min(statement.content.end, statement.content.start + 90)]
            statement.stance = _stance_of_opening(opening, statement.stance)
        kept.append(statement)
    for statement in kept:
        for phrase in phrases:
            if phrase not in kept and statement.content is not None and _opens_content(statement, phrase):
                statement.stance = phrase.stance
    return kept


def _opens_content(statement: Found, phrase: Found) -> bool:
    content = statement.content
    return (
        content is not None
        and content.start <= phrase.cue.start < content.end
        and phrase.cue.start - content.start <= 40
    )


def _stance_of_opening(opening: str, stance: Stance) -> Stance:
    head = opening[:60]
    if NON_CONFIRMATION.search(head):
        return Stance.COULD_NOT_VERIFY
    if REFUSAL.search(head):
        return Stance.DECLINED_TO_COMMENT
    if CONFIRMATION.search(opening[:80]):
        return Stance.CONFIRMED
    if DENIAL.search(head[:30]) and not re.search(r"\bnot\b", head[:30]):
        return Stance.DENIED
    return stance
