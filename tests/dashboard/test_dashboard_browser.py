"""The dashboard in a real browser (Playwright driving Debian's Chromium), with data of the
reference scenario: a staff member logs in, sees the chart, the sign-on count and the whip list."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from campaign_app.actions.models import Action
from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.models import Alert
from campaign_app.alerts.operations import create_alert
from campaign_app.alerts.signons import SignOn
from campaign_app.audit.models import AuditEvent
from campaign_app.auth.models import User
from campaign_app.auth.operations import create_user
from campaign_app.congress.models import Legislator
from campaign_app.core.db import db
from campaign_app.core.ratelimit import RateLimitHit
from campaign_app.core.time import utcnow
from campaign_app.delivery.models import Delivery
from campaign_app.supporters.models import Supporter
from tests.conftest import TMP

pytestmark = [pytest.mark.browser, pytest.mark.full_data]

SLUG = "browser-dashboard-scenario"
PASSWORD = "correct horse battery"  # noqa: S105
OUTCOMES = ["talked", "voicemail", "busy", "no_answer"]


@pytest.fixture
def scenario(app, full_data):
    """The reference scenario, committed so that the server thread sees it; removed after."""
    with app.app_context():
        alert = create_alert({**demo_alert_data(), "slug": SLUG})
        staff = create_user("browser-staff@example.org", PASSWORD, "viewer")
        house = db.session.scalars(select(Legislator).where(
            Legislator.chamber == "house", Legislator.is_current.is_(True))
            .order_by(Legislator.state, Legislator.district).limit(60)).all()
        # Noon today: 50 hours back always spans three UTC days.
        now = utcnow().replace(hour=12, minute=0, second=0, microsecond=0)
        for number in range(120):
            member = house[number % len(house)]
            supporter = Supporter(email=f"browser{number}@example.org", first_name="Ana",
                                  last_name="Gómez", zip_code="10001", state=member.state,
                                  district=member.district, is_subscribed=number % 2 == 0)
            db.session.add(supporter)
            db.session.flush()
            db.session.add(Action(alert_id=alert.id, supporter_id=supporter.id,
                                  bioguide_id=member.bioguide_id, kind="call",
                                  outcome=OUTCOMES[number % 4],
                                  submission_key=f"browser-{number}-0000000000",
                                  created_at=now - timedelta(hours=number % 50)))
            db.session.add(Delivery(idempotency_key=f"browser:{number}", kind="confirmation",
                                    status="failed" if number % 10 == 0 else "delivered",
                                    last_error="550 mailbox unavailable"
                                    if number % 10 == 0 else None,
                                    alert_id=alert.id, supporter_id=supporter.id))
        for member in house[:47]:
            db.session.add(SignOn(alert_id=alert.id, kind="member",
                                  signer_key=member.bioguide_id, bioguide_id=member.bioguide_id,
                                  source="Office confirmed by phone", recorded_by_id=staff.id))
        db.session.commit()
        alert_id, user_id = alert.id, staff.id
    yield
    with app.app_context():
        supporters = select(Supporter.id).where(Supporter.email.like("browser%@example.org"))
        db.session.execute(delete(SignOn).where(SignOn.alert_id == alert_id))
        db.session.execute(delete(Delivery).where(Delivery.alert_id == alert_id))
        db.session.execute(delete(Action).where(Action.alert_id == alert_id))
        db.session.execute(delete(Supporter).where(Supporter.id.in_(supporters)))
        db.session.execute(delete(AuditEvent).where(AuditEvent.user_id == user_id))
        db.session.execute(delete(AuditEvent).where(AuditEvent.user_id.is_(None)))
        db.session.execute(delete(RateLimitHit))
        db.session.execute(delete(Alert).where(Alert.id == alert_id))
        db.session.execute(delete(User).where(User.id == user_id))
        db.session.commit()


def test_staff_sees_the_dashboard_chart_and_whip_list(scenario, live_server, browser):
    server = live_server
    if True:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        try:
            problems = []
            page.on("console", lambda message: problems.append(message.text)
                    if message.type == "error" else None)
            page.goto(f"{server}/login?next=/staff/alerts/{SLUG}")
            page.fill("#email", "browser-staff@example.org")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"**/staff/alerts/{SLUG}")

            assert page.text_content("#supporter-count") == "120"
            assert page.text_content("#member-signon-count") == "47"
            assert "signed last time" in page.text_content("#signon-summary")
            chart = page.locator("#activity-chart")
            assert chart.is_visible()
            box = chart.bounding_box()
            assert box["width"] > 600 and box["height"] > 150
            bars = chart.locator("rect.bar")
            assert bars.count() == 3
            values = [int(bars.nth(i).get_attribute("data-value")) for i in range(bars.count())]
            assert sum(values) == 120
            assert page.text_content("#calls-by-outcome").count("30") == 4
            page.screenshot(path=str(TMP / "dashboard.png"), full_page=True)

            page.click("text=hour")
            page.wait_for_url("**by=hour")
            assert page.locator("#activity-chart rect.bar").count() == 48

            page.click("text=Whip list")
            page.wait_for_selector("#whip-list")
            rows = page.locator("#whip-list tbody tr")
            assert rows.count() > 400
            assert page.locator("#whip-list tr.signed").count() == 47
            page.select_option("#signed", "no")
            page.click("text=Filter")
            page.wait_for_url("**signed=no**")
            assert page.locator("#whip-list tr.signed").count() == 0
            assert not [text for text in problems if "Content Security Policy" in text], problems
        finally:
            page.close()
