"""Staff downloads: CSV streamed row by row, each one written in the audit log."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from ..alerts.loaders import alert_from_slug
from ..audit.downloads import audited_stream
from ..core.csvfile import stream_csv
from ..core.permissions import role_required
from ..core.time import utcnow
from .queries import EXPORTS, ROWS, export_row_count

bp = Blueprint("exports", __name__, url_prefix="/staff/alerts/<slug>/exports")


@bp.get("/")
@role_required("viewer")
@alert_from_slug
def index(alert):
    counts = {name: export_row_count(name, alert.id) for name in EXPORTS}
    return render_template("exports/index.html", alert=alert, exports=EXPORTS.values(),
                           counts=counts, with_contacts=current_user.has_role("organizer"))


@bp.get("/<name>.csv")
@role_required("viewer")
@alert_from_slug
def download(alert, name):
    if name not in EXPORTS:
        abort(404)
    # Viewers never get personal contact data, whatever they ask for.
    with_contacts = current_user.has_role("organizer")
    alert_id, alert_slug = alert.id, alert.slug
    return audited_stream(
        f"export.{name}", f"alert {alert_slug}", {"contact_data": with_contacts},
        produce=lambda: stream_csv(*ROWS[name](alert_id, with_contacts)),
        filename=f"{alert_slug}-{name}-{utcnow():%Y%m%d-%H%M}.csv", mimetype="text/csv")
