"""Organizers prepare a mailing: segment, count, test send, start, pause, resume."""

import io

import pytest
from sqlalchemy import select

from campaign_app.core.db import db
from campaign_app.mailings.models import Mailing
from tests.helpers import form_for


def _segment_post(client, alert, values, action="create"):
    page = client.get(f"/staff/alerts/{alert.id}/mailings")
    assert page.status_code == 200
    form = form_for(page.text, containing="segment_type")
    data = {**form["fields"], **values, "action": action}
    return client.post(f"/staff/alerts/{alert.id}/mailings", data=data,
                       content_type="multipart/form-data")


def test_count_then_create_a_mailing_for_a_state(client, login, make_alert, make_supporters):
    login("organizer")
    alert = make_alert()
    make_supporters(4, state="VT", prefix="vt")
    make_supporters(2, state="NY", prefix="ny")
    counted = _segment_post(client, alert, {"segment_type": "state", "states": ["VT"]},
                            action="count")
    assert "4 supporters will get this email" in counted.text
    assert db.session.scalars(select(Mailing)).first() is None
    response = _segment_post(client, alert, {"segment_type": "state", "states": ["VT"]})
    mailing = db.session.scalars(select(Mailing)).one()
    assert response.headers["Location"].endswith(f"/staff/mailings/{mailing.id}")
    assert mailing.recipient_count == 4 and mailing.status == "draft"
    page = client.get(f"/staff/mailings/{mailing.id}")
    assert 'id="pending-count">4<' in page.text


@pytest.mark.parametrize("values,message", [
    ({"segment_type": "state"}, "Choose at least one state."),
    ({"segment_type": "district", "districts": "NY-12, Manhattan"}, "not “MANHATTAN”"),
    ({"segment_type": "tag", "tag": ""}, "Give the tag."),
    ({"segment_type": "everyone"}, "Not a valid choice"),
    ({"segment_type": "emails"}, "Choose a CSV file"),
])
def test_bad_segments_get_a_clear_message(client, login, make_alert, values, message):
    login("organizer")
    alert = make_alert()
    response = _segment_post(client, alert, values)
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalars(select(Mailing)).first() is None


def test_csv_upload_segment(client, login, make_alert, make_supporters):
    login("organizer")
    alert = make_alert()
    emails = make_supporters(3)
    upload = (io.BytesIO(f"email\n{emails[0]}\n{emails[2].upper()}\nnot-an-email\n".encode()),
              "list.csv")
    response = _segment_post(client, alert, {"segment_type": "emails", "emails_file": upload})
    assert response.status_code == 302
    assert db.session.scalars(select(Mailing)).one().recipient_count == 2


def test_test_send_reaches_the_organizer(client, login, make_alert, make_supporters, smtp):
    login("organizer")
    alert = make_alert()
    make_supporters(1)
    _segment_post(client, alert, {"segment_type": "all"})
    mailing = db.session.scalars(select(Mailing)).one()
    page = client.get(f"/staff/mailings/{mailing.id}")
    form = form_for(page.text, action=f"/staff/mailings/{mailing.id}/test")
    client.post(form["action"], data=form["fields"])
    [(recipients, message)] = smtp.wait_for(1)
    assert recipients == ["organizer@example.org"]
    assert message["Subject"].startswith("[TEST] ")
    assert "Unsubscribe" in message.get_body(("html",)).get_content()
    db.session.refresh(mailing)
    assert mailing.status == "draft"  # a test sends nothing to supporters


def test_start_pause_and_resume(client, login, make_alert, make_supporters):
    login("organizer")
    alert = make_alert()
    make_supporters(2)
    _segment_post(client, alert, {"segment_type": "all"})
    mailing = db.session.scalars(select(Mailing)).one()

    def press(command):
        page = client.get(f"/staff/mailings/{mailing.id}")
        form = form_for(page.text, action=f"/staff/mailings/{mailing.id}/{command}")
        client.post(form["action"], data=form["fields"])
        db.session.refresh(mailing)
        return mailing.status

    assert press("start") == "sending"
    assert press("pause") == "paused"
    assert press("resume") == "sending"


def test_viewers_cannot_send(client, login, make_alert):
    login("viewer")
    alert = make_alert()
    assert client.get(f"/staff/alerts/{alert.id}/mailings").status_code == 403
    assert client.post(f"/staff/alerts/{alert.id}/mailings", data={}).status_code == 403
