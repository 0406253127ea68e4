"""Keeping the search index (`search_documents`) in step with what it describes.

Why the application and not database triggers: the index holds *folded* words (app/names.py:
`Röpcke` → `ropcke`, `Зеленський` → `zelensky`), and that folding is Python (anyascii
transliteration and the spelling rules of `fold_name`); neither SQLite nor PostgreSQL can run it in
a trigger. So every flush that adds, changes or deletes a claim, statement, actor (or alias) or
source rewrites the documents of exactly those rows (and of the rows whose documents show them), on
the same connection and in the same transaction as the change itself: a rolled-back edit leaves the
index as it was, a committed one is searchable at once. The hook is a session event rather than
calls in each service so that no path (services, seeds, restores, tests' factories) can forget it.

Below the documents, the backend keeps its own full-text structure current: SQLite's FTS5 table
through triggers, PostgreSQL's generated tsvector columns and their GIN indexes by themselves (see
the migrations). On SQLite the words of every document written are also noted in `search_fts_words`,
from which a long prefix is searched as the words it begins (app/fulltext/repository.py). `rebuild` fills
the whole index in batches through the backend's bulk path.

A document's `facets` are tokens for the search filters, so that a filter narrows the full-text
match inside the index instead of row by row (app/search/repository.py). Every document's facets are
its own and so bounded, whatever else the database holds:
- a statement: every combination of its actor, source and stance (`a12xtasserted`: actor 12 asserted
  it), so that any set of those filters is one exact token;
- a claim: its status; a source: itself; an actor: itself;
- and every document its kind (`kclaim`), so that one scan can ask each kind for its own facets.
What a document does not carry (a claim's statements, a statement's claim status) is checked on each
candidate. A claim with fifty thousand statements keeps a document of its own words, rewritten only
when the claim itself changes, never when a statement is added to it.

Only what a reader may see is indexed: soft-deleted claims and statements, and the statements of a
deleted claim, have no documents, and get them back when restored.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, event, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from app.models import Actor, ActorAlias, Attribution, Claim, Source
from app.models.search import FULL_TEXT_TABLE, FULL_TEXT_WORDS, KIND_SHIFT, VECTOR_INDEXES, SearchDocument
from app.names import fold_name

ACTOR = "actor"
CLAIM = "claim"
SOURCE = "source"
ATTRIBUTION = "attribution"
KINDS = (ACTOR, CLAIM, SOURCE, ATTRIBUTION)
"""In ranking order: within a tier, an actor before a claim before a source before a statement."""
KIND_CODES = {kind: len(KINDS) - rank for rank, kind in enumerate(KINDS)}
"""The high bits of a document's id, descending in ranking order: read backwards, the ids of a tier's
documents come in ranking order, actors first and each kind newest first."""
CODE_KINDS = {code: kind for kind, code in KIND_CODES.items()}

BATCH_SIZE = 5_000
"""Rows read and documents written at a time by `rebuild`, which holds no more than a batch."""


def document_id(kind: str, object_id: int) -> int:
    """The document's id: its kind in the high bits, the object's id in the low ones."""
    return (KIND_CODES[kind] << KIND_SHIFT) + object_id


def kind_range(kind: str) -> tuple[int, int]:
    """The document ids of one kind: [low, high)."""
    low = KIND_CODES[kind] << KIND_SHIFT
    return low, low + (1 << KIND_SHIFT)


def kind_of(document: int) -> tuple[str, int]:
    """The kind and object id of a document id."""
    code = document >> KIND_SHIFT
    return CODE_KINDS[code], document - (code << KIND_SHIFT)


def actor_facet(actor_id: int) -> str:
    return f"a{actor_id}"


def source_facet(source_id: int) -> str:
    return f"s{source_id}"


def stance_facet(stance: str) -> str:
    return "t" + stance.replace("_", "")


def status_facet(status: str) -> str:
    return "v" + status.replace("_", "")


def kind_facet(kind: str) -> str:
    return "k" + kind


def combined_facet(*facets: str) -> str:
    """One token for several facets of one statement (in the order actor, source, stance, status):
    `a12xtasserted` is "actor 12 asserted it"."""
    return "x".join(facets)


def statement_facets(*facets: str) -> set[str]:
    """Every combination of one statement's facets, so that any set of filters is one exact token
    (`a12`, `tasserted`, `a12xtasserted`)."""
    return {
        combined_facet(*chosen) for size in range(1, len(facets) + 1) for chosen in combinations(facets, size)
    }


@lru_cache(maxsize=100_000)
def _fold_token(token: str) -> str:
    return fold_name(token)


def fold_words(*texts: str | None) -> str:
    """The folded words of some texts, each word once, in order of first appearance.

    Folding works within a word, so each whitespace-separated token is folded on its own, and the
    folding of the few thousand words that make up most text is remembered (a rebuild folds millions).
    """
    words: dict[str, None] = {}
    for text in texts:
        if text:
            for token in text.split():
                words.update(dict.fromkeys(_fold_token(token).split()))
    return " ".join(words)


@dataclass
class Changed:
    """The rows whose documents must be rewritten."""

    claim_ids: set[int] = field(default_factory=set)
    shown_claim_ids: set[int] = field(default_factory=set)
    """Claims deleted or restored: their statements' documents go or come back with them."""
    attribution_ids: set[int] = field(default_factory=set)
    actor_ids: set[int] = field(default_factory=set)
    source_ids: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.claim_ids or self.attribution_ids or self.actor_ids or self.source_ids)

    def note(self, row: object) -> None:
        if isinstance(row, Claim):
            self.claim_ids.add(row.id)
            if inspect(row).attrs["deleted_at"].history.has_changes():
                self.shown_claim_ids.add(row.id)
        elif isinstance(row, Attribution):
            self.attribution_ids.add(row.id)
        elif isinstance(row, Actor):
            self.actor_ids.add(row.id)
        elif isinstance(row, ActorAlias):
            self.actor_ids.add(row.actor_id)
        elif isinstance(row, Source):
            self.source_ids.add(row.id)


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


def _document(
    kind: str,
    object_id: int,
    primary_terms: str,
    terms: str,
    facets: Iterable[str],
    *,
    claim_id: int | None = None,
    actor_id: int | None = None,
    source_id: int | None = None,
) -> dict[str, Any]:
    return {
        "id": document_id(kind, object_id),
        "kind": kind,
        "object_id": object_id,
        "claim_id": claim_id,
        "actor_id": actor_id,
        "source_id": source_id,
        "primary_terms": primary_terms,
        "terms": terms,
        "facets": " ".join(sorted({kind_facet(kind), *facets})),
    }


# Each kind's documents for the rows a condition selects; `rebuild` passes id ranges, `refresh` ids.


def _claim_documents(connection: Connection, among: ColumnElement[bool]) -> list[dict[str, Any]]:
    claims = connection.execute(
        select(Claim.id, Claim.text, Claim.verification_status)
        .where(among, Claim.deleted_at.is_(None))
        .order_by(Claim.id)
    ).all()
    documents = []
    for claim in claims:
        words = fold_words(claim.text)
        facets = (status_facet(claim.verification_status),)
        documents.append(_document(CLAIM, claim.id, words, words, facets, claim_id=claim.id))
    return documents


def _statement_documents(
    connection: Connection, among: ColumnElement[bool], aliases: dict[int, list[str]] | None = None
) -> list[dict[str, Any]]:
    rows = connection.execute(
        select(
            Attribution.id,
            Attribution.claim_id,
            Attribution.actor_id,
            Attribution.source_id,
            Attribution.stance,
            Attribution.quote_exact,
            Actor.name,
        )
        .join(Claim, Claim.id == Attribution.claim_id)
        .join(Actor, Actor.id == Attribution.actor_id)
        .where(among, Attribution.deleted_at.is_(None), Claim.deleted_at.is_(None))
        .order_by(Attribution.id)
    ).all()
    if aliases is None:
        aliases = _aliases_by_actor(connection, (row.actor_id for row in rows))
    names: dict[int, str] = {}
    documents = []
    for row in rows:
        if row.actor_id not in names:
            names[row.actor_id] = fold_words(row.name, *aliases.get(row.actor_id, ()))
        quote = fold_words(row.quote_exact)
        facets = statement_facets(
            actor_facet(row.actor_id), source_facet(row.source_id), stance_facet(row.stance)
        )
        documents.append(
            _document(
                ATTRIBUTION,
                row.id,
                quote,
                " ".join(dict.fromkeys([*quote.split(), *names[row.actor_id].split()])),
                facets,
                claim_id=row.claim_id,
                actor_id=row.actor_id,
                source_id=row.source_id,
            )
        )
    return documents


def _actor_documents(connection: Connection, among: ColumnElement[bool]) -> list[dict[str, Any]]:
    actors = connection.execute(
        select(Actor.id, Actor.name, Actor.role).where(among).order_by(Actor.id)
    ).all()
    aliases = _aliases_by_actor(connection, (actor.id for actor in actors))
    return [
        _document(
            ACTOR,
            actor.id,
            fold_words(actor.name, *aliases[actor.id]),
            fold_words(actor.name, *aliases[actor.id], actor.role),
            (actor_facet(actor.id),),
            actor_id=actor.id,
        )
        for actor in actors
    ]


def _source_documents(connection: Connection, among: ColumnElement[bool]) -> list[dict[str, Any]]:
    sources = connection.execute(
        select(Source.id, Source.title, Source.outlet).where(among).order_by(Source.id)
    ).all()
    return [
        _document(
            SOURCE,
            source.id,
            fold_words(source.title),
            fold_words(source.title, source.outlet),
            (source_facet(source.id),),
            source_id=source.id,
        )
        for source in sources
    ]


def _ids_of(connection: Connection, column: Any, condition: ColumnElement[bool]) -> set[int]:
    return set(connection.scalars(select(column).where(condition)))


def refresh(connection: Connection, changed: Changed) -> None:
    """Rewrite the documents of the changed rows, and of the rows whose documents show them."""
    if not changed:
        return
    # A statement's document carries its actor's names, and exists only while its claim is live.
    claim_ids, source_ids = changed.claim_ids, changed.source_ids
    attribution_ids = set(changed.attribution_ids)
    if changed.shown_claim_ids:
        of_claims = Attribution.claim_id.in_(sorted(changed.shown_claim_ids))
        attribution_ids |= _ids_of(connection, Attribution.id, of_claims)
    if changed.actor_ids:
        attribution_ids |= _ids_of(
            connection, Attribution.id, Attribution.actor_id.in_(sorted(changed.actor_ids))
        )

    targets = {
        CLAIM: claim_ids,
        ATTRIBUTION: attribution_ids,
        ACTOR: changed.actor_ids,
        SOURCE: source_ids,
    }
    stale = sorted(document_id(kind, object_id) for kind, ids in targets.items() for object_id in ids)
    for start in range(0, len(stale), BATCH_SIZE):
        connection.execute(
            delete(SearchDocument).where(SearchDocument.id.in_(stale[start : start + BATCH_SIZE]))
        )

    documents: list[dict[str, Any]] = []
    if claim_ids:
        documents += _claim_documents(connection, Claim.id.in_(sorted(claim_ids)))
    if attribution_ids:
        documents += _statement_documents(connection, Attribution.id.in_(sorted(attribution_ids)))
    if changed.actor_ids:
        documents += _actor_documents(connection, Actor.id.in_(sorted(changed.actor_ids)))
    if source_ids:
        documents += _source_documents(connection, Source.id.in_(sorted(source_ids)))
    if documents:
        connection.execute(insert(SearchDocument), documents)
        if connection.dialect.name == "sqlite":
            _note_words(connection, _words_of(documents))


def _words_of(documents: Iterable[dict[str, Any]]) -> set[str]:
    return {word for document in documents for word in document["terms"].split()}


def _note_words(connection: Connection, words: set[str]) -> None:
    """SQLite: add the words the index has not held yet to `search_fts_words`."""
    if words:
        connection.exec_driver_sql(
            f"INSERT OR IGNORE INTO {FULL_TEXT_WORDS} (word) VALUES (?)", [(word,) for word in sorted(words)]
        )


def _batches(connection: Connection, id_column: Any) -> Iterator[ColumnElement[bool]]:
    """Conditions that select a table's rows `BATCH_SIZE` ids at a time."""
    after = 0
    while True:
        ids = connection.scalars(
            select(id_column).where(id_column > after).order_by(id_column).limit(BATCH_SIZE)
        ).all()
        if not ids:
            return
        yield id_column.between(ids[0], ids[-1])
        after = ids[-1]


def _all_documents(connection: Connection) -> Iterator[list[dict[str, Any]]]:
    for condition in _batches(connection, Actor.id):
        yield _actor_documents(connection, condition)
    for condition in _batches(connection, Claim.id):
        yield _claim_documents(connection, condition)
    for condition in _batches(connection, Source.id):
        yield _source_documents(connection, condition)
    # Every actor's names at once: actors are few beside their statements.
    aliases: dict[int, list[str]] = {}
    for actor_id, alias in connection.execute(
        select(ActorAlias.actor_id, ActorAlias.alias).order_by(ActorAlias.actor_id, ActorAlias.id)
    ):
        aliases.setdefault(actor_id, []).append(alias)
    for condition in _batches(connection, Attribution.id):
        yield _statement_documents(connection, condition, aliases)


DOCUMENT_COLUMNS = (
    "id",
    "kind",
    "object_id",
    "claim_id",
    "actor_id",
    "source_id",
    "primary_terms",
    "terms",
    "facets",
)


def rebuild(connection: Connection) -> None:
    """Index everything afresh, a batch at a time, through the backend's bulk path.

    SQLite: the triggers are set aside while the documents are written, and FTS5 then indexes them
    all at once ('rebuild'). PostgreSQL: the documents are copied in (COPY) without the GIN indexes,
    which are built afterwards and the table analysed. The migrations and the corpus generator call
    this; it runs in the caller's transaction.
    """
    if connection.dialect.name == "sqlite":
        _rebuild_sqlite(connection)
    else:
        _rebuild_postgresql(connection)


def _rebuild_sqlite(connection: Connection) -> None:
    triggers = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'search_documents'"
    ).all()
    for name, _sql in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    connection.exec_driver_sql("DELETE FROM search_documents")
    # The migrations before the one that made the table of words rebuild the index too.
    keep_words = inspect(connection).has_table(FULL_TEXT_WORDS)
    if keep_words:
        connection.exec_driver_sql(f"DELETE FROM {FULL_TEXT_WORDS}")
    words: set[str] = set()
    for documents in _all_documents(connection):
        if documents:
            connection.execute(insert(SearchDocument), documents)
            words |= _words_of(documents)
    if keep_words:
        _note_words(connection, words)
    connection.exec_driver_sql(f"INSERT INTO {FULL_TEXT_TABLE}({FULL_TEXT_TABLE}) VALUES ('rebuild')")
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)


def _rebuild_postgresql(connection: Connection) -> None:
    indexes = connection.exec_driver_sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_documents'"
    ).all()
    vector_indexes = [(name, definition) for name, definition in indexes if name in VECTOR_INDEXES]
    for name, _definition in vector_indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    connection.exec_driver_sql("TRUNCATE search_documents")
    driver_connection: Any = connection.connection.driver_connection
    with driver_connection.cursor() as cursor:
        for documents in _all_documents(connection):
            with cursor.copy(f"COPY search_documents ({', '.join(DOCUMENT_COLUMNS)}) FROM STDIN") as copy:
                for document in documents:
                    copy.write_row(tuple(document[column] for column in DOCUMENT_COLUMNS))
    # Building a GIN index at once is many times faster than growing it row by row.
    connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    for _name, definition in vector_indexes:
        connection.exec_driver_sql(definition)
    connection.exec_driver_sql("ANALYZE search_documents")


def keep_index_current() -> None:
    """From now on, every flush in the process rewrites the documents of what it changed. Called once
    by whatever writes through sessions (`app.derived`), rather than on import, so that the models
    and the domains can be imported without the index."""
    if not event.contains(Session, "after_flush", _reindex_after_flush):
        event.listen(Session, "after_flush", _reindex_after_flush)


def _reindex_after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    # After the flush, new rows have their ids; `new`, `dirty` and `deleted` (and the attributes'
    # history) still name what the flush wrote. The documents are written with Core on the flush's
    # own connection.
    changed = Changed()
    for row in (*session.new, *session.dirty, *session.deleted):
        changed.note(row)
    refresh(session.connection(), changed)
