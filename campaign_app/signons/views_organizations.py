"""Staff pages of the organizations that signed: review, order, and the published list's
downloads (each audited)."""

from flask import flash, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..alerts.loaders import alert_from_slug
from ..alerts.signons import ORGANIZATION, PENDING, SignOn
from ..audit.downloads import audited_file, audited_stream
from ..core.csvfile import stream_csv
from ..core.db import db
from ..core.forms import ButtonForm
from ..core.permissions import role_required
from ..i18n.staff import staff_gettext
from .blueprint import back, bp
from .forms import OrderForm, ReviewForm
from .operations import review_organization, set_organization_positions
from .queries import ORGANIZATION_ORDERS, approved_organizations, organization_signons


@bp.get("/organizations")
@role_required("viewer")
@alert_from_slug
def organizations(alert):
    return render_template(
        "signons/organizations.html", alert=alert, pending=organization_signons(alert.id, PENDING),
        reviewed=[s for s in organization_signons(alert.id) if s.status != PENDING],
        approved=approved_organizations(alert.id), review_form=ReviewForm,
        empty_form=ButtonForm(), order_form=OrderForm(), order_choices=ORGANIZATION_ORDERS.items(),
        show_contacts=current_user.has_role("organizer"))


@bp.post("/organizations/<int:signon_id>/review")
@role_required("organizer")
@alert_from_slug
def review(alert, signon_id):
    signon = db.first_or_404(select(SignOn).where(
        SignOn.id == signon_id, SignOn.alert_id == alert.id, SignOn.kind == ORGANIZATION))
    form = ReviewForm()
    if form.validate_on_submit():
        review_organization(signon, form.status.data, by=current_user)
        db.session.commit()
        flash(staff_gettext("%(organization_name)s: %(status)s.",
                            organization_name=signon.organization_name, status=signon.status))
    return back(alert, ".organizations")


@bp.post("/organizations/order")
@role_required("organizer")
@alert_from_slug
def order(alert):
    form = OrderForm()
    positions = form.positions(request.form) if form.validate_on_submit() else None
    if positions is None:
        flash(staff_gettext("Positions must be whole numbers from 1 to 9999."))
    else:
        set_organization_positions(alert, positions, by=current_user)
        db.session.commit()
        flash(staff_gettext("Saved the order of the list."))
    return back(alert, ".organizations")


def _export_order() -> str:
    order = request.args.get("order", "position")
    return order if order in ORGANIZATION_ORDERS else "position"


@bp.get("/organizations/export.txt")
@role_required("viewer")
@alert_from_slug
def export_text(alert):
    # Plain values: the stream runs after the view's session is gone (audit/downloads.py).
    alert_id, order = alert.id, _export_order()
    return audited_file(
        "export.organizations_text", f"alert {alert.slug}", {"order": order},
        build=lambda: "".join(signer.organization_name
                              + (f" ({signer.country})" if signer.country else "") + "\n"
                              for signer in approved_organizations(alert_id, order)),
        filename=f"{alert.slug}-organizations.txt", mimetype="text/plain")


@bp.get("/organizations/export.csv")
@role_required("viewer")
@alert_from_slug
def export_csv(alert):
    alert_id, order = alert.id, _export_order()

    def produce():
        signers = approved_organizations(alert_id, order)
        return stream_csv(["position", "organization", "country", "website", "signed_on"],
                          ([index, s.organization_name, s.country, s.website or "",
                            s.created_at.strftime("%Y-%m-%d")]
                           for index, s in enumerate(signers, 1)))

    return audited_stream(
        "export.organizations_csv", f"alert {alert.slug}", {"order": order},
        produce=produce, filename=f"{alert.slug}-organizations.csv", mimetype="text/csv")
