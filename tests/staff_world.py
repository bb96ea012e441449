"""A committed alert with something behind every staff page: supporters who called and
signed, a delivery, a mailing, an approved organization, a member's signature, an admin.

For tests that go through the app as a browser does, outside the test's own app context
(use with the `committed_data` fixture, which removes it all afterwards)."""

from dataclasses import dataclass

from sqlalchemy import select

from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.models import AlertRevision
from campaign_app.alerts.operations import create_alert
from campaign_app.alerts.signons import SignOn
from campaign_app.auth.operations import create_user
from campaign_app.core.db import db
from campaign_app.mailings.operations import create_mailing
from campaign_app.signons.letter import letter_offices
from campaign_app.signons.operations import record_member_signon
from campaign_app.webhooks.models import WebhookEndpoint
from tests.factories import add_action, add_delivery, add_supporter
from tests.helpers import submit_form

ADMIN_EMAIL = "crawler-admin@example.org"
PASSWORD = "correct horse battery"  # noqa: S105


@dataclass(frozen=True)
class StaffWorld:
    """Plain values (no ORM objects): the tests read them after the session is gone."""

    alert_id: int
    slug: str
    mailing_id: int
    revision_id: int
    user_id: int
    #: bioguide id → number of constituents who signed, for each office of the letter.
    offices: dict[str, int]
    organization: str
    webhook_endpoint_id: int
    #: A supporter who called and signed (the data-request pages).
    supporter_id: int = 0


def build_staff_world(app) -> StaffWorld:
    with app.app_context():
        admin = create_user(ADMIN_EMAIL, PASSWORD, "admin", "Crawler Admin")
        alert = create_alert({**demo_alert_data(), "slug": "staff-world",
                              "channels": ["call", "email", "signon"]}, admin)
        ana = add_supporter(email="ana.world@example.org", first_name="Ana", last_name="Ríos")
        ben = add_supporter(email="ben.world@example.org", first_name="Ben", last_name="Okafor",
                            state="CA", district=37, zip_code="90011")
        for supporter in (ana, ben):
            add_action(alert, supporter, "O000172")
            add_action(alert, supporter, None, kind="signon")
        add_delivery(alert, ana)
        db.session.add(SignOn(alert_id=alert.id, kind="organization", signer_key="derechos",
                              organization_name="Derechos Ahora", country="Mexico",
                              website="https://derechos.example.org", status="approved"))
        record_member_signon(alert, "O000172", by=admin)
        mailing = create_mailing(alert, {"type": "all"}, admin)
        endpoint = WebhookEndpoint(url="https://crm.example.org/hooks",
                                   events=["person.created"], secret="whsec_" + "A" * 32)
        db.session.add(endpoint)
        db.session.flush()
        revision_id = db.session.scalars(select(AlertRevision.id).where(
            AlertRevision.alert_id == alert.id)).first()
        world = StaffWorld(alert_id=alert.id, slug=alert.slug, mailing_id=mailing.id,
                           revision_id=revision_id, user_id=admin.id,
                           offices={office.bioguide_id: office.signer_count
                                    for office in letter_offices(alert)},
                           organization="Derechos Ahora", webhook_endpoint_id=endpoint.id,
                           supporter_id=ana.id)
        db.session.commit()
        db.session.remove()
    return world


def logged_in_client(app):
    """A test client of its own, outside any app context, logged in as the world's admin."""
    client = app.test_client()
    response = submit_form(client, "/login", {"email": ADMIN_EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client
