"""The tables derived from others: the search index and the claims' summaries."""

from app.claims.summaries import keep_summaries_current
from app.fulltext.indexing import keep_index_current


def keep_derived_tables_current() -> None:
    """Register the flush hooks that rewrite the derived rows of whatever a flush changes, in the same
    transaction. Every entry point that writes through sessions calls it first: `create_app`, the
    command line (`app.cli.main`) and the tests' fixtures."""
    keep_index_current()
    keep_summaries_current()
