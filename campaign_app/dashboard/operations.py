"""Computing an alert's dashboard figures, and keeping the snapshot of a big alert."""

import logging
from dataclasses import asdict

from sqlalchemy import func, select

from ..actions.models import Action
from ..actions.queries import member_pressure
from ..alerts.models import Alert
from ..core.db import db
from ..core.time import utcnow
from .models import DashboardSnapshot
from .queries import (
    actions_by_language,
    activity_over_time,
    alert_counts,
    deliveries_summary,
    referral_counts,
    source_counts,
)

log = logging.getLogger(__name__)


def compute_figures(alert_id: int, units=("day", "hour"), with_pressure: bool = False) -> dict:
    """Every figure of the dashboard, from aggregate SQL, as plain JSON-ready data."""
    deliveries, failures = deliveries_summary(alert_id)
    figures = {"counts": asdict(alert_counts(alert_id)), "deliveries": deliveries,
               "failures": failures, "referrals": referral_counts(alert_id),
               "sources": source_counts(alert_id),
               "languages": actions_by_language(alert_id)}
    if with_pressure:
        figures["pressure"] = member_pressure(alert_id)
    for unit in units:
        figures[unit] = activity_over_time(alert_id, unit)
    return figures


def refresh_snapshot(alert_id: int) -> DashboardSnapshot:
    """Recompute and store the alert's snapshot. Flushes."""
    started = utcnow()
    figures = compute_figures(alert_id, with_pressure=True)
    snapshot = db.session.get(DashboardSnapshot, alert_id)
    if snapshot is None:
        snapshot = DashboardSnapshot(alert_id=alert_id, data=figures, computed_at=started)
        db.session.add(snapshot)
    else:
        snapshot.data, snapshot.computed_at = figures, started
    db.session.flush()
    log.info("dashboard snapshot of alert %s refreshed in %.2f s", alert_id,
             (utcnow() - started).total_seconds())
    return snapshot


def refresh_big_alerts(min_actions: int) -> list[int]:
    """Refresh the snapshots of live alerts with at least `min_actions` actions."""
    big = db.session.scalars(
        select(Action.alert_id).join(Alert, Alert.id == Action.alert_id)
        .where(Alert.status == "live").group_by(Action.alert_id)
        .having(func.count() >= min_actions))
    refreshed = []
    for alert_id in list(big):
        refresh_snapshot(alert_id)
        refreshed.append(alert_id)
    return refreshed
