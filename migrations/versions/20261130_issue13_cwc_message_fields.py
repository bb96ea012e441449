"""CWC messages: the organizer's topic, bills, position and link; what the supporter chose

Revision ID: issue13_cwc
Revises: issue12_one_email
Create Date: 2026-11-30 09:00:00

Subjects go up to CWC's 500 characters. SQLite does not enforce VARCHAR lengths, so the
widening runs on PostgreSQL only (it would copy the whole table on SQLite for nothing).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue13_cwc'
down_revision = 'issue12_one_email'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bills', sa.JSON(), server_default='[]',
                                      nullable=False))
        batch_op.add_column(sa.Column('position', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('more_info_url', sa.String(length=500), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_alerts_position'),
                                         "position IS NULL OR position IN ('pro', 'con')")
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_message_edited', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('suggested_body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('is_response_requested', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('is_newsletter_opt_in', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    if op.get_bind().dialect.name != 'sqlite':
        op.alter_column('alerts', 'email_subject', existing_type=sa.String(length=200),
                        type_=sa.String(length=500))
        op.alter_column('actions', 'message_subject', existing_type=sa.String(length=200),
                        type_=sa.String(length=500))


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.alter_column('actions', 'message_subject', existing_type=sa.String(length=500),
                        type_=sa.String(length=200))
        op.alter_column('alerts', 'email_subject', existing_type=sa.String(length=500),
                        type_=sa.String(length=200))
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_column('is_newsletter_opt_in')
        batch_op.drop_column('is_response_requested')
        batch_op.drop_column('suggested_body')
        batch_op.drop_column('is_message_edited')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_alerts_position'), type_='check')
        batch_op.drop_column('more_info_url')
        batch_op.drop_column('position')
        batch_op.drop_column('bills')
