"""Length limits of the alert's long texts (issue 12, item 17): a 100,000-character appeal
was saved; each text now has a limit that fits its use, with a clear message."""

import html

import pytest
from sqlalchemy import select

from campaign_app.alerts.models import Alert
from campaign_app.alerts.operations import AlertError, create_alert
from campaign_app.alerts.texts import ORGANIZER_TEXTS
from campaign_app.core.db import db
from tests.alerts.test_editor import REFERENCE, _post_editor


def test_a_100000_character_appeal_is_refused_with_a_clear_message(client, login):
    """Item 17: the editor saved a 100,000-character appeal."""
    login("organizer")
    appeal = "Please call. " * 7_693 + "x"
    assert len(appeal) == 100_010
    response = _post_editor(client, "/staff/alerts/new", {**REFERENCE, "appeal": appeal})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "Please keep the appeal to 5,000 characters at most (it has 100,010)." in page
    assert db.session.scalars(select(Alert)).first() is None


@pytest.mark.parametrize("attribute,limit", [
    ("appeal", 5_000), ("call_script", 2_000), ("thank_script", 2_000),
    ("thank_you_text", 3_000), ("letter_text", 10_000), ("alert_email_body", 10_000),
])
def test_each_long_text_has_a_limit_that_fits_its_use(client, login, attribute, limit):
    login("organizer")
    assert ORGANIZER_TEXTS[attribute].max_length == limit
    label = ORGANIZER_TEXTS[attribute].label.lower()
    refused = _post_editor(client, "/staff/alerts/new", {**REFERENCE, attribute: "y" * (limit + 1)})
    assert refused.status_code == 422
    assert (f"Please keep the {label} to {limit:,} characters at most (it has {limit + 1:,})."
            in html.unescape(refused.text))
    saved = _post_editor(client, "/staff/alerts/new", {**REFERENCE, attribute: "y" * limit})
    assert saved.status_code == 302


def test_the_limit_holds_outside_the_form_too(db_session):
    """One home for the rule: an operation refuses what the form would."""
    from campaign_app.alerts.demo import demo_alert_data

    with pytest.raises(AlertError) as refused:
        create_alert({**demo_alert_data(), "appeal": "z" * 5_001})
    assert refused.value.errors == {
        "appeal": "Please keep the appeal to 5,000 characters at most (it has 5,001)."}
