"""Languages: the supporter's language, the action's, the alert's and its translations

Revision ID: issue15_languages
Revises: issue19_heartbeats
Create Date: 2026-11-30 12:45:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue15_languages'
down_revision = 'issue16_api'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('supporters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='en',
                                      nullable=False))
    op.create_table(
        'alert_translations',
        sa.Column('alert_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('appeal', sa.Text(), nullable=False),
        sa.Column('call_script', sa.Text(), nullable=False),
        sa.Column('thank_script', sa.Text(), nullable=False),
        sa.Column('email_subject', sa.String(length=500), nullable=False),
        sa.Column('email_body', sa.Text(), nullable=False),
        sa.Column('thank_you_text', sa.Text(), nullable=False),
        sa.Column('share_text', sa.String(length=280), nullable=False),
        sa.Column('alert_email_subject', sa.String(length=200), nullable=False),
        sa.Column('alert_email_body', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'],
                                name=op.f('fk_alert_translations_alert_id_alerts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('alert_id', 'language', name=op.f('pk_alert_translations')),
    )


def downgrade():
    op.drop_table('alert_translations')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('supporters', schema=None) as batch_op:
        batch_op.drop_column('language')
