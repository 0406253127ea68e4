"""Keeping the search index (`search_documents`) in step with what it describes.

Why the application and not database triggers: the index holds *folded* words (app/names.py:
`Röpcke` → `ropcke`, `Зеленський` → `zelensky`), and that folding is Python (anyascii
transliteration and the spelling rules of `fold_name`); neither SQLite nor PostgreSQL can run it in
a trigger. So every flush that adds, changes or deletes a claim, statement, actor (or alias) or
source rewrites the documents of exactly those rows, on the same connection and in the same
transaction as the change itself: a rolled-back edit leaves the index as it was, a committed one
is searchable at once. The hook is a session event rather than calls in each service so that no
path (services, seeds, restores, tests' factories) can forget it.

Below the documents, the backend keeps its own full-text structure current with database triggers
(SQLite's FTS5 table) or an expression index (PostgreSQL); see the migration that creates them.

Only what a reader may see is indexed: soft-deleted claims and statements, and the statements of a
deleted claim, have no documents, and get them back when restored.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, event, insert, or_, select, true
from sqlalchemy.orm import Session, UOWTransaction

from app.models import Actor, ActorAlias, Attribution, Claim, Source
from app.models.search import SearchDocument
from app.names import fold_name

CLAIM = "claim"
ATTRIBUTION = "attribution"
ACTOR = "actor"
SOURCE = "source"
KINDS = (CLAIM, ATTRIBUTION, ACTOR, SOURCE)


def fold_words(*texts: str | None) -> str:
    """The folded words of some texts, each word once, in order of first appearance."""
    words: dict[str, None] = {}
    for text in texts:
        if text:
            words.update(dict.fromkeys(fold_name(text).split()))
    return " ".join(words)


@dataclass
class Changed:
    """The rows whose documents must be rewritten; `everything` rebuilds the whole index."""

    claim_ids: set[int] = field(default_factory=set)
    attribution_ids: set[int] = field(default_factory=set)
    actor_ids: set[int] = field(default_factory=set)
    source_ids: set[int] = field(default_factory=set)
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(
            self.claim_ids or self.attribution_ids or self.actor_ids or self.source_ids
        )

    def note(self, row: object) -> None:
        if isinstance(row, Claim):
            self.claim_ids.add(row.id)
        elif isinstance(row, Attribution):
            self.attribution_ids.add(row.id)
        elif isinstance(row, Actor):
            self.actor_ids.add(row.id)
        elif isinstance(row, ActorAlias):
            self.actor_ids.add(row.actor_id)
        elif isinstance(row, Source):
            self.source_ids.add(row.id)


def _among(column: Any, ids: set[int], everything: bool) -> ColumnElement[bool]:
    return true() if everything else column.in_(sorted(ids))


def _aliases_by_actor(connection: Connection, actor_ids: Iterable[int]) -> dict[int, list[str]]:
    wanted = sorted(set(actor_ids))
    names: dict[int, list[str]] = {actor_id: [] for actor_id in wanted}
    if not wanted:
        return names
    statement = (
        select(ActorAlias.actor_id, ActorAlias.alias)
        .where(ActorAlias.actor_id.in_(wanted))
        .order_by(ActorAlias.actor_id, ActorAlias.id)
    )
    for actor_id, alias in connection.execute(statement):
        names[actor_id].append(alias)
    return names


def refresh(connection: Connection, changed: Changed) -> None:
    """Rewrite the documents of the changed rows (and of the statements that show them)."""
    if not changed:
        return
    every = changed.everything
    # A statement's document carries its actor's names, and exists only while its claim is live.
    attribution_ids = set(changed.attribution_ids)
    if not every and (changed.claim_ids or changed.actor_ids):
        attribution_ids |= set(
            connection.scalars(
                select(Attribution.id).where(
                    or_(
                        Attribution.claim_id.in_(sorted(changed.claim_ids)),
                        Attribution.actor_id.in_(sorted(changed.actor_ids)),
                    )
                )
            )
        )

    targets = {
        CLAIM: changed.claim_ids,
        ATTRIBUTION: attribution_ids,
        ACTOR: changed.actor_ids,
        SOURCE: changed.source_ids,
    }
    if every:
        connection.execute(delete(SearchDocument))
    else:
        for kind, ids in targets.items():
            if ids:
                connection.execute(
                    delete(SearchDocument).where(
                        SearchDocument.kind == kind, SearchDocument.object_id.in_(sorted(ids))
                    )
                )

    documents: list[dict[str, Any]] = []
    if every or changed.claim_ids:
        claims = select(Claim.id, Claim.text).where(
            _among(Claim.id, changed.claim_ids, every), Claim.deleted_at.is_(None)
        )
        for claim_id, text in connection.execute(claims.order_by(Claim.id)):
            words = fold_words(text)
            documents.append(_document(CLAIM, claim_id, words, words, claim_id=claim_id))

    if every or attribution_ids:
        statements = (
            select(
                Attribution.id,
                Attribution.claim_id,
                Attribution.actor_id,
                Attribution.source_id,
                Attribution.quote_exact,
                Actor.name,
            )
            .join(Claim, Claim.id == Attribution.claim_id)
            .join(Actor, Actor.id == Attribution.actor_id)
            .where(
                _among(Attribution.id, attribution_ids, every),
                Attribution.deleted_at.is_(None),
                Claim.deleted_at.is_(None),
            )
            .order_by(Attribution.id)
        )
        rows = connection.execute(statements).all()
        aliases = _aliases_by_actor(connection, (row.actor_id for row in rows))
        for row in rows:
            quote = fold_words(row.quote_exact)
            documents.append(
                _document(
                    ATTRIBUTION,
                    row.id,
                    quote,
                    fold_words(row.quote_exact, row.name, *aliases[row.actor_id]),
                    claim_id=row.claim_id,
                    actor_id=row.actor_id,
                    source_id=row.source_id,
                )
            )

    if every or changed.actor_ids:
        actors = connection.execute(
            select(Actor.id, Actor.name, Actor.role)
            .where(_among(Actor.id, changed.actor_ids, every))
            .order_by(Actor.id)
        ).all()
        aliases = _aliases_by_actor(connection, (actor.id for actor in actors))
        for actor in actors:
            names = fold_words(actor.name, *aliases[actor.id])
            documents.append(
                _document(
                    ACTOR,
                    actor.id,
                    names,
                    fold_words(actor.name, *aliases[actor.id], actor.role),
                    actor_id=actor.id,
                )
            )

    if every or changed.source_ids:
        sources = select(Source.id, Source.title, Source.outlet).where(
            _among(Source.id, changed.source_ids, every)
        )
        for source_id, title, outlet in connection.execute(sources.order_by(Source.id)):
            documents.append(
                _document(
                    SOURCE, source_id, fold_words(title), fold_words(title, outlet), source_id=source_id
                )
            )

    if documents:
        connection.execute(insert(SearchDocument), documents)


def _document(
    kind: str,
    object_id: int,
    primary_terms: str,
    terms: str,
    *,
    claim_id: int | None = None,
    actor_id: int | None = None,
    source_id: int | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "object_id": object_id,
        "claim_id": claim_id,
        "actor_id": actor_id,
        "source_id": source_id,
        "primary_terms": primary_terms,
        "terms": terms,
    }


def rebuild(connection: Connection) -> None:
    """Index everything afresh (the migration that creates the index fills it this way)."""
    refresh(connection, Changed(everything=True))


@event.listens_for(Session, "after_flush")
def _reindex_after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    # After the flush, new rows have their ids; `new`, `dirty` and `deleted` still name what the
    # flush wrote. The documents are written with Core on the flush's own connection.
    changed = Changed()
    for row in (*session.new, *session.dirty, *session.deleted):
        changed.note(row)
    refresh(session.connection(), changed)
