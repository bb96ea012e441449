"""Heartbeats: beat records that it still ticks, and readiness reports it

Revision ID: issue19_heartbeats
Revises: issue13_cwc
Create Date: 2026-11-30 10:30:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue19_heartbeats'
down_revision = 'issue13_cwc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'heartbeats',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_heartbeats')),
    )


def downgrade():
    op.drop_table('heartbeats')
