"""The upgrade to merge-field defaults per language (issue 15) on a database that holds the
defaults of before: staff's own are kept for the organization's default language of the time,
the untouched English seed gives way to the built-in defaults of each language, and the
downgrade gives back one default per field."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from campaign_app.alerts.queries import merge_defaults
from campaign_app.core.db import db

REVISION = "issue15_default_languages"
BEFORE = "issue20_zip_places"

defaults = sa.table("merge_field_defaults", sa.column("field", sa.String),
                    sa.column("language", sa.String), sa.column("fallback", sa.String))


def _rows(connection, *columns):
    return set(connection.execute(sa.select(*columns)).all())


@pytest.mark.parametrize("language", ["en", "es"])
def test_upgrade_keeps_staffs_defaults_for_the_default_language_of_the_time(
        other_app, scratch_database_url, language):
    scratch_app = other_app({"SQLALCHEMY_DATABASE_URI": scratch_database_url,
                             "DEFAULT_LANGUAGE": language})
    with scratch_app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            seeded = _rows(connection, defaults.c.field, defaults.c.fallback)
            assert ("first_name", "Friend") in seeded and len(seeded) == 12
            # Staff changed two defaults; the others are still the seed.
            connection.execute(defaults.update().where(defaults.c.field == "first_name")
                               .values(fallback="Neighbor"))
            connection.execute(defaults.update().where(defaults.c.field == "city")
                               .values(fallback=""))

        upgrade(revision=REVISION)

        with db.engine.connect() as connection:
            assert _rows(connection, defaults.c.field, defaults.c.language,
                         defaults.c.fallback) == {("first_name", language, "Neighbor"),
                                                  ("city", language, "")}
        with scratch_app.test_request_context("/"):
            other = "es" if language == "en" else "en"
            # Staff's choice holds in every language that has none of its own; the seed's
            # fields read the built-in default in each language.
            assert merge_defaults(other)["first_name"] == "Neighbor"
            assert "city" not in merge_defaults(other)
            assert merge_defaults("es")["rep_name"] == "su representante"
            assert merge_defaults("en")["rep_name"] == "your representative"
        db.session.remove()

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            restored = _rows(connection, defaults.c.field, defaults.c.fallback)
        assert len(restored) == 12
        assert {("first_name", "Neighbor"), ("city", ""), ("rep_name", "your representative")} \
            <= restored
