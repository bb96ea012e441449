"""The supporters' letter, ready to deliver: the staff page, and its PDF and CSV downloads
(all offices, or one), each audited."""

from flask import Response, abort, current_app, flash, render_template

from ..actions.queries import signature_count
from ..alerts.loaders import alert_from_slug
from ..alerts.models import Alert
from ..audit.downloads import audited_file, audited_stream
from ..congress.models import BIOGUIDE_ID
from ..core.csvfile import stream_csv
from ..core.db import db
from ..core.permissions import role_required
from ..core.time import utcnow
from ..i18n.staff import staff_gettext
from .blueprint import back, bp
from .letter import find_office, letter_offices, office_rows, signer_rows


def _office_or_404(alert: Alert, bioguide_id: str):
    office = find_office(alert, bioguide_id) if BIOGUIDE_ID.match(bioguide_id) else None
    return office or abort(404)


@bp.get("/letter")
@role_required("viewer")
@alert_from_slug
def letter(alert):
    """The supporters' letter, ready to deliver: per office, its constituents who signed."""
    offices = letter_offices(alert)
    return render_template("signons/letter.html", alert=alert, offices=offices,
                           signatures=signature_count(alert.id),
                           deadline_passed=alert.deadline_at is not None
                           and alert.deadline_at <= utcnow())


def _letter_pdf(alert: Alert, offices, filename: str, office: str) -> Response:
    # Imported here: fpdf2 and its fonts and images take ~18 MB, in the one process that
    # makes a PDF, not in every web worker and Celery process (issue 20).
    from .letter_pdf import letter_pdf

    signers = offices[0].signer_count if office != "all" else signature_count(alert.id)
    config = current_app.config
    return audited_file(
        "export.letter_pdf", f"alert {alert.slug}",
        {"office": office, "offices": len(offices), "signers": signers},
        build=lambda: letter_pdf(alert, offices, org_name=config["ORG_NAME"],
                                font_setting=config["LETTER_FONT"], dated=utcnow()),
        filename=filename, mimetype="application/pdf")


@bp.get("/letter.pdf")
@role_required("viewer")
@alert_from_slug
def letter_pdf_all(alert):
    """Every office's letter in one file, each starting on a new page."""
    offices = letter_offices(alert)
    if not offices:
        flash(staff_gettext("Nobody has signed yet: there is no letter to deliver."))
        return back(alert, ".letter")
    return _letter_pdf(alert, offices, f"{alert.slug}-letter-{utcnow():%Y%m%d}.pdf", "all")


@bp.get("/letter/<bioguide_id>.pdf")
@role_required("viewer")
@alert_from_slug
def letter_pdf_office(alert, bioguide_id):
    office = _office_or_404(alert, bioguide_id)
    return _letter_pdf(alert, [office],
                       f"{alert.slug}-letter-{office.bioguide_id}-{utcnow():%Y%m%d}.pdf",
                       office.bioguide_id)


def _signers_download(alert: Alert, bioguide_id: str | None, filename: str) -> Response:
    """All signers (bioguide_id None) or one office's, as CSV streamed in flat memory."""
    alert_id = alert.id

    def produce():
        if bioguide_id is None:
            return stream_csv(*signer_rows(alert_id))
        # Found again in the stream's own session: the view's objects are detached there.
        office = find_office(db.session.get(Alert, alert_id), bioguide_id)
        return stream_csv(*office_rows(alert_id, office))

    return audited_stream(
        "export.letter_csv", f"alert {alert.slug}", {"office": bioguide_id or "all"},
        produce=produce, filename=filename, mimetype="text/csv")


@bp.get("/letter.csv")
@role_required("viewer")
@alert_from_slug
def letter_csv_all(alert):
    """Every signer, with state, district and House member; streamed in flat memory."""
    return _signers_download(alert, None, f"{alert.slug}-signers-{utcnow():%Y%m%d-%H%M}.csv")


@bp.get("/letter/<bioguide_id>.csv")
@role_required("viewer")
@alert_from_slug
def letter_csv_office(alert, bioguide_id):
    office = _office_or_404(alert, bioguide_id)
    return _signers_download(
        alert, office.bioguide_id,
        f"{alert.slug}-signers-{office.bioguide_id}-{utcnow():%Y%m%d-%H%M}.csv")
