"""mailings and reminders

Revision ID: issue6
Revises: issue4
Create Date: 2026-11-23 09:45:31.727097

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue6'
down_revision = 'issue4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('supporter_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supporter_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['supporter_id'], ['supporters.id'], name=op.f('fk_supporter_tags_supporter_id_supporters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supporter_tags')),
    sa.UniqueConstraint('supporter_id', 'tag', name=op.f('uq_supporter_tags_supporter_id_tag'))
    )
    with op.batch_alter_table('supporter_tags', schema=None) as batch_op:
        batch_op.create_index('ix_supporter_tags_tag', ['tag'], unique=False)

    op.create_table('mailings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('dedupe_key', sa.String(length=100), nullable=True),
    sa.Column('segment', sa.JSON(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('reminder_offset', sa.Integer(), nullable=True),
    sa.Column('respects_quiet_hours', sa.Boolean(), nullable=False),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('alert', 'reminder')", name=op.f('ck_mailings_kind')),
    sa.CheckConstraint("status IN ('draft', 'sending', 'paused', 'done', 'cancelled')", name=op.f('ck_mailings_status')),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_mailings_alert_id_alerts')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_mailings_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailings')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_mailings_dedupe_key'))
    )
    with op.batch_alter_table('mailings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailings_alert_id'), ['alert_id'], unique=False)

    op.create_table('mailing_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mailing_id', sa.Integer(), nullable=False),
    sa.Column('supporter_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempt_count', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claim_token', sa.String(length=32), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed', 'skipped')", name=op.f('ck_mailing_recipients_status')),
    sa.ForeignKeyConstraint(['mailing_id'], ['mailings.id'], name=op.f('fk_mailing_recipients_mailing_id_mailings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supporter_id'], ['supporters.id'], name=op.f('fk_mailing_recipients_supporter_id_supporters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailing_recipients')),
    sa.UniqueConstraint('mailing_id', 'supporter_id', name=op.f('uq_mailing_recipients_mailing_id_supporter_id'))
    )
    with op.batch_alter_table('mailing_recipients', schema=None) as batch_op:
        batch_op.create_index('ix_mailing_recipients_mailing_id_status', ['mailing_id', 'status'], unique=False)
        batch_op.create_index('ix_mailing_recipients_supporter_id', ['supporter_id'], unique=False)

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminders_respect_quiet_hours', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('supporters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_undeliverable', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('undeliverable_reason', sa.String(length=200), nullable=True))



def downgrade():
    with op.batch_alter_table('supporters', schema=None) as batch_op:
        batch_op.drop_column('undeliverable_reason')
        batch_op.drop_column('is_undeliverable')

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('reminders_respect_quiet_hours')

    with op.batch_alter_table('mailing_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_mailing_recipients_supporter_id')
        batch_op.drop_index('ix_mailing_recipients_mailing_id_status')

    op.drop_table('mailing_recipients')
    with op.batch_alter_table('mailings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailings_alert_id'))

    op.drop_table('mailings')
    with op.batch_alter_table('supporter_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_supporter_tags_tag')

    op.drop_table('supporter_tags')
