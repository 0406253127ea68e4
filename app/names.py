"""Folding of names so that any spelling of an actor finds them.

`Röpcke`, `Roepcke`, `roepcke` and `Ropcke` fold to one key, and so do `Zelensky`, `Zelenskyy`,
`Zelenskiy` and `Зеленский`. Both the stored aliases and the query are folded the same way, so a
look-up is one indexed equality.
"""

import re
import unicodedata

from anyascii import anyascii

# German umlauts are often written out (ö -> oe); folding both the written-out and the stripped form
# to the plain vowel makes the two spellings meet.
_UMLAUT_DIGRAPHS = re.compile(r"(?<=[a-z])(ae|oe|ue)")
_Y_ENDINGS = re.compile(r"(iy|yy|ii|yi|ij)\b")
_REPEATS = re.compile(r"([a-z])\1+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SOFT_SIGNS = re.compile("[ьЬъЪ]")


def fold_name(name: str) -> str:
    """The look-up key of a name: ascii, lower case, transliteration variants collapsed."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = _SOFT_SIGNS.sub("", text)  # anyascii writes ь as an apostrophe: Зеленський -> Zelens'kyi
    text = anyascii(text).lower()
    text = _NON_ALNUM.sub(" ", text)
    text = _UMLAUT_DIGRAPHS.sub(lambda match: match.group(1)[0], text)
    text = _Y_ENDINGS.sub("y", text)
    text = _REPEATS.sub(r"\1", text)
    return " ".join(text.split())


def slugify(text: str, *, max_length: int = 80) -> str:
    """A URL slug: ascii, lower case, words joined by hyphens."""
    ascii_text = anyascii(unicodedata.normalize("NFKC", text)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:max_length].rstrip("-") or "item"
