"""SQLite: the table of the search index's words, so that a word longer than the FTS5 prefix indexes
is searched as the OR of the whole words it begins: FTS5 reads an OR lazily and stops after the page,
where a prefix query first merges the lists of every word it begins (25 ms for "that" among a million
statements, 1 ms as an OR).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_TABLE = "search_fts"
WORDS_TABLE = "search_fts_words"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"CREATE TABLE {WORDS_TABLE} (word TEXT PRIMARY KEY) WITHOUT ROWID")
    # The words the index holds now, read from FTS5's own vocabulary of the `terms` column (every
    # word of a document is there; `primary_terms` holds some of them).
    op.execute(f"CREATE VIRTUAL TABLE temp.search_fts_vocabulary USING fts5vocab(main, {FTS_TABLE}, 'col')")
    op.execute(
        f"INSERT INTO {WORDS_TABLE} (word) "
        "SELECT term FROM temp.search_fts_vocabulary WHERE col = 'terms'"
    )
    op.execute("DROP TABLE temp.search_fts_vocabulary")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"DROP TABLE {WORDS_TABLE}")
