"""CSV exports: streamed, audited, defused against formulas, no contact data for viewers."""

import csv
import io

import pytest
from sqlalchemy import select

from campaign_app.alerts.signons import SignOn
from campaign_app.audit.models import AuditEvent
from campaign_app.core.csvfile import safe_cell
from campaign_app.core.db import db
from tests.factories import add_action, add_alert, add_delivery, add_supporter

pytestmark = pytest.mark.full_data


@pytest.fixture
def alert_with_rows(full_data, db_session):
    alert = add_alert()
    opted_in = add_supporter(email="in@example.org", first_name="=cmd", last_name="In",
                             phone="555-0100", is_subscribed=True)
    opted_out = add_supporter(email="out@example.org", last_name="Out", is_subscribed=False)
    add_action(alert, opted_in, "O000172", referral_code="@friend")
    add_action(alert, opted_out, "O000172", kind="email")
    add_delivery(alert, opted_out, status="failed", last_error="-5 quota")
    db.session.add(SignOn(alert_id=alert.id, kind="organization", signer_key="x",
                          organization_name="+Org", contact_email="c@org.example",
                          status="approved"))
    db.session.flush()
    return alert


def _csv(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "Content-Length" not in response.headers  # streamed, not built in memory
    return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))


def test_organizer_gets_contacts_of_opted_in_supporters_only(client, login, alert_with_rows):
    login("organizer")
    rows = _csv(client.get(f"/staff/alerts/{alert_with_rows.slug}/exports/supporters.csv"))
    by_email = {row["subscribed"]: row for row in rows}
    assert by_email["yes"]["email"] == "in@example.org"
    assert by_email["yes"]["phone"] == "555-0100"
    assert by_email["no"]["email"] == "" and by_email["no"]["last_name"] == ""
    assert by_email["yes"]["first_name"] == "'=cmd"  # a formula is defused
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "export.supporters")).one()
    assert event.detail == {"contact_data": True}
    assert event.user.email == "organizer@example.org"


def test_viewer_gets_no_contact_data_anywhere(client, login, alert_with_rows):
    login("viewer")
    for name in ("actions", "supporters", "deliveries", "signons"):
        response = client.get(f"/staff/alerts/{alert_with_rows.slug}/exports/{name}.csv")
        text = response.text
        _csv(response)
        assert "@example.org" not in text and "c@org.example" not in text, name
        assert "555-0100" not in text
    events = db.session.scalars(select(AuditEvent.detail).where(
        AuditEvent.action.like("export.%"))).all()
    assert len(events) == 4 and all(detail == {"contact_data": False} for detail in events)


def test_actions_deliveries_and_signons_exports(client, login, alert_with_rows):
    login("organizer")
    page = client.get(f"/staff/alerts/{alert_with_rows.slug}/exports/").text
    assert "Download CSV" in page
    actions = _csv(client.get(f"/staff/alerts/{alert_with_rows.slug}/exports/actions.csv"))
    assert [row["kind"] for row in actions] == ["call", "email"]
    assert actions[0]["referral_code"] == "'@friend"
    assert actions[0]["member"] == "Alexandria Ocasio-Cortez"
    deliveries = _csv(client.get(f"/staff/alerts/{alert_with_rows.slug}/exports/deliveries.csv"))
    assert deliveries[0]["last_error"] == "'-5 quota"
    signons = _csv(client.get(f"/staff/alerts/{alert_with_rows.slug}/exports/signons.csv"))
    assert signons[0]["name"] == "'+Org" and signons[0]["contact_email"] == "c@org.example"


def test_unknown_export_is_not_found(client, login, alert_with_rows):
    login("viewer")
    assert client.get(f"/staff/alerts/{alert_with_rows.slug}/exports/users.csv").status_code == 404


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("plain", "plain"), (None, ""), (12, "12"),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
