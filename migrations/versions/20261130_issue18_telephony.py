"""Telephony: phone calls placed or answered, their legs, the block list

Revision ID: issue18_telephony
Revises: issue15_languages
Create Date: 2026-11-30 16:30:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue18_telephony'
down_revision = 'issue15_remainders'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'phone_calls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('alert_id', sa.Integer(), nullable=False),
        sa.Column('supporter_id', sa.Integer(), nullable=True),
        sa.Column('submission_id', sa.Integer(), nullable=True),
        sa.Column('direction', sa.String(length=10), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=False),
        sa.Column('call_sid', sa.String(length=64), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('zip_code', sa.String(length=5), nullable=True),
        sa.Column('state', sa.String(length=2), nullable=True),
        sa.Column('district', sa.Integer(), nullable=True),
        sa.Column('is_consented', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('duration_seconds', sa.Integer(), nullable=True),
        sa.Column('error', sa.String(length=300), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("direction IN ('outbound', 'inbound')",
                           name=op.f('ck_phone_calls_direction')),
        sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'],
                                name=op.f('fk_phone_calls_alert_id_alerts')),
        sa.ForeignKeyConstraint(['supporter_id'], ['supporters.id'],
                                name=op.f('fk_phone_calls_supporter_id_supporters')),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_phone_calls_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_phone_calls')),
        sa.UniqueConstraint('call_sid', name=op.f('uq_phone_calls_call_sid')),
    )
    op.create_index('ix_phone_calls_alert_id_created_at', 'phone_calls',
                    ['alert_id', 'created_at'])
    op.create_index('ix_phone_calls_phone_alert_id_created_at', 'phone_calls',
                    ['phone', 'alert_id', 'created_at'])
    op.create_index(op.f('ix_phone_calls_supporter_id'), 'phone_calls', ['supporter_id'])
    op.create_table(
        'call_legs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('phone_call_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('bioguide_id', sa.String(length=16), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('office', sa.String(length=10), nullable=False),
        sa.Column('dial_call_sid', sa.String(length=64), nullable=True),
        sa.Column('provider_outcome', sa.String(length=20), nullable=False),
        sa.Column('duration_seconds', sa.Integer(), nullable=False),
        sa.Column('keypad_outcome', sa.String(length=1), nullable=True),
        sa.Column('action_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['actions.id'],
                                name=op.f('fk_call_legs_action_id_actions')),
        sa.ForeignKeyConstraint(['bioguide_id'], ['legislators.bioguide_id'],
                                name=op.f('fk_call_legs_bioguide_id_legislators')),
        sa.ForeignKeyConstraint(['phone_call_id'], ['phone_calls.id'],
                                name=op.f('fk_call_legs_phone_call_id_phone_calls')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_call_legs')),
        sa.UniqueConstraint('action_id', name=op.f('uq_call_legs_action_id')),
        sa.UniqueConstraint('phone_call_id', 'position',
                            name=op.f('uq_call_legs_phone_call_id_position')),
    )
    op.create_table(
        'blocked_numbers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_blocked_numbers_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_blocked_numbers')),
        sa.UniqueConstraint('phone', name=op.f('uq_blocked_numbers_phone')),
    )


def downgrade():
    op.drop_table('blocked_numbers')
    op.drop_table('call_legs')
    op.drop_index(op.f('ix_phone_calls_supporter_id'), table_name='phone_calls')
    op.drop_index('ix_phone_calls_phone_alert_id_created_at', table_name='phone_calls')
    op.drop_index('ix_phone_calls_alert_id_created_at', table_name='phone_calls')
    op.drop_table('phone_calls')
