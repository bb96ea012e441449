"""Staff dashboard."""

from flask import Blueprint, abort, render_template

from ..actions.models import CALL_OUTCOMES
from ..alerts.queries import get_alert_by_slug, list_alerts
from ..auth.permissions import role_required
from ..congress.queries import latest_sync
from .queries import alert_counts

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
    return render_template("dashboard/alert.html", alert=alert, counts=alert_counts(alert.id),
                           outcome_labels=CALL_OUTCOMES)
