"""What the extractor reads and proposes: plain values with character offsets into the text, no database."""

from dataclasses import dataclass, field

from app.vocabulary import Stance


@dataclass(frozen=True)
class Span:
    """A half-open range of characters, `text[start:end]`."""

    start: int
    end: int


@dataclass(frozen=True)
class KnownActor:
    """An actor the extractor may resolve a statement to: what it is called, and what it does."""

    key: str
    """How the caller finds the actor again (its slug)."""
    name: str
    kind: str
    """An `ActorKind` value: person, organisation, ..."""
    aliases: tuple[str, ...] = ()
    role: str | None = None
    """A title or office, such as "Governor of Belgorod Oblast"."""


@dataclass(frozen=True)
class Extracted:
    """One attributed statement the extractor proposes."""

    cue: Span
    stance: Stance
    source: Span | None = None
    """Where the text names who made the statement; None when it does not say."""
    content: Span | None = None
    """What was said; None for a statement without content, such as a refusal to comment."""
    actor: str | None = None
    """The name of the actor the statement resolves to: a known actor's name, or a proposed new one."""
    actor_key: str | None = None
    """The known actor's key; None when the actor is new or unknown."""
    medium: str | None = None
    """Where it was said, when the text names it ("Telegram", "a television interview")."""
    via: tuple[str, ...] = field(default_factory=tuple)
    """The reporting chain from the actor towards the article, as names ("Tass", ...)."""
