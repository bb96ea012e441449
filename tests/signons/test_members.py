"""Staff record members' signatures, import them from a file with a preview, and the count shows."""

import io
import re

import pytest
from sqlalchemy import func, select

from campaign_app.alerts.signons import SignOn
from campaign_app.audit.models import AuditEvent
from campaign_app.core.db import db
from tests.factories import add_alert
from tests.helpers import form_for

pytestmark = pytest.mark.full_data


def _signons(alert):
    return db.session.scalar(select(func.count()).select_from(SignOn).where(
        SignOn.alert_id == alert.id, SignOn.withdrawn_at.is_(None)))


def _record(client, alert, query, bioguide_id, **values):
    page = client.get(f"/staff/alerts/{alert.slug}/signons/?q={query}")
    form = next(f for f in _forms(page.text, "/members")
                if f["fields"].get("bioguide_id") == bioguide_id)
    return client.post(form["action"], data={**form["fields"], **values})


def _forms(html, suffix):
    from tests.helpers import forms_on
    return [f for f in forms_on(html) if (f["action"] or "").endswith(suffix)]


def test_organizer_records_and_withdraws_a_member(client, login, full_data):
    alert = add_alert()
    login("organizer")
    page = client.get(f"/staff/alerts/{alert.slug}/signons/?q=Aderholt")
    assert "Robert B. Aderholt" in page.text
    response = _record(client, alert, "Aderholt", "A000055",
                       source="Office confirmed by phone", note="Spoke to the LD")
    assert response.status_code == 302
    assert _signons(alert) == 1
    page = client.get(f"/staff/alerts/{alert.slug}/signons/")
    assert re.search(r'id="member-signon-count">1<', page.text)
    assert "Office confirmed by phone" in page.text and "organizer@example.org" in page.text
    # Recording the same member again is refused with a message, not a 500.
    again = client.post(f"/staff/alerts/{alert.slug}/signons/members",
                        data={**form_for(client.get(
                            f"/staff/alerts/{alert.slug}/signons/?q=Pelosi").text,
                            containing="bioguide_id")["fields"], "bioguide_id": "A000055"})
    assert again.status_code == 302
    assert "already signed" in client.get(again.headers["Location"]).text
    assert _signons(alert) == 1
    withdraw = _forms(page.text, "/withdraw")[0]
    client.post(withdraw["action"], data=withdraw["fields"])
    assert _signons(alert) == 0
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"signon.recorded", "signon.withdrawn"} <= actions


def test_member_search_by_state_name_and_id(client, login, full_data):
    alert = add_alert()
    login("viewer")
    by_state = client.get(f"/staff/alerts/{alert.slug}/signons/?q=ny").text
    assert "Ocasio-Cortez" in by_state and "Pettersen" not in by_state  # 'ny' in Brittany
    assert "Schumer" in by_state
    assert "Aderholt" in client.get(f"/staff/alerts/{alert.slug}/signons/?q=a000055").text
    odd = client.get(f"/staff/alerts/{alert.slug}/signons/?q=%25_%27%22%3C").text
    assert "No current member matches" in odd


def test_viewer_sees_signatures_but_cannot_record(client, login, full_data):
    alert = add_alert()
    login("viewer")
    page = client.get(f"/staff/alerts/{alert.slug}/signons/?q=Aderholt")
    assert page.status_code == 200 and "Record signature" not in page.text
    response = client.post(f"/staff/alerts/{alert.slug}/signons/members",
                           data={"bioguide_id": "A000055"})
    assert response.status_code == 403


def _upload(client, alert, content: bytes, filename="signers.csv"):
    page = client.get(f"/staff/alerts/{alert.slug}/signons/import")
    fields = form_for(page.text, containing="source")["fields"]
    return client.post(f"/staff/alerts/{alert.slug}/signons/import",
                       data={**fields, "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def test_import_preview_shows_ambiguous_unknown_and_saves_nothing(client, login, full_data):
    alert = add_alert()
    login("organizer")
    content = (b"name\nA000055\nNancy Pelosi\nRogers\nZ999999\nNobody Atall\n"
               b"Rep. Robert B. Aderholt (R-AL)\n=HYPERLINK(\"http://evil\")\n")
    response = _upload(client, alert, content)
    assert response.status_code == 200
    page = response.text
    counts = re.search(r'id="import-counts">(.*?)<strong>', page, re.S).group(1)
    assert "2 matched" in counts and "1 ambiguous" in counts and "3 unknown" in counts
    assert "1 repeated" in counts
    assert "Harold Rogers" in page and "Mike Rogers" in page
    assert "no current member has this bioguide id" in page
    assert _signons(alert) == 0  # nothing saved by the preview

    form = form_for(page, action=f"/staff/alerts/{alert.slug}/signons/import/confirm")
    ticked = ["A000055", "P000197", "R000575"]  # the matches, and one of the two Rogers
    response = client.post(form["action"], data={**form["fields"], "bioguide_id": ticked})
    assert response.status_code == 302
    assert _signons(alert) == 3
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "signon.imported")).one()
    assert event.detail["count"] == 3


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"\n\n  \n", "empty"),
    (b",,\n,\n", "no names"),
    (b"PK\x03\x04\x00\x00binary", "spreadsheet"),
    (b"\xff\xfe\x00A\x00", "spreadsheet"),
    ("\n".join(["A000055"] * 700).encode(), "at most 600"),
])
def test_import_of_a_bad_file_says_why(client, login, full_data, content, message):
    alert = add_alert()
    login("organizer")
    response = _upload(client, alert, content)
    assert response.status_code == 422
    assert message in response.text
    assert _signons(alert) == 0


def test_import_confirm_refuses_forged_ids(client, login, full_data):
    alert = add_alert()
    login("organizer")
    page = _upload(client, alert, b"A000055\n").text
    form = form_for(page, action=f"/staff/alerts/{alert.slug}/signons/import/confirm")
    client.post(form["action"], data={**form["fields"], "bioguide_id": ["'; DROP TABLE x"]})
    assert _signons(alert) == 0
    client.post(form["action"], data={**form["fields"], "bioguide_id": ["Q123456"]})
    assert _signons(alert) == 0


def test_count_shows_on_public_page_only_when_enabled(client, login, full_data):
    alert = add_alert()
    login("organizer")
    _record(client, alert, "Aderholt", "A000055", source="Letter text")
    assert "signon-count" not in client.get(f"/a/{alert.slug}").text
    page = client.get(f"/staff/alerts/{alert.slug}/signons/")
    toggle = _forms(page.text, "/public-count")[0]
    client.post(toggle["action"], data=toggle["fields"])
    assert alert.is_signon_count_public
    public = client.get(f"/a/{alert.slug}").text
    assert "1 member of Congress has signed; last year 82." in public
    dashboard = client.get(f"/staff/alerts/{alert.slug}").text
    assert re.search(r'id="member-signon-count">1<', dashboard)
