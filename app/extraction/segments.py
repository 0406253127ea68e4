"""The text cut into what the rules work on: one normalised copy with the same offsets, quotations and
sentences."""

import re
from bisect import bisect_left
from collections.abc import Iterator

from app.extraction.types import Span

MAX_TEXT_CHARS = 500_000
"""The longest text the extractor reads, about 80 long news articles (a long article has 10,000 to 50,000
characters). Longer texts are refused: the extractor proposes statements for an editor to review, one
article at a time."""


class TextTooLarge(ValueError):
    """The text is longer than `MAX_TEXT_CHARS`: the extractor reads news articles, not books."""

    def __init__(self, length: int) -> None:
        super().__init__(
            f"the text has {length:,} characters; the extractor reads texts of at most "
            f"{MAX_TEXT_CHARS:,} characters (an article, not a collection)"
        )
        self.length = length


# One character for one character, so that offsets in the normalised text are offsets in the original.
_SAME_LENGTH = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2014": "\u2014",
        "\u2013": "\u2014",
        "\u2015": "\u2014",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
        "\r": "\n",
    }
)


_DOUBLED_APOSTROPHES = re.compile(r"(?<!\w)''|''(?!\w)")


def normalise(text: str) -> str:
    """Straight quotes and apostrophes, one dash, plain spaces: the rules match one spelling of each.
    Two apostrophes that open or close a quotation (''like this'', as some newspapers print them) become
    a quotation mark and a space."""
    return _DOUBLED_APOSTROPHES.sub('" ', text.translate(_SAME_LENGTH))


_PARAGRAPH = re.compile(r"[^\n]+")


def paragraphs(text: str) -> list[Span]:
    """Each non-empty line, trimmed."""
    found = []
    for match in _PARAGRAPH.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        if start < end:
            found.append(Span(start, end))
    return found


_OPENS_AFTER = set(" \n([{\u2014/-")
MAX_QUOTE_CHARS = 4000
"""A quotation mark left open longer than this is a stray mark, not a quotation."""


def quotations(text: str, original: str, blocks: list[Span]) -> list[Span]:
    """The quotations of the text, marks included; one may run over several paragraphs, where each new
    paragraph opens with a quotation mark and the last one closes it (the newspaper convention)."""
    found: list[Span] = []
    open_at: int | None = None
    for block in blocks:
        position = block.start
        if open_at is not None and text[block.start] != '"':
            open_at = None  # the quotation ended with its paragraph after all
        elif open_at is not None:
            position += 1  # the mark that reopens a continued quotation
        while position < block.end:
            mark = text.find('"', position, block.end)
            if mark < 0:
                break
            if open_at is None:
                if _opens(original, text, mark, block.start):
                    open_at = mark
            elif original[mark] != "\u201c" and mark - open_at <= MAX_QUOTE_CHARS:
                found.append(Span(open_at, mark + 1))
                open_at = None
            else:
                open_at = mark
            position = mark + 1
        # An open quotation runs on only when the next paragraph reopens it.
    return found


def _opens(original: str, text: str, mark: int, block_start: int) -> bool:
    if original[mark : mark + 2] == "''":
        return mark + 2 < len(original) and not original[mark + 2].isspace()
    if original[mark] == "\u201c":
        return True
    if original[mark] == "\u201d":
        return False
    if mark == block_start or text[mark - 1] in _OPENS_AFTER:
        return True
    # `reported."You know ...`: a sentence ends and a quotation opens without a space between.
    return text[mark - 1] in ".!?" and mark + 1 < len(text) and text[mark + 1].isalpha()


class Quotations:
    """The quotations of a text, found by position in logarithmic time (a text may hold thousands)."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = sorted(spans, key=lambda span: span.start)
        self._starts = [span.start for span in self.spans]
        self._by_end = {span.end: span for span in self.spans}

    def containing(self, start: int, end: int) -> Span | None:
        """The quotation strictly around `start`..`end` (quotations do not nest)."""
        index = bisect_left(self._starts, start) - 1
        if index >= 0 and self.spans[index].end > end:
            return self.spans[index]
        return None

    def ending_at(self, end: int) -> Span | None:
        return self._by_end.get(end)

    def starting_at(self, start: int) -> Span | None:
        index = bisect_left(self._starts, start)
        if index < len(self.spans) and self.spans[index].start == start:
            return self.spans[index]
        return None

    def first_from(self, position: int) -> Span | None:
        index = bisect_left(self._starts, position)
        return self.spans[index] if index < len(self.spans) else None

    def __iter__(self) -> Iterator[Span]:
        return iter(self.spans)


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "gov",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "st",
        "jr",
        "sr",
        "vs",
        "v",
        "prof",
        "rev",
        "sept",
        "sep",
        "oct",
        "nov",
        "dec",
        "jan",
        "feb",
        "aug",
        "mar",
        "apr",
        "jun",
        "jul",
        "inc",
        "corp",
        "co",
        "ltd",
        "no",
        "pres",
        "u.s",
        "u.n",
        "u.k",
        "d.c",
        "a.m",
        "p.m",
        "e.g",
        "i.e",
        "etc",
        "ft",
        "mt",
        "approx",
    ]
)
_SENTENCE_END = re.compile(r"[.!?]+['\")\]]*(?=\s|\"|$)|\n")


def sentences(text: str, blocks: list[Span], quotes: list[Span]) -> list[Span]:
    """Sentences, never ending inside a quotation: a quotation of several sentences stays with the words that
    attribute it."""
    inside = _quote_index(quotes)
    found: list[Span] = []
    for block in blocks:
        start = block.start
        for match in _SENTENCE_END.finditer(text, block.start, block.end):
            end = match.end()
            if match.group() == "\n" or end >= block.end:
                continue
            if _within(inside, match.end() - 1) or not _ends_sentence(text, match.start(), end, block.end):
                continue
            if text[start:end].strip():
                found.append(_trimmed(text, start, end))
            start = end
        if text[start : block.end].strip():
            found.append(_trimmed(text, start, block.end))
    return found


def _quote_index(quotes: list[Span]) -> list[Span]:
    return sorted(quotes, key=lambda span: span.start)


def _within(quotes: list[Span], position: int) -> bool:
    low, high = 0, len(quotes)
    while low < high:
        middle = (low + high) // 2
        if quotes[middle].end <= position:
            low = middle + 1
        else:
            high = middle
    return low < len(quotes) and quotes[low].start < position < quotes[low].end - 1


_ATTRIBUTION_FOLLOWS = re.compile(
    r"\s*(?:[\w.'@-]+\s+){0,5}?(?:said|says|asked|asks|added|adds|told|tells|wrote|writes|tweeted|recalled|"
    r"explained|continued|insisted|declared|argued|noted|replied|responded|wondered|joked|quipped)\b"
)


def _ends_sentence(text: str, mark: int, end: int, block_end: int) -> bool:
    following = text[end : min(block_end, end + 80)].lstrip()
    if not following:
        return False
    if text[end - 1] == '"' and text[mark] in "?!" and _ATTRIBUTION_FOLLOWS.match(text, end, block_end):
        return False
    if not (following[0].isupper() or following[0] in "\"'(#@" or following[0].isdigit()):
        return False
    if text[mark] == ".":
        word = re.search(r"([\w.]+)$", text[max(0, mark - 12) : mark])
        if word:
            token = word.group(1).lower()
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                return False
    return True


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start] in " \n":
        start += 1
    while end > start and text[end - 1] in " \n":
        end -= 1
    return Span(start, end)
