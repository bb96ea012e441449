"""Access on request (issue 19 item 5): an admin downloads everything stored about one
supporter, as JSON and as CSV, and each download is in the audit log."""

import csv
import io
import json

from sqlalchemy import select

from campaign_app.audit.models import AuditEvent
from campaign_app.core.db import db
from campaign_app.mailings.models import SupporterTag
from tests.factories import add_action, add_alert, add_delivery, add_submission, add_supporter
from tests.helpers import submit_form


def _ana(db_session):
    alert = add_alert()
    ana = add_supporter(email="ana.access@example.org", first_name="Ottilie", street="9 Elm St",
                        phone="212-555-0188", state="WY", district=0)
    add_submission(alert, ana, street="9 Elm Street")
    add_action(alert, ana, "H001096")
    add_delivery(alert, ana)
    db.session.add(SupporterTag(supporter_id=ana.id, tag="volunteer"))
    other = add_supporter(email="someone.else@example.org", first_name="Ignatius")
    add_action(alert, other, "H001096")
    db_session.commit()
    return ana


def test_an_admin_downloads_a_supporters_data_as_json_and_csv(client, db_session, login):
    ana = _ana(db_session)
    admin = login("admin")
    page = admin.get(f"/staff/supporters/{ana.id}")
    assert page.status_code == 200 and "Ottilie" in page.text

    response = admin.get(f"/staff/supporters/{ana.id}/data.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    record = json.loads(response.data)
    assert record["supporter"]["email"] == "ana.access@example.org"
    assert record["supporter"]["phone"] == "212-555-0188"
    assert record["submissions"][0]["street"] == "9 Elm Street"
    assert [a["bioguide_id"] for a in record["actions"]] == ["H001096"]
    assert len(record["deliveries"]) == 1 and record["tags"][0]["tag"] == "volunteer"
    assert "Ignatius" not in response.text  # nobody else's

    response = admin.get(f"/staff/supporters/{ana.id}/data.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["part", "row_id", "field", "value"]
    assert ["supporter", str(ana.id), "first_name", "Ottilie"] in rows
    assert any(row[0] == "submissions" and row[3] == "9 Elm Street" for row in rows)
    assert "Ignatius" not in response.text

    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "supporter.data_downloaded").order_by(AuditEvent.id)).all()
    assert [(e.target, e.detail["format"]) for e in events] == [
        (f"supporter {ana.id}", "json"), (f"supporter {ana.id}", "csv")]
    assert all("ana.access" not in e.target + json.dumps(e.detail) for e in events)


def test_no_one_but_an_admin_downloads_it(client, db_session, login):
    ana = _ana(db_session)
    assert client.get(f"/staff/supporters/{ana.id}/data.json").status_code == 302  # login
    organizer = login("organizer")
    for fmt in ("json", "csv"):
        assert organizer.get(f"/staff/supporters/{ana.id}/data.{fmt}").status_code == 403
    assert db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "supporter.data_downloaded")).all() == []


def test_an_unknown_supporter_is_a_404(client, login, db_session):
    admin = login("admin")
    assert admin.get("/staff/supporters/999999/data.json").status_code == 404
    assert admin.get("/staff/supporters/999999").status_code == 404
    for hostile in ("x" * 300 + "@example.org", "ana@example.org\r\nBcc: x@y.org",
                    "nobody@example.org"):
        response = submit_form(admin, "/staff/supporters/", {"email": hostile})
        assert response.status_code == 422, hostile
