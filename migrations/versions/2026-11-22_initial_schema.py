"""Initial schema: sources, actors and aliases, claims and their relations, attributions with
anchored quotes and reporting chains, verification history, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 03:17:12.725123
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('actors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('role', sa.Text(), nullable=True),
    sa.Column('affiliation_id', sa.Integer(), nullable=True),
    sa.Column('wikidata_qid', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('person', 'organisation', 'outlet', 'government_body', 'group')", name=op.f('ck_actors_kind')),
    sa.ForeignKeyConstraint(['affiliation_id'], ['actors.id'], name=op.f('fk_actors_affiliation_id_actors'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actors')),
    sa.UniqueConstraint('slug', name=op.f('uq_actors_slug'))
    )
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actors_affiliation_id'), ['affiliation_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_name', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_object_type_object_id'), ['object_type', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_user_name'), ['user_name'], unique=False)

    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('verification_status', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("verification_status IN ('unverified', 'in_review', 'confirmed', 'partly_confirmed', 'unconfirmed', 'misleading', 'false')", name=op.f('ck_claims_verification_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('slug', name=op.f('uq_claims_slug'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claims_verification_status'), ['verification_status'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('title_supplied', sa.Boolean(), nullable=False),
    sa.Column('outlet', sa.String(length=200), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('ingested_by', sa.String(length=100), nullable=False),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('sha256', name=op.f('uq_sources_sha256'))
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sources_outlet'), ['outlet'], unique=False)
        batch_op.create_index(batch_op.f('ix_sources_published_on'), ['published_on'], unique=False)

    op.create_table('actor_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=300), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('is_name', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_actor_aliases_actor_id_actors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor_aliases')),
    sa.UniqueConstraint('actor_id', 'alias', name=op.f('uq_actor_aliases_actor_id_alias'))
    )
    with op.batch_alter_table('actor_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_aliases_name_key'), ['name_key'], unique=False)

    op.create_table('attributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('stance', sa.String(length=32), nullable=False),
    sa.Column('quote_start', sa.Integer(), nullable=False),
    sa.Column('quote_end', sa.Integer(), nullable=False),
    sa.Column('quote_exact', sa.Text(), nullable=False),
    sa.Column('quote_prefix', sa.Text(), nullable=False),
    sa.Column('quote_suffix', sa.Text(), nullable=False),
    sa.Column('medium', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("stance IN ('asserted', 'confirmed', 'denied', 'disputed', 'could_not_verify', 'declined_to_comment')", name=op.f('ck_attributions_stance')),
    sa.CheckConstraint('quote_start >= 0 AND quote_end > quote_start', name=op.f('ck_attributions_quote_span')),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_attributions_actor_id_actors'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_attributions_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_attributions_source_id_sources'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attributions')),
    sa.UniqueConstraint('source_id', 'actor_id', 'claim_id', 'quote_start', 'quote_end', name='uq_attributions_statement')
    )
    with op.batch_alter_table('attributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attributions_actor_id_stance'), ['actor_id', 'stance'], unique=False)
        batch_op.create_index(batch_op.f('ix_attributions_claim_id_stance'), ['claim_id', 'stance'], unique=False)
        batch_op.create_index(batch_op.f('ix_attributions_source_id_quote_start'), ['source_id', 'quote_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_attributions_stance'), ['stance'], unique=False)

    op.create_table('claim_relations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('related_claim_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.CheckConstraint("kind IN ('contradicts', 'narrows', 'supports')", name=op.f('ck_claim_relations_kind')),
    sa.CheckConstraint('claim_id <> related_claim_id', name=op.f('ck_claim_relations_not_self')),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_relations_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['related_claim_id'], ['claims.id'], name=op.f('fk_claim_relations_related_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_relations')),
    sa.UniqueConstraint('claim_id', 'related_claim_id', 'kind', name=op.f('uq_claim_relations_claim_id_related_claim_id_kind'))
    )
    with op.batch_alter_table('claim_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_relations_related_claim_id'), ['related_claim_id'], unique=False)

    op.create_table('status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("to_status IN ('unverified', 'in_review', 'confirmed', 'partly_confirmed', 'unconfirmed', 'misleading', 'false')", name=op.f('ck_status_changes_to_status')),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_status_changes_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_changes'))
    )
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_changes_claim_id'), ['claim_id'], unique=False)

    op.create_table('reporting_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attribution_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('medium', sa.String(length=200), nullable=True),
    sa.CheckConstraint('position >= 0', name=op.f('ck_reporting_steps_position')),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_reporting_steps_actor_id_actors'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['attribution_id'], ['attributions.id'], name=op.f('fk_reporting_steps_attribution_id_attributions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_steps')),
    sa.UniqueConstraint('attribution_id', 'position', name=op.f('uq_reporting_steps_attribution_id_position'))
    )
    with op.batch_alter_table('reporting_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_steps_actor_id'), ['actor_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reporting_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_steps_actor_id'))

    op.drop_table('reporting_steps')
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_changes_claim_id'))

    op.drop_table('status_changes')
    with op.batch_alter_table('claim_relations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_relations_related_claim_id'))

    op.drop_table('claim_relations')
    with op.batch_alter_table('attributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attributions_stance'))
        batch_op.drop_index(batch_op.f('ix_attributions_source_id_quote_start'))
        batch_op.drop_index(batch_op.f('ix_attributions_claim_id_stance'))
        batch_op.drop_index(batch_op.f('ix_attributions_actor_id_stance'))

    op.drop_table('attributions')
    with op.batch_alter_table('actor_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actor_aliases_name_key'))

    op.drop_table('actor_aliases')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sources_published_on'))
        batch_op.drop_index(batch_op.f('ix_sources_outlet'))

    op.drop_table('sources')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_verification_status'))

    op.drop_table('claims')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_user_name'))
        batch_op.drop_index(batch_op.f('ix_audit_log_object_type_object_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actors_affiliation_id'))

    op.drop_table('actors')
