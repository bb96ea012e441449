"""The celery beat schedule. Every periodic task is idempotent: two beats never send twice.

Tasks are named by their objects, not by strings, so that renaming a task renames its entry
here (tests/core/test_queues.py checks that every entry is a registered task)."""

from campaign_app.dashboard.tasks import refresh_dashboards
from campaign_app.delivery.tasks import sweep_outbox
from campaign_app.mailings.tasks import mailing_housekeeping
from campaign_app.privacy.tasks import purge_retained_data
from campaign_app.webhooks.tasks import sweep_webhooks

BEAT_SCHEDULE = {
    # Every 10 s, with OUTBOX_STALE_SECONDS at 15: what a broker outage left pending goes
    # out within 30 s of the broker's return (a sweep that finds nothing is one indexed read).
    "sweep-outbox": {
        "task": sweep_outbox.name,
        "schedule": 10.0,
    },
    "mailing-housekeeping": {
        "task": mailing_housekeeping.name,
        "schedule": 60.0,
    },
    "sweep-webhooks": {
        "task": sweep_webhooks.name,
        "schedule": 30.0,
    },
    "refresh-dashboards": {
        "task": refresh_dashboards.name,
        "schedule": 60.0,
    },
    # Call notes, "as submitted" copies and delivery payloads of alerts closed long ago.
    "purge-retained-data": {
        "task": purge_retained_data.name,
        "schedule": 3600.0,
    },
    # Readiness reports how long ago this ran, so a stopped beat is visible (/readyz).
    "beat-heartbeat": {
        "task": "campaign_app.health.tasks.beat_heartbeat",
        "schedule": 60.0,
    },
}
