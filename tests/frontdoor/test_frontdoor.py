"""The front door (issue 19 item 3): the home page lists the live alerts or redirects to the
organization's site; robots.txt and security.txt."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from campaign_app.alerts.models import Alert
from campaign_app.core.db import db
from tests.factories import add_alert

ALERT_LINK = re.compile(r'<a href="/a/([^"?]+)">([^<]+)</a>')


def test_home_lists_exactly_the_live_alerts(client):
    """Item 3: live alerts with title, deadline in the alert's zone and a link; no drafts,
    no closed alerts."""
    deadline = datetime(2031, 1, 17, 22, 0, tzinfo=UTC)
    west = add_alert(title="Call about the border", time_zone="America/Los_Angeles",
                     deadline_at=deadline)
    east = add_alert(title="Thank your senator")
    draft = add_alert(title="Not yet", status="draft")
    closed = add_alert(title="Over", status="closed")

    response = client.get("/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    listed = dict(ALERT_LINK.findall(response.text))
    live = set(db.session.scalars(select(Alert.slug).where(Alert.status == "live")))
    assert set(listed) == live
    assert {west.slug, east.slug} <= set(listed)
    assert draft.slug not in listed and closed.slug not in listed
    assert listed[west.slug] == "Call about the border"
    local = deadline.astimezone(ZoneInfo("America/Los_Angeles"))  # 2:00 PM PST
    assert f"{local:%A, %B} {local.day}, 2:00 PM PST" in response.text
    for slug in listed:  # each link leads to its action page
        assert client.get(f"/a/{slug}").status_code == 200


def test_home_says_so_when_nothing_is_live(client):
    """Item 3: no live alert, a page that says so (not a 404)."""
    add_alert(status="draft")
    if db.session.scalar(select(Alert.id).where(Alert.status == "live")) is not None:
        pytest.skip("another test left a live alert committed")
    response = client.get("/")
    assert response.status_code == 200
    assert ALERT_LINK.findall(response.text) == []
    assert "nothing to act on" in response.text


def test_home_redirects_to_the_organization_site_when_set(client, app, monkeypatch):
    """Item 3: ROOT_REDIRECT_URL sends / to the organization's site."""
    add_alert()
    monkeypatch.setitem(app.config, "ROOT_REDIRECT_URL", "https://www.example.org/act")
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "https://www.example.org/act"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/",
                                 "//example.org", "www.example.org", "https://"])
def test_a_root_redirect_that_is_not_a_web_address_stops_the_start(other_app, url):
    """Item 3: the setting is validated when the app starts."""
    with pytest.raises(ValueError, match="ROOT_REDIRECT_URL"):
        other_app({"ROOT_REDIRECT_URL": url})


def test_robots_keep_staff_personal_unsubscribe_and_api_out(client):
    """Item 3: what search engines must not index; action pages stay indexable."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines[1:]}
    assert {"/staff/", "/login", "/u/", "/api/", "/*?t=", "/*&t="} <= disallowed
    assert not any(path in ("/", "/a/", "/a") for path in disallowed)


def test_security_txt_is_absent_until_a_contact_is_set(client):
    """Item 3: no contact, no security.txt."""
    assert client.get("/.well-known/security.txt").status_code == 404


def test_security_txt_from_settings(client, app, monkeypatch):
    """Item 3: RFC 9116 fields from SECURITY_CONTACT and SECURITY_EXPIRES."""
    monkeypatch.setitem(app.config, "SECURITY_CONTACT", "mailto:security@example.org")
    monkeypatch.setitem(app.config, "SECURITY_EXPIRES", "2027-06-30")
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://act.example.org/")
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.text.splitlines() == [
        "Contact: mailto:security@example.org",
        "Expires: 2027-06-30T00:00:00Z",
        "Preferred-Languages: en",
        "Canonical: https://act.example.org/.well-known/security.txt",
    ]


@pytest.mark.parametrize(("settings", "named"), [
    ({"SECURITY_CONTACT": "security@example.org", "SECURITY_EXPIRES": "2027-06-30"},
     "SECURITY_CONTACT"),
    ({"SECURITY_CONTACT": "http://example.org/security", "SECURITY_EXPIRES": "2027-06-30"},
     "SECURITY_CONTACT"),
    ({"SECURITY_CONTACT": "https://example.org/security"}, "SECURITY_EXPIRES"),
    ({"SECURITY_CONTACT": "mailto:s@example.org", "SECURITY_EXPIRES": "next year"},
     "SECURITY_EXPIRES"),
])
def test_bad_security_settings_stop_the_start(other_app, settings, named):
    """Item 3: a contact that isn't a mailto:/https: URI, or no valid Expires, is named."""
    with pytest.raises(ValueError, match=named):
        other_app(settings)
