"""Embed and source codes: allowed sites and look per alert, spent embed tokens, and the
source code on submissions, actions and supporters

Revision ID: issue17_embed_sources
Revises: issue15_languages
Create Date: 2026-11-30 16:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue17_embed_sources'
down_revision = 'issue15_languages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('embed_origins', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('embed_style', sa.JSON(), server_default='{}',
                                      nullable=False))
    for table in ('supporters', 'submissions', 'actions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('source_code', sa.String(length=100), nullable=True))
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index('ix_actions_alert_id_source_code', ['alert_id', 'source_code'],
                              unique=False)
    op.create_table(
        'embed_token_uses',
        sa.Column('nonce', sa.String(length=32), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('nonce', name=op.f('pk_embed_token_uses')),
    )
    with op.batch_alter_table('embed_token_uses', schema=None) as batch_op:
        batch_op.create_index('ix_embed_token_uses_used_at', ['used_at'], unique=False)


def downgrade():
    with op.batch_alter_table('embed_token_uses', schema=None) as batch_op:
        batch_op.drop_index('ix_embed_token_uses_used_at')
    op.drop_table('embed_token_uses')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index('ix_actions_alert_id_source_code')
    for table in ('actions', 'submissions', 'supporters'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('source_code')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('embed_style')
        batch_op.drop_column('embed_origins')
