"""alert editor and revisions

Revision ID: issue4
Revises: 0001

Existing alerts keep working: new non-null columns get server defaults.
Create Date: 2026-11-23 09:29:01.733409

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue4'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('alert_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('changed_fields', sa.JSON(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_revisions_alert_id_alerts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_alert_revisions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_revisions'))
    )
    with op.batch_alter_table('alert_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_alert_revisions_alert_id_created_at', ['alert_id', 'created_at'], unique=False)

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skip_signed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('is_email_editable', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('email_max_length', sa.Integer(), nullable=False, server_default='5000'))
        batch_op.add_column(sa.Column('alert_email_subject', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('alert_email_body', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_alerts_created_by_id_users'), 'users', ['created_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_alerts_created_by_id_users'), type_='foreignkey')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('published_at')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('alert_email_body')
        batch_op.drop_column('alert_email_subject')
        batch_op.drop_column('email_max_length')
        batch_op.drop_column('is_email_editable')
        batch_op.drop_column('skip_signed')

    with op.batch_alter_table('alert_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_revisions_alert_id_created_at')

    op.drop_table('alert_revisions')
