"""The editor with CWC on: the organizer chooses topic, bills, position and link, and CWC's
limits hold on the subject and the body (issue 13, items 3 and 8)."""

import html

import pytest
from sqlalchemy import select

from campaign_app.alerts.models import Alert
from campaign_app.core.db import db
from tests.alerts.test_editor import REFERENCE, _confirm, _post_editor
from tests.factories import add_alert

CWC_CHOICES = {"topic": "International Affairs", "bills": "119 hres 123\n119 S. Res. 56",
               "position": "pro", "more_info_url": "https://example.org/letter"}


def _errors(response) -> str:
    return html.unescape(response.text)


def test_organizer_chooses_topic_bills_position_and_link(client, login, cwc_server):
    """Item 8: the editor offers the topic, the bills (type checked), Pro or Con, a link."""
    login("organizer")
    response = _post_editor(client, "/staff/alerts/new", {**REFERENCE, **CWC_CHOICES,
                                                          "topic": "Immigration"})
    assert response.status_code == 302, _errors(response)[:2000]
    alert = db.session.scalars(select(Alert)).one()
    assert alert.topic == "Immigration"
    assert alert.bills == [{"congress": 119, "type": "hres", "number": 123},
                           {"congress": 119, "type": "sres", "number": 56}]
    assert (alert.position, alert.more_info_url) == ("pro", "https://example.org/letter")
    page = client.get(f"/staff/alerts/{alert.id}/edit").text
    assert "119 hres 123\n119 sres 56" in html.unescape(page)
    assert '<option selected value="Immigration">' in page


@pytest.mark.parametrize("changes,field,message", [
    ({"topic": ""}, "topic", "Please choose the topic"),
    ({"topic": "Human Rights"}, "topic", "Not a valid choice"),
    ({"bills": "119 hb 12"}, "bills", "Line 1: “hb” is not a bill type"),
    ({"bills": "119 hr 12\nHR twelve"}, "bills", "Line 2: write each bill"),
    ({"bills": "", "position": "pro"}, "position", "A position is on bills"),
    ({"position": "maybe"}, "position", "Not a valid choice"),
    ({"more_info_url": "javascript:alert(1)"}, "more_info_url", "full web address"),
    ({"email_subject": "Sign"}, "email_subject", "at least 6 characters"),
    ({"email_subject": "x" * 501}, "email_subject", "under 500 characters"),
    ({"email_body": "x" * 10_001}, "email_body", "at most 10,000 characters"),
    ({"email_max_length": "15000"}, "email_max_length", "Between 200 and 10,000"),
])
def test_cwc_rules_hold_in_the_editor(client, login, cwc_server, changes, field, message):
    """Items 3 and 8: what CWC would refuse is refused when the alert is saved."""
    login("organizer")
    response = _post_editor(client, "/staff/alerts/new", {**REFERENCE, **CWC_CHOICES,
                                                          **changes})
    assert response.status_code == 422
    assert message in _errors(response)
    assert db.session.scalars(select(Alert)).first() is None


def test_without_cwc_the_topic_is_optional_and_limits_are_the_editors(client, login):
    """Items 3 and 8: no CWC, no topic needed; a 15,000-character limit is allowed."""
    login("organizer")
    response = _post_editor(client, "/staff/alerts/new", {
        **REFERENCE, "topic": "", "email_max_length": "15000", "email_subject": "Sign"})
    assert response.status_code == 302, _errors(response)[:2000]
    assert db.session.scalars(select(Alert)).one().email_max_length == 15_000


def test_publishing_needs_a_topic_when_cwc_is_on(client, login, cwc_server):
    """Item 8: an alert made before CWC was configured can't go live without a topic."""
    login("organizer")
    alert = add_alert(status="draft", topic="")
    response = _confirm(client, alert, "publish")
    assert response.status_code == 302
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "Not published: Choose the topic" in page
    assert db.session.get(Alert, alert.id).status == "draft"
