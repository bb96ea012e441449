"""API: the identifiers clients give people (OSDI origin_system:id), kept and returned

Revision ID: issue16_person_identifiers
Revises: issue15_languages
Create Date: 2026-11-30 16:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue16_person_identifiers'
down_revision = 'issue17_embed_sources'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_person_identifiers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('supporter_id', sa.Integer(), nullable=False),
        sa.Column('identifier', sa.String(length=255), nullable=False),
        sa.Column('api_key_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['api_key_id'], ['api_keys.id'],
                                name=op.f('fk_api_person_identifiers_api_key_id_api_keys')),
        sa.ForeignKeyConstraint(['supporter_id'], ['supporters.id'],
                                name=op.f('fk_api_person_identifiers_supporter_id_supporters')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_person_identifiers')),
        sa.UniqueConstraint('identifier', name=op.f('uq_api_person_identifiers_identifier')),
    )
    with op.batch_alter_table('api_person_identifiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_person_identifiers_supporter_id'),
                              ['supporter_id'], unique=False)


def downgrade():
    with op.batch_alter_table('api_person_identifiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_person_identifiers_supporter_id'))
    op.drop_table('api_person_identifiers')
