"""A source's live statements in id order: its API answer and the statements list filtered by source
read a page of them. Without it PostgreSQL walked every statement in id order to find a late source's
first fifty (110 ms among a million), the index of (source_id, quote_start) giving them in text order.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table('attributions', schema=None) as batch_op:
        batch_op.create_index(
            'ix_attributions_live_source_id', ['source_id', 'id'], unique=False,
            sqlite_where=LIVE, postgresql_where=LIVE,
        )


def downgrade() -> None:
    with op.batch_alter_table('attributions', schema=None) as batch_op:
        batch_op.drop_index('ix_attributions_live_source_id', sqlite_where=LIVE, postgresql_where=LIVE)
