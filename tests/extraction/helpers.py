"""Reading the extractor's proposals back as the words they point at."""

from collections.abc import Sequence

from app.extraction import Extracted, KnownActor, Span, extract


def words(text: str, span: Span | None) -> str | None:
    return None if span is None else text[span.start : span.end]


def one(text: str, actors: Sequence[KnownActor] = ()) -> Extracted:
    """The single statement the extractor finds in `text`."""
    found = extract(text, actors)
    assert len(found) == 1, [(words(text, f.source), words(text, f.cue)) for f in found]
    return found[0]


def by_cue(text: str, cue: str, actors: Sequence[KnownActor] = ()) -> Extracted:
    """The statement whose cue reads `cue`."""
    found = [f for f in extract(text, actors) if words(text, f.cue) == cue]
    assert len(found) == 1, [(words(text, f.source), words(text, f.cue)) for f in extract(text, actors)]
    return found[0]
