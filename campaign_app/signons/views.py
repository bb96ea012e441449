"""Staff pages of sign-ons, and organizations' public sign-on form."""

import re
from datetime import UTC, datetime, time

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..actions.queries import signature_count
from ..actions.visitor import known_profile
from ..alerts.models import Alert
from ..alerts.personalize import merge_values, render_text
from ..alerts.queries import get_alert_by_slug, get_alert_by_slug_or_404
from ..alerts.translations import alert_languages
from ..audit.operations import record_event
from ..core.csvfile import stream_csv
from ..core.db import db
from ..core.downloads import audited_file, audited_stream
from ..core.permissions import role_required
from ..core.ratelimit import hit, limit_key
from ..core.time import utcnow
from ..dashboard.queries import fresh_snapshot
from ..i18n.selector import limit_languages
from .forms import (
    EmptyForm,
    ImportConfirmForm,
    ImportForm,
    MemberSignOnForm,
    OrderForm,
    OrganizationSignOnForm,
    PublicCountForm,
    ReviewForm,
)
from .imports import AMBIGUOUS, MATCHED, ImportFileError, preview_import
from .letter import find_office, letter_offices, office_rows, signer_rows
from .letter_pdf import letter_pdf
from .models import MEMBER_SOURCES, PENDING
from .operations import (
    SignOnRefused,
    import_member_signons,
    record_member_signon,
    review_organization,
    set_organization_positions,
    set_signon_count_public,
    submit_organization_signon,
    withdraw_signon,
)
from .queries import (
    ORGANIZATION_ORDERS,
    approved_organizations,
    get_signon,
    member_signons,
    organization_signons,
    search_members,
    signed_member_ids,
    signon_summary,
)
from .whip import SORTS, whip_filters, whip_list

BIOGUIDE = re.compile(r"[A-Z]\d{6}\Z")

bp = Blueprint("signons", __name__, url_prefix="/staff/alerts/<slug>/signons")
public_bp = Blueprint("public_signons", __name__)


@public_bp.app_template_global("signon_summary")
def _signon_summary_global(alert):
    return signon_summary(alert)


def _back(alert: Alert, endpoint: str = ".members", **values):
    return redirect(url_for(endpoint, slug=alert.slug, **values))


@bp.get("/")
@role_required("viewer")
def members(slug):
    alert = get_alert_by_slug_or_404(slug)
    query = request.args.get("q", "").strip()[:100]
    signed = signed_member_ids(alert.id)
    return render_template(
        "signons/members.html", alert=alert, summary=signon_summary(alert),
        signons=member_signons(alert.id), query=query, results=search_members(query),
        signed=signed, record_form=MemberSignOnForm, empty_form=EmptyForm(),
        public_form=PublicCountForm(formdata=None,
                                    is_public="0" if alert.is_signon_count_public else "1"),
        sources=MEMBER_SOURCES)


@bp.get("/whip")
@role_required("viewer")
def whip(slug):
    alert = get_alert_by_slug_or_404(slug)
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
def record(slug):
    alert = get_alert_by_slug_or_404(slug)
    form = MemberSignOnForm()
    if not form.validate_on_submit():
        flash("Not recorded: " + "; ".join(form.error_messages))
        return _back(alert, q=request.args.get("q", ""))
    signed_at = (datetime.combine(form.signed_on.data, time(12), tzinfo=UTC)
                 if form.signed_on.data else None)
    try:
        signon = record_member_signon(alert, form.bioguide_id.data, by=current_user,
                                      source=form.source.data, note=form.note.data,
                                      signed_at=signed_at)
    except SignOnRefused as refused:
        db.session.rollback()
        flash(str(refused))
        return _back(alert)
    db.session.commit()
    flash(f"Recorded: {signon.display_name} signed.")
    return _back(alert)


@bp.post("/<int:signon_id>/withdraw")
@role_required("organizer")
def withdraw(slug, signon_id):
    alert = get_alert_by_slug_or_404(slug)
    signon = get_signon(alert.id, signon_id)
    if signon is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        withdraw_signon(signon, by=current_user)
        db.session.commit()
        flash(f"Withdrawn: {signon.display_name}.")
    endpoint = ".members" if signon.kind == "member" else ".organizations"
    return _back(alert, endpoint)


@bp.post("/public-count")
@role_required("organizer")
def public_count(slug):
    alert = get_alert_by_slug_or_404(slug)
    form = PublicCountForm()
    if form.validate_on_submit():
        set_signon_count_public(alert, form.is_public.data == "1", by=current_user)
        db.session.commit()
        flash("The public page now shows the count." if alert.is_signon_count_public
              else "The public page no longer shows the count.")
    return _back(alert)


@bp.route("/import", methods=["GET", "POST"])
@role_required("organizer")
def import_file(slug):
    alert = get_alert_by_slug_or_404(slug)
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
def import_confirm(slug):
    alert = get_alert_by_slug_or_404(slug)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        flash("Nothing was recorded: " + "; ".join(form.error_messages))
        return _back(alert, ".import_file")
    created = import_member_signons(alert, form.bioguide_id.data, by=current_user,
                                    source=form.source.data)
    db.session.commit()
    flash(f"Recorded {created} signature{'s' if created != 1 else ''} from the file.")
    return _back(alert)


@bp.get("/organizations")
@role_required("viewer")
def organizations(slug):
    alert = get_alert_by_slug_or_404(slug)
    return render_template(
        "signons/organizations.html", alert=alert, pending=organization_signons(alert.id, PENDING),
        reviewed=[s for s in organization_signons(alert.id) if s.status != PENDING],
        approved=approved_organizations(alert.id), review_form=ReviewForm,
        empty_form=EmptyForm(), order_form=OrderForm(), order_choices=ORGANIZATION_ORDERS.items(),
        show_contacts=current_user.has_role("organizer"))


@bp.post("/organizations/<int:signon_id>/review")
@role_required("organizer")
def review(slug, signon_id):
    alert = get_alert_by_slug_or_404(slug)
    signon = get_signon(alert.id, signon_id)
    if signon is None or signon.kind != "organization":
        abort(404)
    form = ReviewForm()
    if form.validate_on_submit():
        review_organization(signon, form.status.data, by=current_user)
        db.session.commit()
        flash(f"{signon.organization_name}: {signon.status}.")
    return _back(alert, ".organizations")


@bp.post("/organizations/order")
@role_required("organizer")
def order(slug):
    alert = get_alert_by_slug_or_404(slug)
    form = OrderForm()
    positions = form.positions(request.form) if form.validate_on_submit() else None
    if positions is None:
        flash("Positions must be whole numbers from 1 to 9999.")
    else:
        set_organization_positions(alert, positions, by=current_user)
        db.session.commit()
        flash("Saved the order of the list.")
    return _back(alert, ".organizations")


def _organizations_export(slug: str) -> tuple[int, str, str]:
    """The alert's id and slug and the order asked for: plain values, which a stream can
    use after the view's session is gone."""
    alert = get_alert_by_slug_or_404(slug)
    order = request.args.get("order", "position")
    return alert.id, alert.slug, order if order in ORGANIZATION_ORDERS else "position"


@bp.get("/organizations/export.txt")
@role_required("viewer")
def export_text(slug):
    alert_id, alert_slug, order = _organizations_export(slug)
    return audited_file(
        audit=lambda: record_event("export.organizations_text", f"alert {alert_slug}",
                                   {"order": order}),
        build=lambda: "".join(signer.organization_name
                              + (f" ({signer.country})" if signer.country else "") + "\n"
                              for signer in approved_organizations(alert_id, order)),
        filename=f"{alert_slug}-organizations.txt", mimetype="text/plain")


@bp.get("/organizations/export.csv")
@role_required("viewer")
def export_csv(slug):
    alert_id, alert_slug, order = _organizations_export(slug)

    def produce():
        signers = approved_organizations(alert_id, order)
        return stream_csv(["position", "organization", "country", "website", "signed_on"],
                          ([index, s.organization_name, s.country, s.website or "",
                            s.created_at.strftime("%Y-%m-%d")]
                           for index, s in enumerate(signers, 1)))

    return audited_stream(
        audit=lambda: record_event("export.organizations_csv", f"alert {alert_slug}",
                                   {"order": order}),
        produce=produce, filename=f"{alert_slug}-organizations.csv", mimetype="text/csv")


def _office_or_404(alert: Alert, bioguide_id: str):
    office = find_office(alert, bioguide_id) if BIOGUIDE.match(bioguide_id) else None
    if office is None:
        abort(404)
    return office


@bp.get("/letter")
@role_required("viewer")
def letter(slug):
    """The supporters' letter, ready to deliver: per office, its constituents who signed."""
    alert = get_alert_by_slug_or_404(slug)
    offices = letter_offices(alert)
    return render_template("signons/letter.html", alert=alert, offices=offices,
                           signatures=signature_count(alert.id),
                           deadline_passed=alert.deadline_at is not None
                           and alert.deadline_at <= utcnow())


def _letter_pdf(alert: Alert, offices, filename: str, office: str) -> Response:
    signers = offices[0].signer_count if office != "all" else signature_count(alert.id)
    config = current_app.config
    return audited_file(
        audit=lambda: record_event("export.letter_pdf", f"alert {alert.slug}",
                                   {"office": office, "offices": len(offices),
                                    "signers": signers}),
        build=lambda: letter_pdf(alert, offices, org_name=config["ORG_NAME"],
                                font_setting=config["LETTER_FONT"], dated=utcnow()),
        filename=filename, mimetype="application/pdf")


@bp.get("/letter.pdf")
@role_required("viewer")
def letter_pdf_all(slug):
    """Every office's letter in one file, each starting on a new page."""
    alert = get_alert_by_slug_or_404(slug)
    offices = letter_offices(alert)
    if not offices:
        flash("Nobody has signed yet: there is no letter to deliver.")
        return _back(alert, ".letter")
    return _letter_pdf(alert, offices, f"{alert.slug}-letter-{utcnow():%Y%m%d}.pdf", "all")


@bp.get("/letter/<bioguide_id>.pdf")
@role_required("viewer")
def letter_pdf_office(slug, bioguide_id):
    alert = get_alert_by_slug_or_404(slug)
    office = _office_or_404(alert, bioguide_id)
    return _letter_pdf(alert, [office],
                       f"{alert.slug}-letter-{office.bioguide_id}-{utcnow():%Y%m%d}.pdf",
                       office.bioguide_id)


def _signers_download(alert: Alert, bioguide_id: str | None, filename: str) -> Response:
    """All signers (bioguide_id None) or one office's, as CSV streamed in flat memory."""
    alert_id, alert_slug = alert.id, alert.slug

    def produce():
        if bioguide_id is None:
            return stream_csv(*signer_rows(alert_id))
        # Found again in the stream's own session: the view's objects are detached there.
        office = find_office(db.session.get(Alert, alert_id), bioguide_id)
        return stream_csv(*office_rows(alert_id, office))

    return audited_stream(
        audit=lambda: record_event("export.letter_csv", f"alert {alert_slug}",
                                   {"office": bioguide_id or "all"}),
        produce=produce, filename=filename, mimetype="text/csv")


@bp.get("/letter.csv")
@role_required("viewer")
def letter_csv_all(slug):
    """Every signer, with state, district and House member; streamed in flat memory."""
    alert = get_alert_by_slug_or_404(slug)
    return _signers_download(alert, None, f"{alert.slug}-signers-{utcnow():%Y%m%d-%H%M}.csv")


@bp.get("/letter/<bioguide_id>.csv")
@role_required("viewer")
def letter_csv_office(slug, bioguide_id):
    alert = get_alert_by_slug_or_404(slug)
    office = _office_or_404(alert, bioguide_id)
    return _signers_download(
        alert, office.bioguide_id,
        f"{alert.slug}-signers-{office.bioguide_id}-{utcnow():%Y%m%d-%H%M}.csv")


def _signon_alert_or_404(slug: str) -> Alert:
    alert = get_alert_by_slug(slug)
    if alert is None or alert.status == "draft" or "signon" not in (alert.channels or []):
        abort(404)
    return alert


@public_bp.route("/a/<slug>/organizations", methods=["GET", "POST"])
def organization_form(slug):
    alert = _signon_alert_or_404(slug)
    limit_languages(alert_languages(alert))  # the page is in one of the alert's languages
    form = OrganizationSignOnForm()
    status = 200
    if request.method == "POST" and alert.is_live:
        config = current_app.config
        key = limit_key("signon-ip", request.remote_addr or "unknown")
        if hit(key, config["SIGNON_LIMIT_PER_IP"], config["SIGNON_LIMIT_WINDOW"]):
            form.validate()
            form.organization_name.errors = [*form.organization_name.errors,
                                             _("Too many sign-ons from your network just "
                                               "now. Please try again in an hour.")]
            status = 429
        else:
            db.session.commit()
            if form.validate():
                try:
                    submit_organization_signon(
                        alert, organization_name=form.organization_name.data,
                        country=form.country.data, website=form.website.data,
                        contact_name=form.contact_name.data,
                        contact_email=form.contact_email.data)
                except SignOnRefused as refused:
                    db.session.rollback()
                    form.organization_name.errors.append(str(refused))
                else:
                    db.session.commit()
                    flash(_("Thank you! Your organization will appear on the list once our "
                            "staff have checked it."))
                    return redirect(url_for(".organization_form", slug=alert.slug))
            status = 422
    return render_template(
        "signons/public_organizations.html", alert=alert, form=form,
        signers=approved_organizations(alert.id),
        appeal=render_text(alert, "appeal", merge_values(alert, known_profile(alert)))), status
