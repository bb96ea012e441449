"""merge field defaults: the organization's fallback per field, seeded

Revision ID: issue12_merge_defaults
Revises: issue12_one_email
Create Date: 2026-11-30 09:00:00

A field without a value and without a `[[Field|fallback]]` in the text shows the organization's
default. The seed is what a visitor we don't know should read; staff change it on
/staff/alerts/merge-fields. Fields that always have a value (Alert_Title, Org_Name,
Action_Link, Unsubscribe_Link) get no row.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue12_merge_defaults'
down_revision = 'issue12_one_email'
branch_labels = None
depends_on = None

#: Kept here, not imported: a migration must not change when the code does.
SEED = {
    "first_name": "Friend",
    "last_name": "",
    "full_name": "Friend",
    "city": "your city",
    "state": "your state",
    "zip": "your ZIP code",
    "rep_name": "your representative",
    # The U.S. Capitol switchboard: it puts a caller through to any member's office.
    "rep_phone": "202-224-3121",
    "senator_names": "your senators",
    "target_name": "your member of Congress",
    "deadline": "the deadline",
    "days_left": "a few",
}


def upgrade():
    table = op.create_table('merge_field_defaults',
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('fallback', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_merge_field_defaults_updated_by_id_users')),
    sa.PrimaryKeyConstraint('field', name=op.f('pk_merge_field_defaults'))
    )
    now = sa.func.current_timestamp()
    op.execute(table.insert().values([
        {"field": field, "fallback": fallback, "updated_at": now}
        for field, fallback in SEED.items()
    ]))


def downgrade():
    op.drop_table('merge_field_defaults')
