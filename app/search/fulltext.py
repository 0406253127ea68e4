"""One SQL condition for "this search document has every one of these words", whatever the backend.

`has_words(terms)` is a boolean SQL expression over `search_documents`; it compiles to the backend's
own full-text search when the statement is compiled, so that the queries that use it (search, the
claims index's text filter, the statements' text filter) need neither a session nor a dialect:

- SQLite: the external-content FTS5 table `search_fts`, kept current by triggers;
- PostgreSQL: `to_tsvector('simple', terms) @@ tsquery`, which the migration's GIN index covers.

Every term is a folded word ([a-z0-9]+, see app/names.py) and matches as a prefix: `ropck` finds
`ropcke`. The terms come quoted, so no FTS5 or tsquery syntax can come from the user.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Select, and_, literal, literal_column, select, table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import cast, func
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from app.errors import InvalidInput
from app.models.search import FULL_TEXT_TABLE, SearchDocument
from app.names import fold_name

MAX_TERMS = 12
"""Words searched at most; a pasted paragraph is cut to its first words rather than refused."""


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


class HasWords(ColumnElement[bool]):
    """`search_documents` rows whose words start with every one of `terms`."""

    type = Boolean()
    inherit_cache = True
    # The terms are part of the statement cache key: the compiled SQL carries them as a literal
    # bound when compiling, so two searches for different words must not share a compiled form.
    _traverse_internals = [("terms", InternalTraversal.dp_string_list)]  # noqa: RUF012 (as SQLAlchemy declares it)

    def __init__(self, terms: Sequence[str]) -> None:
        if not terms:
            raise ValueError("a full-text condition needs at least one word")
        self.terms = list(terms)


def has_words(terms: Sequence[str]) -> ColumnElement[bool]:
    return HasWords(terms)


def starts_a_word(column: ColumnElement[str] | InstrumentedAttribute[str], term: str) -> ColumnElement[bool]:
    """`term` starts a word of `column` (folded words: [a-z0-9]+, so `term` has no LIKE wildcard)."""
    return literal(" ").concat(column).like(f"% {term}%")


def has_own_words(terms: Sequence[str]) -> ColumnElement[bool]:
    """Documents with every one of `terms` in their own text (a claim's text, a statement's quote),
    not only in their context (who said it): the index finds them, `primary_terms` narrows them."""
    return and_(has_words(terms), *(starts_a_word(SearchDocument.primary_terms, term) for term in terms))


@compiles(HasWords, "sqlite")
def _fts5(element: HasWords, compiler: SQLCompiler, **kw: Any) -> str:
    # "ropcke"* "julian"*: quoted prefix queries, all of which must match.
    expression = " ".join('"' + term.replace('"', '""') + '"*' for term in element.terms)
    fts = table(FULL_TEXT_TABLE, literal_column("rowid"))
    matching: Select[tuple[Any]] = (
        select(literal_column("rowid"))
        .select_from(fts)
        .where(literal_column(FULL_TEXT_TABLE).op("MATCH")(literal(expression)))
    )
    return compiler.process(SearchDocument.id.in_(matching.scalar_subquery()), **kw)


@compiles(HasWords, "postgresql")
def _tsquery(element: HasWords, compiler: SQLCompiler, **kw: Any) -> str:
    # 'ropcke':* & 'julian':*, cast rather than parsed: the terms are folded words already.
    expression = " & ".join("'" + term.replace("'", "''") + "':*" for term in element.terms)
    vector = func.to_tsvector(literal_column("'simple'::regconfig"), SearchDocument.terms)
    return compiler.process(vector.op("@@")(cast(literal(expression), TSQUERY)), **kw)
