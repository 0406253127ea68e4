"""The review queue: statements the extractor proposes in a source, pending or decided by an editor.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('quote_start', sa.Integer(), nullable=False),
    sa.Column('quote_end', sa.Integer(), nullable=False),
    sa.Column('source_start', sa.Integer(), nullable=True),
    sa.Column('source_end', sa.Integer(), nullable=True),
    sa.Column('cue_start', sa.Integer(), nullable=False),
    sa.Column('cue_end', sa.Integer(), nullable=False),
    sa.Column('content_start', sa.Integer(), nullable=True),
    sa.Column('content_end', sa.Integer(), nullable=True),
    sa.Column('stance', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=300), nullable=True),
    sa.Column('medium', sa.String(length=200), nullable=True),
    sa.Column('via', sa.JSON(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('claim_text', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attribution_id', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("stance IN ('asserted', 'confirmed', 'denied', 'disputed', 'could_not_verify', 'declined_to_comment')", name=op.f('ck_proposals_stance')),
    sa.CheckConstraint("state IN ('pending', 'accepted', 'rejected')", name=op.f('ck_proposals_state')),
    sa.CheckConstraint('quote_start >= 0 AND quote_end > quote_start', name=op.f('ck_proposals_quote_span')),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_proposals_actor_id_actors'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['attribution_id'], ['attributions.id'], name=op.f('fk_proposals_attribution_id_attributions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_proposals_claim_id_claims'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_proposals_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals')),
    sa.UniqueConstraint('source_id', 'key', name=op.f('uq_proposals_source_id_key'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_attribution_id'), ['attribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_source_id_state_quote_start'), ['source_id', 'state', 'quote_start'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_source_id_state_quote_start'))
        batch_op.drop_index(batch_op.f('ix_proposals_claim_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_attribution_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_actor_id'))

    op.drop_table('proposals')
