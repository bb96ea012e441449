"""merge field defaults per language; the untouched English seed gives way to built-in ones

Revision ID: issue15_default_languages
Revises: issue20_zip_places
Create Date: 2026-11-30 23:30:00

A default is now kept per (field, language): a text in Spanish reads the Spanish default, else
the organization's default language's, else the built-in one in the text's language
(campaign_app/alerts/defaults.py, translated in the supporter catalog).

Existing rows: staff wrote them in the organization's default language of the time
(DEFAULT_LANGUAGE when this upgrade runs), so they are kept for that language. Rows that
still hold the seed issue12_merge_defaults wrote ("Friend", "your representative", …) are
removed: the built-in defaults give the same English text, and the other languages their own
("Amigo/a") instead of falling back to English.
"""
import os

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'issue15_default_languages'
down_revision = 'issue20_zip_places'
branch_labels = None
depends_on = None

#: issue12_merge_defaults' seed, kept here, not imported: a migration must not change when
#: the code does.
SEED = {
    "first_name": "Friend",
    "last_name": "",
    "full_name": "Friend",
    "city": "your city",
    "state": "your state",
    "zip": "your ZIP code",
    "rep_name": "your representative",
    "rep_phone": "202-224-3121",
    "senator_names": "your senators",
    "target_name": "your member of Congress",
    "deadline": "the deadline",
    "days_left": "a few",
}

defaults = sa.table("merge_field_defaults", sa.column("field", sa.String),
                    sa.column("language", sa.String), sa.column("fallback", sa.String),
                    sa.column("updated_at", sa.DateTime(timezone=True)))


def _default_language() -> str:
    """The organization's DEFAULT_LANGUAGE (the app's setting under `flask db upgrade`)."""
    try:
        from flask import current_app

        return current_app.config["DEFAULT_LANGUAGE"]
    except (RuntimeError, KeyError):
        return os.environ.get("DEFAULT_LANGUAGE", "en")


def upgrade():
    with op.batch_alter_table('merge_field_defaults') as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False,
                                      server_default=_default_language()))
        batch_op.drop_constraint('pk_merge_field_defaults', type_='primary')
        batch_op.create_primary_key('pk_merge_field_defaults', ['field', 'language'])
    with op.batch_alter_table('merge_field_defaults') as batch_op:
        batch_op.alter_column('language', server_default=None)
    for field, fallback in SEED.items():
        op.execute(defaults.delete().where(defaults.c.field == field,
                                           defaults.c.fallback == fallback))


def downgrade():
    language = _default_language()
    op.execute(defaults.delete().where(defaults.c.language != language))
    with op.batch_alter_table('merge_field_defaults') as batch_op:
        batch_op.drop_constraint('pk_merge_field_defaults', type_='primary')
        batch_op.drop_column('language')
        batch_op.create_primary_key('pk_merge_field_defaults', ['field'])
    kept = set(op.get_bind().scalars(sa.select(defaults.c.field)))
    missing = [{"field": field, "fallback": fallback, "updated_at": sa.func.current_timestamp()}
               for field, fallback in SEED.items() if field not in kept]
    for row in missing:
        op.execute(defaults.insert().values(**row))
