"""Embedded social-media posts: the post's text, then `— Name (@handle) April 1, 2022`."""

import re

from app.extraction.statements import Found
from app.extraction.types import Span
from app.vocabulary import Stance

_SIGNATURE = re.compile(
    r"(?P<dash>\u2014)\s*(?P<name>[^\u2014()\n]{1,80}?)\s*\((?P<handle>@\w{1,30})\)\s*"
    r"(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4})[ \t]*$",
    re.MULTILINE,
)
_LINKS = re.compile(r"(?:\s*(?:https?://\S+|pic\.twitter\.com/\S+|\S+\.\w{2,4}/\S+))+\s*$")
_NAME_CHARACTERS = re.compile(r"[^\w\s.'@-]")


def embedded_posts(text: str) -> list[Found]:
    found = []
    for match in _SIGNATURE.finditer(text):
        body_end = match.start("dash")
        body_start = _post_start(text, body_end)
        links = _LINKS.search(text, body_start, body_end)
        stop = links.start() if links else body_end
        while stop > body_start and text[stop - 1] in " \n":
            stop -= 1
        if stop <= body_start:
            continue
        name = " ".join(_NAME_CHARACTERS.sub("", match.group("name")).split())
        found.append(
            Found(
                cue=Span(match.start("dash"), match.end("dash")),
                stance=Stance.ASSERTED,
                source=Span(match.start("name"), match.end("handle") + 1),
                content=Span(body_start, stop),
                medium="Twitter",
                author=name or match.group("handle"),
                reports=True,
            )
        )
    return found


def _post_start(text: str, end: int) -> int:
    """The start of the post: its paragraph, and the paragraphs before it that only a wider gap separates
    (a post's own line breaks survive as runs of empty lines)."""
    start = text.rfind("\n", 0, end) + 1
    while start >= 3 and text[start - 3 : start] == "\n\n\n":
        gap = start
        while gap > 0 and text[gap - 1] == "\n":
            gap -= 1
        start = text.rfind("\n", 0, gap) + 1
    return start
