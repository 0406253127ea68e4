"""The backends' full-text conditions over `search_documents`, for the words of `app.fulltext.words`.

Every term is a folded word ([a-z0-9]+, see app/names.py) and matches as a prefix: `ropck` finds
`ropcke`. The terms reach the database quoted, so no FTS5 or tsquery syntax can come from the user.

- SQLite: the external-content FTS5 table `search_fts`, with three columns (`primary_terms`: the
  document's own words, `terms`: all its words, `facets`: the filter tokens), kept current by
  triggers; a query is one FTS5 expression with column filters.
- PostgreSQL: the stored tsvector columns `primary_vector`, `terms_vector` and `facet_vector` and
  their GIN indexes; a query is `vector @@ tsquery`, and the planner may instead walk the primary
  key in order and test each row's stored vector (cheap for common words, see app/search/repository.py).

`claims_with_own_words` and `statements_with_own_words` are the conditions other domains use (the
claims index's and the statements' text filters): they compile to the backend's own full-text search
when the statement is compiled, so the queries that use them need neither a session nor a dialect.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    and_,
    exists,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql import cast
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from app.fulltext.indexing import ATTRIBUTION, CLAIM, kind_range
from app.models import Attribution, Claim
from app.models.search import FULL_TEXT_TABLE, FULL_TEXT_WORDS, SearchDocument

Column = Literal["primary_terms", "terms"]
"""Where the words must be: the document's own text, or anywhere in it (own text and context)."""


@dataclass(frozen=True)
class FacetQuery:
    """Filter tokens a document must carry: every one of `all_of`, and one of each `any_of` group; or,
    when `by_kind` is given, the facets of the document's own kind (each a kind token and its query)."""

    all_of: tuple[str, ...] = ()
    any_of: tuple[tuple[str, ...], ...] = ()
    by_kind: tuple[tuple[str, "FacetQuery"], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.all_of or self.any_of or self.by_kind)

    def clauses(self, quote: str, both: str, either: str) -> list[str]:
        """The query's parts in a backend's syntax: tokens quoted by `quote`, joined by `both` (AND)
        and `either` (OR)."""
        if self.by_kind:
            alternatives = [
                "(" + f" {both} ".join([quote.format(token), *query.clauses(quote, both, either)]) + ")"
                for token, query in self.by_kind
            ]
            return ["(" + f" {either} ".join(alternatives) + ")"]
        parts = [quote.format(token) for token in self.all_of]
        parts += [
            "(" + f" {either} ".join(quote.format(token) for token in group) + ")" for group in self.any_of
        ]
        return parts


# ---- SQLite: one FTS5 expression ------------------------------------------------------------------------


PREFIX_INDEXED = 3
"""SQLite: the longest prefix the FTS5 table keeps an index of (`prefix='1 2 3'`, see the migrations)."""
WORDS = table(FULL_TEXT_WORDS, literal_column("word"))


def _fts5_term(term: str) -> ColumnElement[str]:
    """One term as FTS5 reads it: a prefix query up to `PREFIX_INDEXED` characters, which the prefix
    index answers; beyond, the OR of the whole words the index holds that start with it.

    A longer prefix query would first merge the lists of every word it begins, in full, before
    yielding its first match: 25 ms for `that` among a million statements, at every query that names
    it. FTS5 reads an OR of words lazily, in rowid order, so a page stops after its rows (1 ms). The
    words come from `search_fts_words`, in a subquery that the statement runs once; a term that begins
    no word stays as it is, and matches nothing.
    """
    quoted = '"' + term.replace('"', '""') + '"'
    if len(term) <= PREFIX_INDEXED:
        return literal(quoted + "*")
    word = WORDS.c.word
    following = term[:-1] + chr(ord(term[-1]) + 1)
    alternatives = func.group_concat(literal('"').concat(word).concat('"'), " OR ")
    return (
        select(func.coalesce(literal("(").concat(alternatives).concat(")"), literal(quoted)))
        .where(word >= term, word < following)
        .scalar_subquery()
    )


def _concatenated(parts: Sequence[str | ColumnElement[str]]) -> ColumnElement[str]:
    expression: ColumnElement[str] = literal("")
    for part in parts:
        expression = expression.concat(part)
    return expression


def _fts5_words(terms: Sequence[str], column: Column) -> list[str | ColumnElement[str]]:
    # primary_terms : ("ropcke" AND "jul"*): every term in that column.
    parts: list[str | ColumnElement[str]] = [f"{column} : ("]
    for position, term in enumerate(terms):
        parts += [" AND "] if position else []
        parts.append(_fts5_term(term))
    return [*parts, ")"]


def fts5_expression(terms: Sequence[str], *, tier: int | None, facets: FacetQuery) -> ColumnElement[str]:
    """The FTS5 query, as an SQL string expression. Tier 1: every word in the document's own text;
    tier 2: every word, but not all in its own text; None: every word anywhere (both tiers)."""
    parts: list[str | ColumnElement[str]]
    if tier == 1:
        parts = _fts5_words(terms, "primary_terms")
    elif tier == 2:
        parts = ["(", *_fts5_words(terms, "terms"), " NOT ", *_fts5_words(terms, "primary_terms"), ")"]
    else:
        parts = _fts5_words(terms, "terms")
    groups = facets.clauses('"{}"', "AND", "OR")
    if groups:
        parts += [" AND facets : (" + " AND ".join(groups) + ")"]
    return _concatenated(parts)


FTS = table(FULL_TEXT_TABLE, literal_column("rowid"))
"""The FTS5 table, whose rowid is the document's id."""


def fts5_matches(expression: ColumnElement[str]) -> ColumnElement[bool]:
    return literal_column(FULL_TEXT_TABLE).op("MATCH")(expression)


# ---- PostgreSQL: tsvector @@ tsquery --------------------------------------------------------------------


def _tsquery(terms: Sequence[str]) -> ColumnElement[Any]:
    # 'ropcke':* & 'julian':*, cast rather than parsed: the terms are folded words already.
    expression = " & ".join("'" + term.replace("'", "''") + "':*" for term in terms)
    return cast(literal(expression), TSQUERY)


def _vector(name: str) -> ColumnElement[Any]:
    return literal_column(f"{SearchDocument.__tablename__}.{name}")


def tsvector_conditions(
    terms: Sequence[str], *, tier: int | None, facets: FacetQuery
) -> list[ColumnElement[bool]]:
    """The same rule as `fts5_expression`, as conditions on the stored vectors."""
    query = _tsquery(terms)
    own = _vector("primary_vector").op("@@")(query)
    conditions: list[ColumnElement[bool]]
    if tier == 1:
        conditions = [own]
    elif tier == 2:
        conditions = [_vector("terms_vector").op("@@")(query), ~own]
    else:
        conditions = [_vector("terms_vector").op("@@")(query)]
    if facets:
        # First: PostgreSQL tests a row's conditions in the order written when they cost alike, and
        # a row's few facet tokens are quicker to read, and more often decisive, than its words.
        tokens = facets.clauses("'{}'", "&", "|")
        facet_query = cast(literal(" & ".join(tokens)), TSQUERY)
        conditions.insert(0, _vector("facet_vector").op("@@")(facet_query))
    return conditions


# ---- the conditions other domains use -------------------------------------------------------------------


COMMON_MATCHES = 5_000
"""SQLite: words with at least this many matching documents are common (see `OwnWords`)."""

Owner = Literal["claim", "attribution"]


class OwnWords(ColumnElement[bool]):
    """Claims whose text or one of whose live statements' quotes, or statements whose quote, holds
    words starting with every one of `terms` (the claims index's and the statements' text filters).

    Those lists are read in id order with a LIMIT. The plan depends on how common the words are, which
    only the data can tell (`words_are_common` counts the matches, up to `COMMON_MATCHES`): rare words
    are gathered from the full-text index (a few thousand ids at most); common ones are tested row by
    row on the documents' own words while the list is read in id order, which stops after the page
    because a match is never far.
    """

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True
    _traverse_internals = [  # noqa: RUF012 (as SQLAlchemy declares it)
        ("terms", InternalTraversal.dp_string_list),
        ("owner", InternalTraversal.dp_string),
        ("common", InternalTraversal.dp_boolean),
    ]

    def __init__(self, terms: Sequence[str], owner: Owner, *, common: bool) -> None:
        if not terms:
            raise ValueError("a full-text condition needs at least one word")
        self.terms = list(terms)
        self.owner = owner
        self.common = common


def _document_range(owner: Owner) -> tuple[int, int]:
    """The ids of the documents that can hold the words: claims' and statements', or statements'."""
    if owner == "attribution":
        return kind_range(ATTRIBUTION)
    ranges = (kind_range(CLAIM), kind_range(ATTRIBUTION))
    return min(low for low, _high in ranges), max(high for _low, high in ranges)


def claims_with_own_words(terms: Sequence[str], *, common: bool) -> ColumnElement[bool]:
    """A `Claim` whose text, or the quote of one of its live statements, holds every one of `terms`
    (`common`: as `words_are_common` weighs them for "claim")."""
    return OwnWords(terms, "claim", common=common)


def statements_with_own_words(terms: Sequence[str], *, common: bool) -> ColumnElement[bool]:
    """An `Attribution` whose quote holds every one of `terms` (`common`: as `words_are_common`
    weighs them for "attribution")."""
    return OwnWords(terms, "attribution", common=common)


def words_are_common(session: Session, terms: Sequence[str], owner: Owner) -> bool:
    """Whether at least `COMMON_MATCHES` documents of the owner's kinds hold the words in their own
    text: a count that stops there, through the full-text index."""
    low, high = _document_range(owner)
    if session.get_bind().dialect.name == "sqlite":
        rowid = FTS.c.rowid
        expression = fts5_expression(terms, tier=1, facets=FacetQuery())
        first = select(rowid).where(fts5_matches(expression), rowid >= low, rowid < high)
    else:
        documents = SearchDocument.__table__
        (own,) = tsvector_conditions(terms, tier=1, facets=FacetQuery())
        first = select(documents.c.id).where(documents.c.id >= low, documents.c.id < high, own)
    found = session.scalar(select(func.count()).select_from(first.limit(COMMON_MATCHES).subquery())) or 0
    return found >= COMMON_MATCHES


class DocumentWords(ColumnElement[bool]):
    """`search_documents` rows of one kind with every one of `terms` in their own text (`own`) or
    anywhere in them: the pickers' suggestions (an actor by a word of a name, a source by a word of
    its title or outlet), through the full-text index."""

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True
    _traverse_internals = [  # noqa: RUF012 (as SQLAlchemy declares it)
        ("terms", InternalTraversal.dp_string_list),
        ("kind", InternalTraversal.dp_string),
        ("own", InternalTraversal.dp_boolean),
    ]

    def __init__(self, kind: str, terms: Sequence[str], *, own: bool) -> None:
        if not terms:
            raise ValueError("a full-text condition needs at least one word")
        self.kind = kind
        self.terms = list(terms)
        self.own = own


def documents_with_words(kind: str, terms: Sequence[str], *, own: bool) -> ColumnElement[bool]:
    return DocumentWords(kind, terms, own=own)


@compiles(DocumentWords, "sqlite")
def _document_words_fts5(element: DocumentWords, compiler: SQLCompiler, **kw: Any) -> str:
    low, high = kind_range(element.kind)
    rowid = FTS.c.rowid
    expression = fts5_expression(element.terms, tier=1 if element.own else None, facets=FacetQuery())
    matching = select(rowid).where(fts5_matches(expression), rowid >= low, rowid < high)
    return compiler.process(SearchDocument.id.in_(matching), **kw)


@compiles(DocumentWords, "postgresql")
def _document_words_tsvector(element: DocumentWords, compiler: SQLCompiler, **kw: Any) -> str:
    low, high = kind_range(element.kind)
    conditions = tsvector_conditions(element.terms, tier=1 if element.own else None, facets=FacetQuery())
    return compiler.process(and_(SearchDocument.id >= low, SearchDocument.id < high, *conditions), **kw)


def _starts_a_word(column: Any, term: str) -> ColumnElement[bool]:
    # The words are folded ([a-z0-9]+, one space apart), so `term` carries no LIKE wildcard.
    return literal(" ").concat(column).like(f"% {term}%")


@compiles(OwnWords, "sqlite")
def _own_words_fts5(element: OwnWords, compiler: SQLCompiler, **kw: Any) -> str:
    low, high = _document_range(element.owner)
    documents = SearchDocument.__table__
    if element.common:
        own = [_starts_a_word(documents.c.primary_terms, term) for term in element.terms]
        if element.owner == "attribution":
            condition = exists().where(documents.c.id == Attribution.id + literal(low, BigInteger), *own)
        else:
            condition = exists().where(
                documents.c.claim_id == Claim.id, documents.c.kind.in_((CLAIM, ATTRIBUTION)), *own
            )
        return compiler.process(condition, **kw)
    expression = fts5_expression(element.terms, tier=1, facets=FacetQuery())
    rowid = FTS.c.rowid
    matching = select(rowid).where(fts5_matches(expression), rowid >= low, rowid < high)
    if element.owner == "attribution":
        statement_ids = select(rowid - literal(low)).where(
            fts5_matches(expression), rowid >= low, rowid < high
        )
        return compiler.process(Attribution.id.in_(statement_ids), **kw)
    claim_ids = select(documents.c.claim_id).where(
        documents.c.id.in_(matching), documents.c.kind.in_((CLAIM, ATTRIBUTION))
    )
    return compiler.process(Claim.id.in_(claim_ids), **kw)


@compiles(OwnWords, "postgresql")
def _own_words_tsvector(element: OwnWords, compiler: SQLCompiler, **kw: Any) -> str:
    low, high = _document_range(element.owner)
    (own,) = tsvector_conditions(element.terms, tier=1, facets=FacetQuery())
    documents = SearchDocument.__table__
    if element.common:
        # Tested row by row on the stored vector, reached by primary key (a claim's documents by
        # their claim): the list stops after the page.
        if element.owner == "attribution":
            condition = exists().where(documents.c.id == Attribution.id + literal(low, BigInteger), own)
        else:
            condition = exists().where(
                documents.c.claim_id == Claim.id, documents.c.kind.in_((CLAIM, ATTRIBUTION)), own
            )
        return compiler.process(condition, **kw)
    in_range = [documents.c.id >= low, documents.c.id < high, own]
    if element.owner == "attribution":
        return compiler.process(Attribution.id.in_(select(documents.c.object_id).where(*in_range)), **kw)
    return compiler.process(Claim.id.in_(select(documents.c.claim_id).where(*in_range)), **kw)
