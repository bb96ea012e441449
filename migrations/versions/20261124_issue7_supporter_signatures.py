"""supporters sign the letter: 'signon' actions without a member; letter settings on alerts

Revision ID: issue7_signatures
Revises: issue7
Create Date: 2026-11-24 09:00:00

A signature is an action of kind 'signon' whose bioguide_id is NULL (it is addressed to the
letter, not to one office). One per supporter per alert, held by a partial unique index.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue7_signatures'
down_revision = 'issue7'
branch_labels = None
depends_on = None

_SIGNON = "kind = 'signon'"


def upgrade():
    # On SQLite, batch mode copies the table: the column's NULL and the checks change there.
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.alter_column('bioguide_id', existing_type=sa.String(length=16), nullable=True)
        batch_op.drop_constraint(batch_op.f('ck_actions_kind'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_actions_kind'), "kind IN ('call', 'email', 'thank', 'signon')")
        batch_op.create_check_constraint(
            batch_op.f('ck_actions_target'),
            "(kind = 'signon' AND bioguide_id IS NULL) OR "
            "(kind <> 'signon' AND bioguide_id IS NOT NULL)")
        batch_op.create_index('uq_actions_alert_id_supporter_id_signon',
                              ['alert_id', 'supporter_id'], unique=True,
                              sqlite_where=sa.text(_SIGNON), postgresql_where=sa.text(_SIGNON))

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_text', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('signature_goal', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('public_signer_list', sa.String(length=20),
                                      server_default='off', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_alerts_public_signer_list'),
                                         "public_signer_list IN ('off', 'initials_city')")


def downgrade():
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_alerts_public_signer_list'), type_='check')
        batch_op.drop_column('public_signer_list')
        batch_op.drop_column('signature_goal')
        batch_op.drop_column('letter_text')

    # Signatures have no member: they can't survive the NOT NULL coming back.
    op.execute("DELETE FROM actions WHERE kind = 'signon'")
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index('uq_actions_alert_id_supporter_id_signon',
                            sqlite_where=sa.text(_SIGNON), postgresql_where=sa.text(_SIGNON))
        batch_op.drop_constraint(batch_op.f('ck_actions_target'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_actions_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_actions_kind'),
                                         "kind IN ('call', 'email', 'thank')")
        batch_op.alter_column('bioguide_id', existing_type=sa.String(length=16), nullable=False)
