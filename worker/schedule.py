"""The celery beat schedule. Every periodic task is idempotent: two beats never send twice."""

BEAT_SCHEDULE = {
    "sweep-outbox": {
        "task": "campaign_app.delivery.tasks.sweep_outbox",
        "schedule": 60.0,
    },
    "mailing-housekeeping": {
        "task": "campaign_app.mailings.tasks.mailing_housekeeping",
        "schedule": 60.0,
    },
    "refresh-dashboards": {
        "task": "campaign_app.dashboard.tasks.refresh_dashboards",
        "schedule": 60.0,
    },
    # Readiness reports how long ago this ran, so a stopped beat is visible (/readyz).
    "beat-heartbeat": {
        "task": "campaign_app.health.tasks.beat_heartbeat",
        "schedule": 60.0,
    },
}
