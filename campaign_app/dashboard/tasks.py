"""Periodic refresh of big alerts' dashboard snapshots (idempotent: it only recomputes)."""

from celery import shared_task
from flask import current_app

from ..core.db import db
from .operations import refresh_big_alerts


@shared_task(acks_late=True, ignore_result=True)
def refresh_dashboards() -> int:
    refreshed = refresh_big_alerts(current_app.config["DASHBOARD_SNAPSHOT_MIN_ACTIONS"])
    db.session.commit()
    return len(refreshed)
