"""Indexes for the hot queries at scale, and the two chain columns a claim's provenance is counted by.

- The statements' indexes hold live statements only (`WHERE deleted_at IS NULL`, which every hot
  query says): one covers a claim's stance summary, origins and chains; one pages a claim's
  statements of one stance; two serve an actor's claims and statements. The old single-column and
  (claim, stance) / (actor, stance) indexes go: the planner took `ix_attributions_deleted_at` for
  most queries on an unanalysed database, and a full index of a column that is almost always NULL
  helps nothing but the admins' list of deleted items, which now has a partial index of its own.
- `first_step_actor_id` and `chain_key` are filled from each statement's medium and reporting steps.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")
DELETED = sa.text("deleted_at IS NOT NULL")


def _where(condition: sa.TextClause) -> dict[str, sa.TextClause]:
    return {"sqlite_where": condition, "postgresql_where": condition}


def upgrade() -> None:
    with op.batch_alter_table('attributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_step_actor_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('chain_key', sa.String(length=16), nullable=False, server_default=''))
    _fill_chain_columns()
    with op.batch_alter_table('attributions', schema=None) as batch_op:
        batch_op.alter_column('chain_key', server_default=None)
        batch_op.drop_index('ix_attributions_actor_id_stance')
        batch_op.drop_index('ix_attributions_claim_id_stance')
        batch_op.drop_index('ix_attributions_stance')
        batch_op.drop_index('ix_attributions_deleted_at')
        batch_op.create_index(
            'ix_attributions_live_claim_summary',
            ['claim_id', 'stance', 'actor_id', 'first_step_actor_id', 'source_id', 'chain_key', 'id'],
            unique=False,
            **_where(LIVE),
        )
        batch_op.create_index(
            'ix_attributions_live_claim_stance_id', ['claim_id', 'stance', 'id'], unique=False, **_where(LIVE)
        )
        batch_op.create_index(
            'ix_attributions_live_actor_claim', ['actor_id', 'claim_id', 'stance'], unique=False, **_where(LIVE)
        )
        batch_op.create_index('ix_attributions_live_actor_id', ['actor_id', 'id'], unique=False, **_where(LIVE))
        batch_op.create_index('ix_attributions_deleted', ['deleted_at'], unique=False, **_where(DELETED))

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_deleted_at')
        batch_op.create_index('ix_claims_deleted', ['deleted_at'], unique=False, **_where(DELETED))

    with op.batch_alter_table('reporting_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_reporting_steps_actor_id')
        batch_op.create_index(
            batch_op.f('ix_reporting_steps_actor_id_attribution_id'), ['actor_id', 'attribution_id'], unique=False
        )


def _fill_chain_columns() -> None:
    # The digest is the application's own, so that statements recorded before and after this
    # migration group together.
    from app.attributions.chains import chain_key

    connection = op.get_bind()
    steps: dict[int, list[tuple[int, str | None]]] = {}
    for attribution_id, actor_id, medium in connection.execute(
        sa.text("SELECT attribution_id, actor_id, medium FROM reporting_steps ORDER BY attribution_id, position")
    ):
        steps.setdefault(attribution_id, []).append((actor_id, medium))
    rows = connection.execute(sa.text("SELECT id, medium FROM attributions")).all()
    if rows:
        connection.execute(
            sa.text(
                "UPDATE attributions SET first_step_actor_id = :first, chain_key = :key WHERE id = :id"
            ),
            [
                {
                    "id": attribution_id,
                    "first": chain[0][0] if (chain := steps.get(attribution_id, [])) else None,
                    "key": chain_key(medium, chain),
                }
                for attribution_id, medium in rows
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table('reporting_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_steps_actor_id_attribution_id'))
        batch_op.create_index(batch_op.f('ix_reporting_steps_actor_id'), ['actor_id'], unique=False)

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_deleted', **_where(DELETED))
        batch_op.create_index(batch_op.f('ix_claims_deleted_at'), ['deleted_at'], unique=False)

    with op.batch_alter_table('attributions', schema=None) as batch_op:
        batch_op.drop_index('ix_attributions_deleted', **_where(DELETED))
        batch_op.drop_index('ix_attributions_live_actor_id', **_where(LIVE))
        batch_op.drop_index('ix_attributions_live_actor_claim', **_where(LIVE))
        batch_op.drop_index('ix_attributions_live_claim_stance_id', **_where(LIVE))
        batch_op.drop_index('ix_attributions_live_claim_summary', **_where(LIVE))
        batch_op.create_index(batch_op.f('ix_attributions_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_attributions_stance'), ['stance'], unique=False)
        batch_op.create_index(batch_op.f('ix_attributions_claim_id_stance'), ['claim_id', 'stance'], unique=False)
        batch_op.create_index(batch_op.f('ix_attributions_actor_id_stance'), ['actor_id', 'stance'], unique=False)
        batch_op.drop_column('chain_key')
        batch_op.drop_column('first_step_actor_id')
