"""Search that stops after the page: document ids in ranking order, own words and filter facets indexed.

- `search_documents.id` is the document's place in the ranking order (its kind's code in the high
  bits, the object's id in the low ones), so that an index in id order yields one kind's documents
  newest first; the surrogate counter and the (kind, object_id) constraint go.
- `facets`: tokens for the search filters (actor, source, stance, claim status).
- SQLite: the FTS5 table indexes three columns (own words, all words, facets) with prefix indexes for
  words of one to three letters, so that a short word is one posting list rather than a merge of
  every word it starts.
- PostgreSQL: stored tsvector columns of the three, each with a GIN index, beside the primary key's
  order; the expression index over `terms` goes.

The documents are rebuilt.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The names are repeated from app/models/search.py on purpose: a migration must keep creating what it
# created when it was written.
FTS_TABLE = "search_fts"
OLD_TSVECTOR_INDEX = "ix_search_documents_terms_tsvector"
VECTORS = {"primary_vector": "primary_terms", "terms_vector": "terms", "facet_vector": "facets"}
TRIGGERS = ("insert", "delete", "update")


def _drop_sqlite_full_text() -> None:
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS search_documents_fts_{trigger}")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_sqlite_full_text()
    else:
        op.execute(f"DROP INDEX IF EXISTS {OLD_TSVECTOR_INDEX}")
    op.drop_table('search_documents')
    op.create_table('search_documents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('primary_terms', sa.Text(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('facets', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_documents_claim_id'), ['claim_id'], unique=False)

    if sqlite:
        # External content: the FTS5 table indexes search_documents' columns without a second copy of
        # the text, and the triggers keep it in step with every insert, update and delete.
        op.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "primary_terms, terms, facets, content='search_documents', content_rowid='id', "
            "tokenize='unicode61', prefix='1 2 3')"
        )
        columns = "primary_terms, terms, facets"
        new = "new.primary_terms, new.terms, new.facets"
        old = "old.primary_terms, old.terms, old.facets"
        op.execute(
            f"CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN "
            f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new}); END"
        )
        op.execute(
            f"CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES ('delete', old.id, {old}); END"
        )
        op.execute(
            f"CREATE TRIGGER search_documents_fts_update AFTER UPDATE ON search_documents BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new}); END"
        )
    else:
        # The words are folded already (ascii, lower case, one space between words), so the 'simple'
        # configuration only splits them into words: no stemming, no stop words, as FTS5 does.
        for vector, column in VECTORS.items():
            op.execute(
                f"ALTER TABLE search_documents ADD COLUMN {vector} tsvector "
                f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {column})) STORED"
            )
            op.execute(f"CREATE INDEX ix_search_documents_{vector} ON search_documents USING gin ({vector})")

    # Index what is there already; the folding is the application's own (app/names.py).
    from app.fulltext.indexing import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    # Back to revision 0003's layout, its documents copied from these (the words are the same).
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_sqlite_full_text()
    op.rename_table('search_documents', 'search_documents_0005')
    if not sqlite:
        for vector in VECTORS:
            op.execute(f"DROP INDEX IF EXISTS ix_search_documents_{vector}")
        op.execute("ALTER INDEX pk_search_documents RENAME TO pk_search_documents_0005")
    op.execute("DROP INDEX IF EXISTS ix_search_documents_claim_id")
    op.create_table('search_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('primary_terms', sa.Text(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('kind', 'object_id', name=op.f('uq_search_documents_kind_object_id'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_documents_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_documents_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_documents_source_id'), ['source_id'], unique=False)
    op.execute(
        "INSERT INTO search_documents (kind, object_id, claim_id, actor_id, source_id, primary_terms, terms) "
        "SELECT kind, object_id, claim_id, actor_id, source_id, primary_terms, terms "
        "FROM search_documents_0005 ORDER BY id"
    )
    op.drop_table('search_documents_0005')
    if sqlite:
        op.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "terms, content='search_documents', content_rowid='id', tokenize='unicode61')"
        )
        op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        op.execute(
            f"CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN "
            f"INSERT INTO {FTS_TABLE}(rowid, terms) VALUES (new.id, new.terms); END"
        )
        op.execute(
            f"CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, terms) VALUES ('delete', old.id, old.terms); END"
        )
        op.execute(
            f"CREATE TRIGGER search_documents_fts_update AFTER UPDATE ON search_documents BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, terms) VALUES ('delete', old.id, old.terms); "
            f"INSERT INTO {FTS_TABLE}(rowid, terms) VALUES (new.id, new.terms); END"
        )
    else:
        op.execute(
            f"CREATE INDEX {OLD_TSVECTOR_INDEX} ON search_documents "
            "USING gin (to_tsvector('simple'::regconfig, terms))"
        )
