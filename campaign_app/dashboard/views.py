"""Staff dashboard."""

from flask import Blueprint, abort, render_template, request

from ..actions.models import CALL_OUTCOMES
from ..alerts.queries import get_alert_by_slug, list_alerts
from ..auth.permissions import role_required
from ..congress.queries import latest_sync
from .chart import activity_chart
from .queries import (
    activity_over_time,
    alert_counts,
    deliveries_summary,
    referral_counts,
)

bp = Blueprint("dashboard", __name__, url_prefix="/staff")


@bp.get("/")
@role_required("viewer")
def index():
    return render_template("dashboard/index.html", alerts=list_alerts(), sync=latest_sync())


@bp.get("/alerts/<slug>")
@role_required("viewer")
def alert_dashboard(slug):
    alert = get_alert_by_slug(slug)
    if alert is None:
        abort(404)
    unit = "hour" if request.args.get("by") == "hour" else "day"
    points = activity_over_time(alert.id, unit)
    chart = activity_chart(points, title=f"Actions and supporters per {unit} (UTC)")
    deliveries, failures = deliveries_summary(alert.id)
    return render_template("dashboard/alert.html", alert=alert, counts=alert_counts(alert.id),
                           outcome_labels=CALL_OUTCOMES, unit=unit, points=points, chart=chart,
                           deliveries=deliveries,
                           failures=failures, referrals=referral_counts(alert.id))
