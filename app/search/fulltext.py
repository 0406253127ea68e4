"""The words a reader typed, and the backends' full-text conditions over `search_documents`.

Every term is a folded word ([a-z0-9]+, see app/names.py) and matches as a prefix: `ropck` finds
`ropcke`. The terms reach the database quoted, so no FTS5 or tsquery syntax can come from the user.

- SQLite: the external-content FTS5 table `search_fts`, with three columns (`primary_terms`: the
  document's own words, `terms`: all its words, `facets`: the filter tokens), kept current by
  triggers; a query is one FTS5 expression with column filters.
- PostgreSQL: the stored tsvector columns `primary_vector`, `terms_vector` and `facet_vector` and
  their GIN indexes; a query is `vector @@ tsquery`, and the planner may instead walk the primary
  key in order and test each row's stored vector (cheap for common words, see repository.py).

`has_own_words(terms)` is the one condition other domains use (the claims index's and the statements'
text filters): it compiles to the backend's own full-text search when the statement is compiled, so
the queries that use it need neither a session nor a dialect.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Boolean, ColumnElement, literal, literal_column, select, table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import cast
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from app.errors import InvalidInput
from app.models.search import FULL_TEXT_TABLE, SearchDocument
from app.names import fold_name

MAX_TERMS = 12
"""Words searched at most; a pasted paragraph is cut to its first words rather than refused."""

Column = Literal["primary_terms", "terms"]
"""Where the words must be: the document's own text, or anywhere in it (own text and context)."""


def query_words(text: str | None) -> list[str]:
    """What a reader typed as folded words, each once, in the order typed: folded like the index,
    every other character (FTS syntax, quotes, operators, punctuation) only separates words."""
    return list(dict.fromkeys(fold_name((text or "").strip()).split()))


def filter_words(field: str, text: str | None) -> list[str] | None:
    """The words of a text filter (None: no filter); a filter without a single word is refused
    rather than silently ignored or matching nothing."""
    if text is None or not text.strip():
        return None
    words = query_words(text)
    if not words:
        raise InvalidInput(
            f"“{text.strip()}” has no word to look for in “{field}”: "
            "type at least one letter or digit (punctuation and symbols are not searched)."
        )
    return words[:MAX_TERMS]


@dataclass(frozen=True)
class FacetQuery:
    """Filter tokens a document must carry: every one of `all_of`, and one of each `any_of` group."""

    all_of: tuple[str, ...] = ()
    any_of: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.all_of or self.any_of)


# ---- SQLite: one FTS5 expression ------------------------------------------------------------------------


def _fts5_words(terms: Sequence[str], column: Column) -> str:
    # primary_terms : ("ropcke"* AND "julian"*): quoted prefix queries, all in that column.
    return f"{column} : (" + " AND ".join('"' + term.replace('"', '""') + '"*' for term in terms) + ")"


def fts5_expression(terms: Sequence[str], *, tier: int | None, facets: FacetQuery) -> str:
    """Tier 1: every word in the document's own text; tier 2: every word, but not all in its own
    text; None: every word anywhere (both tiers)."""
    if tier == 1:
        words = _fts5_words(terms, "primary_terms")
    elif tier == 2:
        words = f"({_fts5_words(terms, 'terms')} NOT {_fts5_words(terms, 'primary_terms')})"
    else:
        words = _fts5_words(terms, "terms")
    groups = ['"' + token + '"' for token in facets.all_of]
    groups += ["(" + " OR ".join('"' + token + '"' for token in group) + ")" for group in facets.any_of]
    if not groups:
        return words
    return f"{words} AND facets : (" + " AND ".join(groups) + ")"


FTS = table(FULL_TEXT_TABLE, literal_column("rowid"))
"""The FTS5 table, whose rowid is the document's id."""


def fts5_matches(expression: str) -> ColumnElement[bool]:
    return literal_column(FULL_TEXT_TABLE).op("MATCH")(literal(expression))


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
        tokens = [f"'{token}'" for token in facets.all_of]
        tokens += ["(" + " | ".join(f"'{token}'" for token in group) + ")" for group in facets.any_of]
        conditions.append(_vector("facet_vector").op("@@")(cast(literal(" & ".join(tokens)), TSQUERY)))
    return conditions


# ---- the condition other domains use --------------------------------------------------------------------


class HasOwnWords(ColumnElement[bool]):
    """`search_documents` rows whose own text has words starting with every one of `terms`."""

    type = Boolean()
    inherit_cache = True
    # A condition in its own right: without this, SQLite (no boolean type) would be sent
    # `(id IN (...)) = 1`, which no index can serve.
    _is_implicitly_boolean = True
    # The terms are part of the statement cache key: the compiled SQL carries them as a literal
    # bound when compiling, so two searches for different words must not share a compiled form.
    _traverse_internals = [("terms", InternalTraversal.dp_string_list)]  # noqa: RUF012 (as SQLAlchemy declares it)

    def __init__(self, terms: Sequence[str]) -> None:
        if not terms:
            raise ValueError("a full-text condition needs at least one word")
        self.terms = list(terms)


def has_own_words(terms: Sequence[str]) -> ColumnElement[bool]:
    """Documents with every one of `terms` in their own text (a claim's text, a statement's quote),
    not only in their context (who said it)."""
    return HasOwnWords(terms)


@compiles(HasOwnWords, "sqlite")
def _fts5(element: HasOwnWords, compiler: SQLCompiler, **kw: Any) -> str:
    expression = fts5_expression(element.terms, tier=1, facets=FacetQuery())
    matching = select(FTS.c.rowid).where(fts5_matches(expression))
    return compiler.process(SearchDocument.id.in_(matching.scalar_subquery()), **kw)


@compiles(HasOwnWords, "postgresql")
def _tsvector(element: HasOwnWords, compiler: SQLCompiler, **kw: Any) -> str:
    (condition,) = tsvector_conditions(element.terms, tier=1, facets=FacetQuery())
    return compiler.process(condition, **kw)
