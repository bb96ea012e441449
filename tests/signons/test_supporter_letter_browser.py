"""A supporter signs a letter-only alert in Chromium on a 360 px phone screen: the count and
progress, the form, the sign step, the thank-you page — light, and with axe-core on each."""

import pytest

from campaign_app.actions.operations import record_signature
from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.operations import create_alert
from campaign_app.core.db import db
from campaign_app.supporters.operations import upsert_supporter
from tests.browser_checks import PAGE_BUDGET, page_weight, serious_violations
from tests.factories import add_submission

pytestmark = [pytest.mark.full_data, pytest.mark.e2e, pytest.mark.browser]

def test_signing_a_letter_only_alert_on_a_phone(app, full_data, committed_data, live_server,
                                                browser):
    with app.app_context():
        alert = create_alert({**demo_alert_data(), "slug": "letter-browser",
                              "channels": ["signon"], "signature_goal": 100,
                              "public_signer_list": "initials_city",
                              "letter_text": "Dear [[Target_Name]],\n\nPlease sign."})
        first = upsert_supporter(email="zoe@example.org", first_name="Zoë", last_name="Ng",
                                 zip_code="05401", state="VT", district=0,
                                 district_source="zip-unique", city="Burlington")
        record_signature(alert, add_submission(alert, first),
                         submission_key="browser-test-key-0001")
        db.session.commit()
        slug = alert.slug
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    weight = page_weight(page)

    page.goto(f"{live_server}/a/{slug}")
    assert page.locator("#letter-progress").get_attribute("value") == "1"
    assert "Zoë N., Burlington" in page.locator("#signer-list").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(page) == []
    assert weight() < PAGE_BUDGET, f"{weight()} bytes"

    page.fill("#first_name", "Ana")
    page.fill("#last_name", "Gómez")
    page.fill("#email", "ana@example.org")
    page.fill("#zip_code", "82001")
    page.click("form.action-form button[type=submit]")
    assert "Add your name to the letter" in page.content()
    assert page.locator("a.call-button").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(page) == []

    page.fill("#city-letter", "Cheyenne")
    page.click("#letter button[type=submit]")
    assert page.url.endswith(f"/a/{slug}/thanks")
    assert "Your name is on the letter" in page.content()
    assert serious_violations(page) == []

    page.goto(f"{live_server}/a/{slug}")
    assert page.locator("#letter-progress").get_attribute("value") == "2"
    assert page.locator("#signer-list li").first.inner_text() == "Ana G., Cheyenne"
    context.close()
