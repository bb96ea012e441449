"""The public action page, /a/<slug>: the alert and its form, and the thank-you page. The
address step and the call page are in views_district.py and views_call.py, on the same
blueprint (blueprint.py)."""

from flask import current_app, redirect, render_template, request, url_for

from ..alerts.personalize import merge_values, render_text
from ..alerts.queries import signon_summary
from ..alerts.targets import needs_district
from ..alerts.translations import text_in
from ..congress.geocoder import geocoder_from_config
from ..congress.queries import lookup_zip, normalize_zip
from ..core.db import db
from ..i18n.selector import prefer_language
from ..supporters.proof import is_proven, remember_proof
from ..supporters.referrals import ensure_referral_code
from . import views_call, views_district  # noqa: F401 (their pages join the blueprint)
from .blueprint import (
    bp,
    first_source,
    live_alert,
    remember_referral,
    remember_source,
    supporter_from_link,
)
from .call_page import letter_context
from .forms import ActionForm
from .operations import start_action
from .page_cache import cached_page, is_anonymous_view, is_cacheable, keep_page
from .personal_pages import personal_page
from .sharing import share_links
from .targets import skipped_signers, zip_problem
from .visitor import current_submission, known_profile, remember_submission

__all__ = ["bp"]


@bp.route("/a/<slug>", methods=["GET", "POST"])
def alert_page(slug):
    if request.method == "GET":
        cached = cached_page(slug)
        if cached is not None:
            return cached
    alert = live_alert(slug)
    remember_referral(alert)
    remember_source(alert)
    link = supporter_from_link() if request.method == "GET" else None
    if link is not None:
        remember_proof(link)
    known = known_profile(alert, link)
    prefer_language(getattr(known, "language", None))  # a proven supporter's stored choice
    form = ActionForm(data={"first_name": known.first_name, "last_name": known.last_name,
                            "email": known.email, "zip_code": known.zip_code}
                      if known else None)
    if alert.is_live and form.validate_on_submit():
        lookup = lookup_zip(normalize_zip(form.zip_code.data))
        signed = skipped_signers(alert)
        problem = zip_problem(alert, lookup, signed,
                              can_geocode=geocoder_from_config(current_app.config) is not None)
        if problem:
            form.zip_code.errors.append(problem)
        else:
            submission = start_action(
                alert, lookup, first_name=form.first_name.data, last_name=form.last_name.data,
                email=form.email.data, phone=form.phone.data or None, opt_in=form.opt_in.data,
                is_proven=is_proven(form.email.data), previous=current_submission(alert),
                source_code=first_source(alert))
            step = ".district_page" if needs_district(alert, lookup, signed) else ".call_page"
            remember_submission(alert, submission)
            target = url_for(step, slug=alert.slug)
            db.session.commit()
            return redirect(target)
    status = 422 if form.errors else 200
    values = merge_values(alert, known)

    def render(form, values):
        return render_template("actions/alert.html", alert=alert, form=form,
                               appeal=render_text(alert, "appeal", values),
                               summary=signon_summary(alert) if alert.is_signon_count_public
                               else None, **letter_context(alert))

    page = personal_page(alert, form, values, render) if link is not None else None
    if page is None:
        page = render(form, values)
        if known is None and is_cacheable(alert) and is_anonymous_view(alert.id):
            return keep_page(alert, page, values.get("days_left"))
    # Greets someone, or shows what they typed: no shared cache may keep it.
    return page, status, {"Cache-Control": "private, no-store"}


@bp.get("/a/<slug>/thanks")
def thanks_page(slug):
    alert = live_alert(slug)
    submission = current_submission(alert)
    supporter = known_profile(alert)
    thanks = render_text(alert, "thank_you_text", merge_values(alert, supporter))
    shares = []
    if submission is not None:
        # A browser that has not proven who it is shares without the supporter's code.
        code = (ensure_referral_code(submission.supporter)
                if submission.is_proven or submission.is_new_supporter else None)
        db.session.commit()
        shares = share_links(alert, code)
    return render_template("actions/thanks.html", alert=alert, supporter=supporter,
                           thanks=thanks, shares=shares,
                           share_text=text_in(alert, "share_text"))
