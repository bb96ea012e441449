"""referral codes and email to Congress

Revision ID: issue5
Revises: issue3
Create Date: 2026-11-23 10:21:34.829154

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue5'
down_revision = 'issue3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('message_subject', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('message_body', sa.Text(), nullable=True))

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topic', sa.String(length=60), nullable=False, server_default='International Affairs'))
        batch_op.add_column(sa.Column('thank_script', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_deliveries_action_id_actions'), 'actions', ['action_id'], ['id'])

    with op.batch_alter_table('supporters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prefix', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('referral_code', sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_supporters_referral_code'), ['referral_code'])



def downgrade():
    with op.batch_alter_table('supporters', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_supporters_referral_code'), type_='unique')
        batch_op.drop_column('referral_code')
        batch_op.drop_column('prefix')

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deliveries_action_id_actions'), type_='foreignkey')
        batch_op.drop_column('action_id')

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('thank_script')
        batch_op.drop_column('topic')

    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_column('message_body')
        batch_op.drop_column('message_subject')
        batch_op.drop_column('channel')

