"""The upgrade to one email per office on a database that already holds repeated emails
(issue 12 item 7): the index is built, the first email of each office is kept, and repeated
messages not yet sent to Congress are never sent."""

import re

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.operations import create_alert
from campaign_app.congress.models import Legislator
from campaign_app.core.db import UTCDateTime, db
from campaign_app.core.time import utcnow
from campaign_app.supporters.models import Supporter

REVISION = "issue12_one_email"

actions = sa.table("actions", sa.column("id", sa.Integer), sa.column("alert_id", sa.Integer),
                   sa.column("supporter_id", sa.Integer), sa.column("bioguide_id", sa.String),
                   sa.column("kind", sa.String), sa.column("channel", sa.String),
                   sa.column("status", sa.String), sa.column("submission_key", sa.String),
                   sa.column("created_at", UTCDateTime()))
deliveries = sa.table("deliveries", sa.column("id", sa.Integer),
                      sa.column("idempotency_key", sa.String), sa.column("kind", sa.String),
                      sa.column("status", sa.String), sa.column("alert_id", sa.Integer),
                      sa.column("supporter_id", sa.Integer), sa.column("action_id", sa.Integer),
                      sa.column("bioguide_id", sa.String),
                      sa.column("attempt_count", sa.Integer),
                      sa.column("last_error", sa.Text),
                      sa.column("created_at", UTCDateTime()),
                      sa.column("updated_at", UTCDateTime()))


@pytest.fixture
def scratch_app(other_app, scratch_database_url):
    """An app on a second, empty database to migrate."""
    return other_app({"SQLALCHEMY_DATABASE_URI": scratch_database_url})


def _revision_before(app) -> str:
    config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    return ScriptDirectory.from_config(config).get_revision(REVISION).down_revision


def test_upgrade_keeps_the_first_email_of_each_office_and_cancels_unsent_repeats(
        scratch_app):
    """Issue 12 item 7: existing repeated emails must not break the upgrade."""
    with scratch_app.app_context():
        upgrade()
        alert = create_alert({**demo_alert_data(), "slug": "repeat-emails"})
        db.session.add(Legislator(bioguide_id="H001096", first_name="Harriet",
                                  last_name="Hageman", chamber="house", state="WY", district=0))
        ana = Supporter(email="ana@example.org", first_name="Ana", last_name="Gómez",
                        zip_code="82001")
        bo = Supporter(email="bo@example.org", first_name="Bo", last_name="Lee",
                       zip_code="82001")
        db.session.add_all([ana, bo])
        db.session.commit()
        alert_id, ana_id, bo_id = alert.id, ana.id, bo.id
        db.session.remove()
        downgrade(revision=_revision_before(scratch_app))

        now = utcnow()
        with db.engine.begin() as connection:
            def email(supporter_id, key, kind="email"):
                return connection.execute(actions.insert().values(
                    alert_id=alert_id, supporter_id=supporter_id, bioguide_id="H001096",
                    kind=kind, channel="cwc", status="queued", submission_key=key,
                    created_at=now).returning(actions.c.id)).scalar_one()

            def message(action_id, status):
                connection.execute(deliveries.insert().values(
                    idempotency_key=f"cwc:{action_id}", kind="congress_email", status=status,
                    alert_id=alert_id, supporter_id=ana_id, action_id=action_id,
                    bioguide_id="H001096", attempt_count=0, created_at=now, updated_at=now))

            first = email(ana_id, "ana-1")
            second, third = email(ana_id, "ana-2"), email(ana_id, "ana-3")
            bo_only = email(bo_id, "bo-1")
            call = email(ana_id, "ana-call", kind="call")
            message(first, "delivered")
            message(second, "delivered")  # already sent: its record stays
            message(third, "pending")     # not sent yet: it must not go out

        upgrade()

        with db.engine.connect() as connection:
            left = connection.execute(sa.select(actions.c.id).order_by(actions.c.id)).scalars()
            assert list(left) == [first, bo_only, call]
            rows = connection.execute(sa.select(deliveries.c.idempotency_key,
                                                deliveries.c.action_id, deliveries.c.status,
                                                deliveries.c.last_error)
                                      .order_by(deliveries.c.id)).all()
        assert [row[:3] for row in rows] == [(f"cwc:{first}", first, "delivered"),
                                            (f"cwc:{second}", first, "delivered"),
                                            (f"cwc:{third}", first, "failed")]
        assert re.search("already emailed this office", rows[2].last_error)
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
            connection.execute(actions.insert().values(
                alert_id=alert_id, supporter_id=ana_id, bioguide_id="H001096", kind="email",
                submission_key="ana-4", created_at=now))
        db.session.remove()
