"""CWC messages: the organizer's topic, bills, position and link; what the supporter chose

Revision ID: issue13_cwc
Revises: issue12_submissions
Create Date: 2026-11-30 09:00:00

Subjects go up to CWC's 500 characters. SQLite does not enforce VARCHAR lengths, so the
widening runs on PostgreSQL only. The check on alerts.position too: on SQLite it would copy
the alerts table, and with foreign keys on, dropping the old table fails once actions and
deliveries point at alerts (the editor's choices hold the rule there).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue13_cwc'
down_revision = 'issue12_submissions'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE … ADD COLUMN: a batch would copy the tables on SQLite (a boolean's
    # default is an expression), which foreign keys forbid once rows point at them.
    op.add_column('alerts', sa.Column('bills', sa.JSON(), server_default='[]', nullable=False))
    op.add_column('alerts', sa.Column('position', sa.String(length=3), nullable=True))
    op.add_column('alerts', sa.Column('more_info_url', sa.String(length=500), nullable=True))
    for column in ('is_message_edited', 'is_response_requested', 'is_newsletter_opt_in'):
        op.add_column('actions', sa.Column(column, sa.Boolean(), server_default=sa.false(),
                                           nullable=False))
    op.add_column('actions', sa.Column('suggested_body', sa.Text(), nullable=True))
    if op.get_bind().dialect.name != 'sqlite':
        op.create_check_constraint('ck_alerts_position', 'alerts',
                                   "position IS NULL OR position IN ('pro', 'con')")
        op.alter_column('alerts', 'email_subject', existing_type=sa.String(length=200),
                        type_=sa.String(length=500))
        op.alter_column('actions', 'message_subject', existing_type=sa.String(length=200),
                        type_=sa.String(length=500))


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint('ck_alerts_position', 'alerts', type_='check')
        op.alter_column('actions', 'message_subject', existing_type=sa.String(length=500),
                        type_=sa.String(length=200))
        op.alter_column('alerts', 'email_subject', existing_type=sa.String(length=500),
                        type_=sa.String(length=200))
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), as in upgrade.
    for column in ('is_newsletter_opt_in', 'is_response_requested', 'suggested_body',
                   'is_message_edited'):
        op.drop_column('actions', column)
    for column in ('more_info_url', 'position', 'bills'):
        op.drop_column('alerts', column)
