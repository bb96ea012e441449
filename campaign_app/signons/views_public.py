"""Organizations' public sign-on form, /a/<slug>/organizations: the statement, the approved
signers, and the form (rate-limited per network; staff review each before it shows)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..actions.visitor import known_profile
from ..alerts.models import Alert
from ..alerts.personalize import merge_values, render_text
from ..core.db import db
from ..core.ratelimit import hit, limit_key
from .forms import OrganizationSignOnForm
from .operations import SignOnRefused, submit_organization_signon
from .queries import approved_organizations

public_bp = Blueprint("public_signons", __name__)

TOO_MANY = "Too many sign-ons from your network just now. Please try again in an hour."


@public_bp.route("/a/<slug>/organizations", methods=["GET", "POST"])
def organization_form(slug):
    alert = db.first_or_404(select(Alert).where(Alert.slug == slug, Alert.status != "draft"))
    if "signon" not in (alert.channels or []):
        abort(404)
    form = OrganizationSignOnForm()
    status = 200
    if request.method == "POST" and alert.is_live:
        config = current_app.config
        key = limit_key("signon-ip", request.remote_addr or "unknown")
        if hit(key, config["SIGNON_LIMIT_PER_IP"], config["SIGNON_LIMIT_WINDOW"]):
            form.validate()
            form.organization_name.errors = [*form.organization_name.errors, TOO_MANY]
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
                    flash("Thank you! Your organization will appear on the list once our "
                          "staff have checked it.")
                    return redirect(url_for(".organization_form", slug=alert.slug))
            status = 422
    return render_template(
        "signons/public_organizations.html", alert=alert, form=form,
        signers=approved_organizations(alert.id),
        appeal=render_text(alert, "appeal", merge_values(alert, known_profile(alert)))), status
