"""Search index: one folded document per claim, statement, actor and source, with the backend's
full-text structure over it (an FTS5 table kept by triggers on SQLite, a GIN index on PostgreSQL).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The names are repeated from app/models/search.py on purpose: a migration must keep creating what it
# created when it was written.
FTS_TABLE = "search_fts"
TSVECTOR_INDEX = "ix_search_documents_terms_tsvector"


def upgrade() -> None:
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

    if op.get_bind().dialect.name == "sqlite":
        # An external-content FTS5 table: it indexes search_documents.terms without a second copy of
        # the text, and these triggers keep it in step with every insert, update and delete.
        # (A later batch migration that copies search_documents must re-create the triggers.)
        op.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "terms, content='search_documents', content_rowid='id', tokenize='unicode61')"
        )
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
        # The terms are folded already (ascii, lower case, one space between words), so the 'simple'
        # configuration only splits them into words: no stemming, no stop words, as FTS5 does.
        op.execute(
            f"CREATE INDEX {TSVECTOR_INDEX} ON search_documents "
            "USING gin (to_tsvector('simple'::regconfig, terms))"
        )

    # Index what is there already; the folding is the application's own (app/names.py).
    from app.fulltext.indexing import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS search_documents_fts_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    else:
        op.execute(f"DROP INDEX IF EXISTS {TSVECTOR_INDEX}")
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_documents_source_id'))
        batch_op.drop_index(batch_op.f('ix_search_documents_claim_id'))
        batch_op.drop_index(batch_op.f('ix_search_documents_actor_id'))

    op.drop_table('search_documents')
