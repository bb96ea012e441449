"""Admin pages: find a supporter by email, download their data, erase them on request."""

import json

from flask import Blueprint, flash, redirect, render_template, url_for

from ..audit.downloads import audited_file, audited_stream
from ..core.csvfile import stream_csv
from ..core.db import db
from ..core.permissions import role_required
from ..core.time import utcnow
from ..i18n.staff import staff_gettext
from ..supporters.models import Supporter
from ..supporters.operations import normalize_email
from ..supporters.queries import supporter_id_by_email
from .access import CSV_HEADER, record_rows, supporter_record
from .erasure import erase_supporter
from .forms import EraseForm, FindSupporterForm

bp = Blueprint("privacy", __name__, url_prefix="/staff/supporters")


@bp.route("/", methods=["GET", "POST"])
@role_required("admin")
def find():
    form = FindSupporterForm()
    if form.validate_on_submit():
        supporter_id = supporter_id_by_email(form.email.data)
        if supporter_id is not None:
            return redirect(url_for(".supporter", supporter_id=supporter_id))
        form.email.errors.append(staff_gettext("No supporter has this email."))
    return render_template("privacy/find.html", form=form), 422 if form.errors else 200


@bp.get("/<int:supporter_id>")
@role_required("admin")
def supporter(supporter_id):
    supporter = db.get_or_404(Supporter, supporter_id)
    record = supporter_record(supporter)
    counts = {name: len(rows) for name, rows in record.items() if name != "supporter"}
    return render_template("privacy/supporter.html", supporter=supporter, counts=counts,
                           form=EraseForm())


@bp.post("/<int:supporter_id>/erase")
@role_required("admin")
def erase(supporter_id):
    supporter = db.get_or_404(Supporter, supporter_id)
    form = EraseForm()
    if supporter.erased_at is not None:
        flash(staff_gettext("This supporter was already erased."))
        return redirect(url_for(".supporter", supporter_id=supporter_id))
    if form.validate_on_submit():
        if normalize_email(form.confirm_email.data) == supporter.email:
            erase_supporter(supporter)
            db.session.commit()
            flash(staff_gettext("Supporter %(supporter_id)s is erased; their actions stay as "
                                "counts.", supporter_id=supporter_id))
            return redirect(url_for(".supporter", supporter_id=supporter_id))
        form.confirm_email.errors.append(staff_gettext("This is not the supporter's email: "
                                                        "nothing erased."))
    record = supporter_record(supporter)
    counts = {name: len(rows) for name, rows in record.items() if name != "supporter"}
    return render_template("privacy/supporter.html", supporter=supporter, counts=counts,
                           form=form), 422


@bp.get("/<int:supporter_id>/data.json")
@role_required("admin")
def download_json(supporter_id):
    supporter = db.get_or_404(Supporter, supporter_id)
    record = supporter_record(supporter)
    return audited_file(
        "supporter.data_downloaded", f"supporter {supporter_id}", {"format": "json"},
        build=lambda: json.dumps(record, ensure_ascii=False, indent=2, default=str),
        filename=f"supporter-{supporter_id}-{utcnow():%Y%m%d-%H%M}.json",
        mimetype="application/json")


@bp.get("/<int:supporter_id>/data.csv")
@role_required("admin")
def download_csv(supporter_id):
    supporter = db.get_or_404(Supporter, supporter_id)
    # Read before the audit commit: the stream runs later with plain values only.
    rows = list(record_rows(supporter_record(supporter)))
    return audited_stream(
        "supporter.data_downloaded", f"supporter {supporter_id}", {"format": "csv"},
        produce=lambda: stream_csv(CSV_HEADER, iter(rows)),
        filename=f"supporter-{supporter_id}-{utcnow():%Y%m%d-%H%M}.csv", mimetype="text/csv")
