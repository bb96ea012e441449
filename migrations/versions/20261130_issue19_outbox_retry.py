"""Outbox: when a delivery's scheduled retry is due, so the fast sweep leaves it to its retry

Revision ID: issue19_outbox_retry
Revises: issue19_erasure
Create Date: 2026-11-30 12:50:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue19_outbox_retry'
down_revision = 'issue19_erasure'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('next_attempt_at')
