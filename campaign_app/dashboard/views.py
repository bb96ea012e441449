"""Staff dashboard."""

from flask import Blueprint, abort, current_app, render_template

from ..actions.models import CALL_OUTCOMES
from ..alerts.queries import get_alert_by_slug, list_alerts
from ..auth.permissions import role_required
from ..congress.freshness import staleness_warnings
from ..congress.queries import latest_sync
from .queries import alert_counts

bp = Blueprint("dashboard", __name__, url_prefix="/staff")


@bp.get("/")
@role_required("viewer")
def index():
    return render_template("dashboard/index.html", alerts=list_alerts(), sync=latest_sync(),
                           data_warnings=_data_warnings())


@bp.get("/alerts/<slug>")
@role_required("viewer")
def alert_dashboard(slug):
    alert = get_alert_by_slug(slug)
    if alert is None:
        abort(404)
    return render_template("dashboard/alert.html", alert=alert, counts=alert_counts(alert.id),
                           outcome_labels=CALL_OUTCOMES, data_warnings=_data_warnings())


def _data_warnings() -> list[str]:
    return staleness_warnings(current_app.config["CONGRESS_DATA_MAX_AGE_DAYS"])
