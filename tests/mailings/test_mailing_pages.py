"""Organizers prepare a mailing: segment, count, test send, start, pause, resume."""

import io

import pytest
from sqlalchemy import select

from campaign_app.core.db import db
from campaign_app.mailings.models import Mailing
from tests.factories import add_alert, add_supporters
from tests.helpers import form_for


def _segment_post(client, alert, values, action="create"):
    page = client.get(f"/staff/alerts/{alert.id}/mailings")
    assert page.status_code == 200
    form = form_for(page.text, containing="segment_type")
    data = {**form["fields"], **values, "action": action}
    return client.post(f"/staff/alerts/{alert.id}/mailings", data=data,
                       content_type="multipart/form-data")


def test_count_then_create_a_mailing_for_a_state(client, login):
    login("organizer")
    alert = add_alert()
    add_supporters(4, state="VT", prefix="vt")
    add_supporters(2, state="NY", prefix="ny")
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
def test_bad_segments_get_a_clear_message(client, login, values, message):
    login("organizer")
    alert = add_alert()
    response = _segment_post(client, alert, values)
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalars(select(Mailing)).first() is None


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"segment_type": "all", "districts": "CA-42"}, "districts",
     "Districts is only for “Supporters in these districts”, but “All subscribed supporters” "
     "is chosen"),
    ({"segment_type": "state", "states": ["VT"], "tag": "volunteers"}, "tag",
     "Tag is only for “Supporters with a tag”, but “Supporters in these states” is chosen"),
    ({"segment_type": "district", "districts": "VT-0", "states": ["NY"]}, "states",
     "States is only for “Supporters in these states”"),
    ({"segment_type": "all", "emails_file": b"a@example.org\n"},
     "emails_file", "CSV of email addresses is only for “An uploaded list of email addresses”"),
])
@pytest.mark.parametrize("action", ["count", "create"])
def test_input_for_another_segment_is_refused_not_ignored(client, login, values, field, message,
                                                          action):
    """Issue 12, item 13: "CA-42" typed in Districts while "All subscribed supporters" was
    still chosen counted, and would have mailed, everyone."""
    login("organizer")
    alert = add_alert()
    add_supporters(3, state="VT")
    if "emails_file" in values:
        values = {**values, "emails_file": (io.BytesIO(values["emails_file"]), "list.csv")}
    response = _segment_post(client, alert, values, action=action)
    assert response.status_code == 422
    assert message in response.text
    assert f'id="{field}-error"' in response.text  # said beside the field too
    assert "will get this email" not in response.text
    assert db.session.scalars(select(Mailing)).first() is None
    if field == "districts":
        assert 'value="CA-42"' in response.text  # the input is kept


def test_the_alert_of_an_acted_segment_is_chosen_not_defaulted(client, login):
    login("organizer")
    alert = add_alert()
    add_supporters(2)
    response = _segment_post(client, alert, {"segment_type": "not_acted"}, action="count")
    assert response.status_code == 422 and "Choose the alert." in response.text
    response = _segment_post(client, alert, {"segment_type": "not_acted",
                                             "acted_alert_id": str(alert.id)}, action="count")
    assert "2 supporters will get this email" in response.text


def test_csv_upload_segment(client, login):
    login("organizer")
    alert = add_alert()
    emails = add_supporters(3)
    upload = (io.BytesIO(f"email\n{emails[0]}\n{emails[2].upper()}\nnot-an-email\n".encode()),
              "list.csv")
    response = _segment_post(client, alert, {"segment_type": "emails", "emails_file": upload})
    assert response.status_code == 302
    assert db.session.scalars(select(Mailing)).one().recipient_count == 2


def test_test_send_reaches_the_organizer(client, login, smtp):
    login("organizer")
    alert = add_alert()
    add_supporters(1)
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


def test_start_pause_and_resume(client, login):
    login("organizer")
    alert = add_alert()
    add_supporters(2)
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


def test_viewers_cannot_send(client, login):
    login("viewer")
    alert = add_alert()
    assert client.get(f"/staff/alerts/{alert.id}/mailings").status_code == 403
    assert client.post(f"/staff/alerts/{alert.id}/mailings", data={}).status_code == 403
