"""Staff dashboard."""

from flask import Blueprint, current_app, render_template, request

from ..actions.models import CALL_OUTCOMES
from ..actions.queries import signature_count
from ..alerts.loaders import alert_from_slug
from ..alerts.queries import list_alerts, signon_summary
from ..congress.freshness import staleness_warnings
from ..congress.models import district_label
from ..congress.queries import latest_sync
from ..core.permissions import role_required
from .chart import activity_chart
from .operations import compute_figures
from .queries import cwc_refusals, fresh_snapshot

bp = Blueprint("dashboard", __name__, url_prefix="/staff")


# The list of alerts is the staff home; /staff/alerts/, the parent of every alert's address,
# is where people look for it too. url_for builds the first: /staff/.
@bp.get("/alerts/")
@bp.get("/")
@role_required("viewer")
def index():
    return render_template("dashboard/index.html", alerts=list_alerts(), sync=latest_sync(),
                           data_warnings=_data_warnings())

#: The dashboard names each place as everything else does.
bp.add_app_template_global(district_label)


@bp.get("/alerts/<slug>")
@role_required("viewer")
@alert_from_slug
def alert_dashboard(alert):
    unit = "hour" if request.args.get("by") == "hour" else "day"
    # A big alert's figures come from the snapshot the beat keeps; others are counted now.
    snapshot = fresh_snapshot(alert.id, current_app.config["DASHBOARD_SNAPSHOT_MAX_AGE"])
    figures = snapshot.data if snapshot is not None else compute_figures(alert.id, (unit,))
    points = figures[unit]
    chart = activity_chart(points, title=f"Actions and supporters per {unit} (UTC)")
    refusal_counts, refusals = cwc_refusals(alert.id)
    return render_template("dashboard/alert.html", alert=alert, counts=figures["counts"],
                           outcome_labels=CALL_OUTCOMES, unit=unit, points=points, chart=chart,
                           deliveries=figures["deliveries"], failures=figures["failures"],
                           referrals=figures["referrals"],
                           # A snapshot older than source codes or languages lacks them.
                           sources=figures.get("sources", []),
                           languages=figures.get("languages", []),
                           refusal_counts=refusal_counts, refusals=refusals,
                           # Live like the sign-on count: one index-only count.
                           signatures=signature_count(alert.id)
                           if "signon" in alert.channels else None,
                           summary=signon_summary(alert),
                           as_of=snapshot.computed_at if snapshot is not None else None,
                           data_warnings=_data_warnings())


def _data_warnings() -> list[str]:
    return staleness_warnings(current_app.config["CONGRESS_DATA_MAX_AGE_DAYS"])
