"""Spanish: actions per language counted from an index; members' gender for Spanish titles

Revision ID: issue15_remainders
Revises: issue15_languages
Create Date: 2026-11-30 16:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue15_remainders'
down_revision = 'issue16_person_identifiers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_actions_alert_id_language', 'actions',
                    ['alert_id', 'language', 'supporter_id'])
    # Filled by the next `flask congress sync`; until then Spanish titles are written for
    # either gender ('Senador(a)').
    with op.batch_alter_table('legislators') as batch_op:
        batch_op.add_column(sa.Column('gender', sa.String(length=1), nullable=True))


def downgrade():
    with op.batch_alter_table('legislators') as batch_op:
        batch_op.drop_column('gender')
    op.drop_index('ix_actions_alert_id_language', table_name='actions')
