"""The supporter's journey in Chromium on a 360 px phone screen, from a personal link:
greeted, pre-filled, call, report, thank-you and share — with axe-core on every page."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import insert

from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.operations import create_alert
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.tokens import make_personal_token

pytestmark = [pytest.mark.full_data, pytest.mark.e2e]

PAGE_BUDGET = 60 * 1024  # HTML + CSS of the action page


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


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
    sizes = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body()))
            if r.request.resource_type in ("document", "stylesheet") else None)

    page.goto(f"{live_server}/a/{slug}?t={token}")
    assert "Ana, can you take five minutes today" in page.content()
    assert page.input_value("#email") == "ana@example.org"
    assert page.input_value("#zip_code") == "82001"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert _serious(page) == []
    weight = sum(size for url, size in sizes.items() if "/a/" in url or url.endswith(".css"))
    assert weight < PAGE_BUDGET, f"{weight} bytes"

    page.click("button[type=submit]")
    assert page.locator("a.call-button").first.get_attribute("href").startswith("tel:+1202")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert _serious(page) == []

    card = page.locator("section.target").first
    card.locator("input[value=talked]").check()
    card.locator("textarea").fill("Spoke with the scheduler")
    card.locator("button[type=submit]").click()
    assert "Thank you! We recorded your call" in page.content()

    page.goto(f"{live_server}/a/{slug}/thanks")
    assert page.locator("a.share-bluesky").count() == 1
    assert "r%3D" in page.locator("a.share-whatsapp").get_attribute("href")
    assert _serious(page) == []
    context.close()
