"""The per-alert dashboard: figures from aggregate SQL, and a chart drawn without script."""

import re
from datetime import timedelta

import pytest

from campaign_app.core.time import utcnow
from tests.factories import add_action, add_alert, add_delivery, add_supporter

pytestmark = pytest.mark.full_data

ADERHOLT, OCASIO_CORTEZ = "A000055", "O000172"


@pytest.fixture
def busy_alert(full_data, db_session):
    alert = add_alert()
    now = utcnow().replace(hour=12, minute=10)  # three hours back stays on the same day
    ny = [add_supporter(state="NY", district=14) for _ in range(3)]
    al = add_supporter(state="AL", district=4)
    add_action(alert, ny[0], OCASIO_CORTEZ, outcome="talked", created_at=now - timedelta(days=2),
               referral_code="fb")
    add_action(alert, ny[1], OCASIO_CORTEZ, outcome="voicemail",
               created_at=now - timedelta(hours=3))
    add_action(alert, ny[2], OCASIO_CORTEZ, kind="email", created_at=now, referral_code="fb")
    add_action(alert, al, ADERHOLT, outcome="busy", created_at=now)
    add_delivery(alert, ny[0], status="delivered")
    add_delivery(alert, ny[1], status="failed", last_error="550 mailbox unavailable")
    add_delivery(alert, al, status="failed", last_error="550 mailbox unavailable")
    return alert


def test_dashboard_shows_time_series_outcomes_deliveries_and_places(client, login, busy_alert):
    login("viewer")
    page = client.get(f"/staff/alerts/{busy_alert.slug}").text
    assert re.search(r'id="supporter-count">4<', page)
    assert '<svg class="chart" id="activity-chart"' in page
    assert "<script" not in page
    bars = re.findall(r'<rect class="bar"[^>]*data-value="(\d+)"', page)
    assert [int(value) for value in bars] == [1, 0, 3]  # three days, the middle one empty
    assert "550 mailbox unavailable</td><td>2<" in page
    assert "NY-14</th><td>3</td><td>3<" in page and "AL-4</th><td>1</td><td>1<" in page
    assert "fb</td><td>2<" in page

    hourly = client.get(f"/staff/alerts/{busy_alert.slug}?by=hour").text
    hours = [int(value) for value in re.findall(r'<rect class="bar"[^>]*data-value="(\d+)"',
                                                hourly)]
    # The last two days of hours: the call of two days ago (49 hours back) is left out.
    assert sum(hours) == 3 and len(hours) == 48


def test_dashboard_of_an_alert_without_actions(client, login):
    alert = add_alert()
    login("viewer")
    page = client.get(f"/staff/alerts/{alert.slug}?by=nonsense")
    assert page.status_code == 200 and "No actions yet." in page.text


def test_a_series_of_one_point_is_drawn_as_a_dot(client, login, full_data):
    """Issue 12 item 16: one day of actions made a line of one point, which draws nothing;
    every supporter count is now a dot as well."""
    alert = add_alert()
    add_action(alert, add_supporter(state="NY", district=14), OCASIO_CORTEZ, outcome="talked")
    login("viewer")
    page = client.get(f"/staff/alerts/{alert.slug}").text
    assert len(re.findall(r'<rect class="bar"', page)) == 1
    dots = re.findall(r'<circle class="point"[^>]* r="([\d.]+)"[^>]*data-value="(\d+)"', page)
    assert len(dots) == 1
    radius, supporters = dots[0]
    assert float(radius) > 0 and supporters == "1"
