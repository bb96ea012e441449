"""The supporter's journey in Chromium on a 360 px phone screen, from a personal link:
greeted, pre-filled, call, report, thank-you and share — with axe-core on every page."""

import pytest
from sqlalchemy import insert

from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.operations import create_alert
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.tokens import make_personal_token
from tests.browser_checks import PAGE_BUDGET, page_weight, serious_violations

pytestmark = [pytest.mark.full_data, pytest.mark.e2e]

def test_supporter_journey_from_a_personal_link(app, full_data, committed_data, live_server,
                                                browser):
    with app.app_context():
        alert = create_alert(demo_alert_data())
        now = utcnow()
        db.session.execute(insert(Supporter), [{
            "email": "ana@example.org", "first_name": "Ana", "last_name": "Gómez",
            "zip_code": "82001", "is_subscribed": True, "is_undeliverable": False,
            "created_at": now, "updated_at": now}])
        db.session.commit()
        supporter_id = db.session.query(Supporter.id).filter_by(email="ana@example.org").scalar()
        token = make_personal_token(supporter_id)
        slug = alert.slug
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    weight = page_weight(page)

    page.goto(f"{live_server}/a/{slug}?t={token}")
    assert "Ana, can you take five minutes today" in page.content()
    assert page.input_value("#email") == "ana@example.org"
    assert page.input_value("#zip_code") == "82001"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(page) == []
    assert weight() < PAGE_BUDGET, f"{weight()} bytes"

    page.click("button[type=submit]")
    assert page.locator("a.call-button").first.get_attribute("href").startswith("tel:+1202")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(page) == []

    card = page.locator("section.target").first
    card.locator("input[value=talked]").check()
    card.locator("textarea").fill("Spoke with the scheduler")
    card.locator("button[type=submit]").click()
    assert "Thank you! We recorded your call" in page.content()

    page.goto(f"{live_server}/a/{slug}/thanks")
    assert page.locator("a.share-bluesky").count() == 1
    assert "r%3D" in page.locator("a.share-whatsapp").get_attribute("href")
    assert serious_violations(page) == []
    context.close()
