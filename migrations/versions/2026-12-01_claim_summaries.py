"""Claim summaries: who stands where on each claim, counted, so that lists of claims need not count
every statement of every claim they show (kept current by app/claims/summaries.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('claim_summaries',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('attribution_count', sa.Integer(), nullable=False),
    sa.Column('source_count', sa.Integer(), nullable=False),
    sa.Column('contested', sa.Boolean(), nullable=False),
    sa.Column('stances', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_summaries_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', name=op.f('pk_claim_summaries'))
    )
    with op.batch_alter_table('claim_summaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_summaries_contested'), ['contested'], unique=False)

    # Count what is there already, as the application counts it.
    from app.claims.repository import rebuild_summaries

    rebuild_summaries(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('claim_summaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_summaries_contested'))

    op.drop_table('claim_summaries')
