"""Erasure on request: when a supporter's personal data was erased

Revision ID: issue19_erasure
Revises: issue19_heartbeats
Create Date: 2026-11-30 12:40:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue19_erasure'
down_revision = 'issue19_heartbeats'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('supporters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('supporters', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
