"""Staff pages of the members who signed: the list, the whip list, recording, withdrawing and
importing signatures. The organizations' and the letter's pages are in views_organizations.py
and views_letter.py, on the same blueprint; the public form is views_public.py."""

from datetime import UTC, datetime, time

from flask import current_app, flash, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..alerts.loaders import alert_from_slug
from ..alerts.queries import signed_member_ids, signon_summary
from ..alerts.signons import MEMBER_SOURCES, SignOn
from ..core.db import db
from ..core.forms import ButtonForm
from ..core.permissions import role_required
from ..dashboard.queries import fresh_snapshot
from ..i18n.staff import staff_gettext, staff_ngettext
from . import views_letter, views_organizations  # noqa: F401 (their pages join the blueprint)
from .blueprint import back, bp
from .forms import ImportConfirmForm, ImportForm, MemberSignOnForm, PublicCountForm
from .imports import AMBIGUOUS, MATCHED, ImportFileError, preview_import
from .operations import (
    SignOnRefused,
    import_member_signons,
    record_member_signon,
    set_signon_count_public,
    withdraw_signon,
)
from .queries import member_signons, search_members
from .whip import SORTS, whip_filters, whip_list

__all__ = ["bp"]


@bp.get("/")
@role_required("viewer")
@alert_from_slug
def members(alert):
    query = request.args.get("q", "").strip()[:100]
    signed = signed_member_ids(alert.id)
    return render_template(
        "signons/members.html", alert=alert, summary=signon_summary(alert),
        signons=member_signons(alert.id), query=query, results=search_members(query),
        signed=signed, record_form=MemberSignOnForm, empty_form=ButtonForm(),
        public_form=PublicCountForm(formdata=None,
                                    is_public="0" if alert.is_signon_count_public else "1"),
        sources=MEMBER_SOURCES)


@bp.get("/whip")
@role_required("viewer")
@alert_from_slug
def whip(alert):
    states, parties = whip_filters()
    args = request.args
    state = args.get("state", "") if args.get("state", "") in states else ""
    party = args.get("party", "") if args.get("party", "") in parties else ""
    signed = args.get("signed", "") if args.get("signed") in {"yes", "no"} else ""
    sort = args.get("sort", "pressure") if args.get("sort") in SORTS else "pressure"
    descending = args.get("dir", "desc") != "asc"
    snapshot = fresh_snapshot(alert.id, current_app.config["DASHBOARD_SNAPSHOT_MAX_AGE"])
    rows = whip_list(alert, state=state, party=party, signed=signed, sort=sort,
                     descending=descending,
                     pressure=snapshot.data.get("pressure") if snapshot is not None else None)
    return render_template("signons/whip.html", alert=alert, rows=rows, states=states,
                           parties=parties, state=state, party=party, signed=signed, sort=sort,
                           descending=descending, summary=signon_summary(alert),
                           as_of=snapshot.computed_at if snapshot is not None else None)


@bp.post("/members")
@role_required("organizer")
@alert_from_slug
def record(alert):
    form = MemberSignOnForm()
    if not form.validate_on_submit():
        flash(staff_gettext("Not recorded: %(errors)s", errors="; ".join(form.error_messages)))
        return back(alert, q=request.args.get("q", ""))
    signed_at = (datetime.combine(form.signed_on.data, time(12), tzinfo=UTC)
                 if form.signed_on.data else None)
    try:
        signon = record_member_signon(alert, form.bioguide_id.data, by=current_user,
                                      source=form.source.data, note=form.note.data,
                                      signed_at=signed_at)
    except SignOnRefused as refused:
        db.session.rollback()
        flash(str(refused))
        return back(alert)
    db.session.commit()
    flash(staff_gettext("Recorded: %(display_name)s signed.", display_name=signon.display_name))
    return back(alert)


@bp.post("/<int:signon_id>/withdraw")
@role_required("organizer")
@alert_from_slug
def withdraw(alert, signon_id):
    signon = db.first_or_404(select(SignOn).where(SignOn.id == signon_id,
                                                  SignOn.alert_id == alert.id))
    if ButtonForm().validate_on_submit():
        withdraw_signon(signon, by=current_user)
        db.session.commit()
        flash(staff_gettext("Withdrawn: %(display_name)s.", display_name=signon.display_name))
    return back(alert, ".members" if signon.kind == "member" else ".organizations")


@bp.post("/public-count")
@role_required("organizer")
@alert_from_slug
def public_count(alert):
    form = PublicCountForm()
    if form.validate_on_submit():
        set_signon_count_public(alert, form.is_public.data == "1", by=current_user)
        db.session.commit()
        flash(staff_gettext("The public page now shows the count.")
              if alert.is_signon_count_public
              else staff_gettext("The public page no longer shows the count."))
    return back(alert)


@bp.route("/import", methods=["GET", "POST"])
@role_required("organizer")
@alert_from_slug
def import_file(alert):
    form = ImportForm()
    if form.validate_on_submit():
        try:
            preview = preview_import(form.file.data.read(), signed_member_ids(alert.id))
        except ImportFileError as error:
            form.file.errors.append(str(error))
        else:
            confirm = ImportConfirmForm(formdata=None, source=form.source.data,
                                        bioguide_id=preview.matched_ids)
            return render_template("signons/import_preview.html", alert=alert, preview=preview,
                                   form=confirm, MATCHED=MATCHED, AMBIGUOUS=AMBIGUOUS)
    return render_template("signons/import.html", alert=alert, form=form,
                           sources=MEMBER_SOURCES), 422 if form.errors else 200


@bp.post("/import/confirm")
@role_required("organizer")
@alert_from_slug
def import_confirm(alert):
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        flash(staff_gettext("Nothing was recorded: %(errors)s",
                            errors="; ".join(form.error_messages)))
        return back(alert, ".import_file")
    created = import_member_signons(alert, form.bioguide_id.data, by=current_user,
                                    source=form.source.data)
    db.session.commit()
    flash(staff_ngettext("Recorded %(num)d signature from the file.",
                         "Recorded %(num)d signatures from the file.", created))
    return back(alert)
