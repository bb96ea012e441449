"""Big alerts' dashboards read a snapshot the beat refreshes; stale ones are counted again."""

import re
from datetime import timedelta

import pytest

from campaign_app.core.db import db
from campaign_app.dashboard.models import DashboardSnapshot
from campaign_app.dashboard.operations import refresh_big_alerts
from campaign_app.dashboard.tasks import refresh_dashboards
from tests.factories import add_action, add_alert, add_supporter

pytestmark = pytest.mark.full_data


def _supporters(page):
    return int(re.search(r'id="supporter-count">(\d+)<', page).group(1))


def test_snapshot_is_shown_while_fresh_then_counted_again(app, client, login, full_data):
    alert = add_alert()
    small = add_alert()
    draft = add_alert(status="draft")
    for target in (alert, alert, draft):
        add_action(target, add_supporter(), "O000172")
    assert refresh_big_alerts(min_actions=2) == [alert.id]  # live, and big enough
    add_action(alert, add_supporter(), "O000172")  # after the snapshot
    login("viewer")
    page = client.get(f"/staff/alerts/{alert.slug}").text
    assert _supporters(page) == 2 and 'id="figures-as-of"' in page
    assert '<svg class="chart"' in client.get(f"/staff/alerts/{alert.slug}?by=hour").text

    snapshot = db.session.get(DashboardSnapshot, alert.id)
    snapshot.computed_at -= timedelta(seconds=app.config["DASHBOARD_SNAPSHOT_MAX_AGE"] + 1)
    db.session.flush()
    page = client.get(f"/staff/alerts/{alert.slug}").text
    assert _supporters(page) == 3 and "figures-as-of" not in page
    assert "figures-as-of" not in client.get(f"/staff/alerts/{small.slug}").text


def test_refresh_task_counts_the_big_alerts(app, full_data, db_session):
    alert = add_alert()
    add_action(alert, add_supporter(), "O000172")
    app.config["DASHBOARD_SNAPSHOT_MIN_ACTIONS"], saved = 1, app.config[
        "DASHBOARD_SNAPSHOT_MIN_ACTIONS"]
    try:
        assert refresh_dashboards.run() == 1
    finally:
        app.config["DASHBOARD_SNAPSHOT_MIN_ACTIONS"] = saved
    assert db.session.get(DashboardSnapshot, alert.id).data["counts"]["supporter_count"] == 1


def test_whip_list_reads_pressure_from_the_snapshot(client, login, full_data):
    alert = add_alert(target_rule="house")
    add_action(alert, add_supporter(), "O000172", kind="call")
    add_action(alert, add_supporter(), "O000172", kind="email")
    refresh_big_alerts(min_actions=1)
    add_action(alert, add_supporter(), "O000172", kind="call")  # after the snapshot
    login("viewer")
    page = client.get(f"/staff/alerts/{alert.slug}/signons/whip").text
    assert 'id="figures-as-of"' in page
    top = re.search(r'id="whip-O000172".*?</tr>', page, re.S).group(0)
    assert '<td class="constituents">2</td>' in top and '<td class="calls">1</td>' in top
    assert re.findall(r'<tr id="whip-(\w+)"', page)[0] == "O000172"


def test_a_big_alerts_actions_per_language_come_from_the_snapshot(client, login, full_data):
    alert = add_alert()
    for language in ("es", "es", "en"):
        add_action(alert, add_supporter(), "O000172").language = language
    refresh_big_alerts(min_actions=1)
    add_action(alert, add_supporter(), "O000172").language = "es"  # after the snapshot
    db.session.flush()
    login("viewer")
    page = client.get(f"/staff/alerts/{alert.slug}").text
    table = re.search(r'<table id="actions-by-language">.*?</table>', page, re.S).group(0)
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table)
    assert 'id="figures-as-of"' in page and rows == [("Español", "2"), ("English", "1")]
