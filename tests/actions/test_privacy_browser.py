"""Two browsers, one email (issue 12 item 1): Ana acts in her Chromium; Eve, in another
Chromium, types Ana's email. Eve sees none of Ana's stored data, Ana's stored name stays, and
what Eve typed is kept with her action."""

import pytest
from sqlalchemy import select

from campaign_app.actions.models import Action
from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.operations import create_alert
from campaign_app.core.db import db
from campaign_app.supporters.models import Supporter
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.full_data, pytest.mark.e2e]


def _fill_action_form(page, url, first_name, last_name):
    page.goto(url)
    page.fill("#first_name", first_name)
    page.fill("#last_name", last_name)
    page.fill("#email", "ana@example.org")
    page.fill("#zip_code", "90802")
    page.locator("form.action-form button[type=submit]").click()
    page.wait_for_url("**/call")


def _report_first_call(page, outcome, note=""):
    card = page.locator("section.target").first
    card.locator(f"input[value={outcome}]").check()
    if note:
        card.locator("textarea").fill(note)
    card.locator("button[type=submit]").click()
    page.wait_for_selector("text=We recorded your call")


def test_a_second_browser_with_the_same_email_sees_nothing_of_the_first(
        app, full_data, committed_data, live_server, browser):
    with app.app_context():
        slug = create_alert(demo_alert_data()).slug
        db.session.commit()
    url = f"{live_server}/a/{slug}"
    other_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        ana = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
        _fill_action_form(ana, url, "Ana", "Gómez")
        _report_first_call(ana, "talked", "Spoke with the scheduler")
        ana.fill("#street", "100 Ocean Blvd")
        ana.fill("#city", "Long Beach")
        ana.locator("section.email button[type=submit]").click()
        ana.wait_for_selector("text=Thank you!")
        assert ana.locator("p.reported").count() >= 2  # her own page shows what she did

        eve = other_browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        _fill_action_form(eve, url, "Eve", "Spy")
        assert "Thank you, Eve!" in eve.content()
        assert eve.input_value("#street") == "" and eve.input_value("#city") == ""
        assert eve.locator("p.reported").count() == 0
        assert "Spoke with the scheduler" not in eve.content()
        eve.goto(url)
        assert "Eve, can you take five minutes today" in eve.content()
        assert "Ana" not in eve.locator("article").inner_text()
        eve.goto(f"{url}/call")
        _report_first_call(eve, "voicemail")
        assert eve.locator("p.reported").count() == 1
    finally:
        other_browser.close()

    with app.app_context():
        stored = db.session.scalars(select(Supporter).where(
            Supporter.email == "ana@example.org")).one()
        assert (stored.first_name, stored.last_name, stored.street, stored.city) == (
            "Ana", "Gómez", "100 Ocean Blvd", "Long Beach")
        eves = db.session.scalars(select(Action).where(Action.outcome == "voicemail")).one()
        assert eves.supporter_id == stored.id
        assert (eves.submission.first_name, eves.submission.last_name) == ("Eve", "Spy")
        assert not eves.submission.is_proven
        assert "first_name" in eves.submission.differing_fields
