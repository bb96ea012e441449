"""The action page's address step, /a/<slug>/district: for a ZIP that spans districts (or has
none), where does the supporter live?"""

from flask import current_app, redirect, render_template, url_for

from ..congress.geocoder import geocoder_from_config
from ..congress.queries import District, lookup_zip
from ..core.db import db
from ..supporters.operations import record_district
from .blueprint import bp, live_alert
from .forms import AddressForm, DistrictChoiceForm
from .operations import resolve_by_address
from .visitor import current_submission


@bp.route("/a/<slug>/district", methods=["GET", "POST"])
def district_page(slug):
    """The second step for a ZIP that spans districts (or has none): where do you live?"""
    alert = live_alert(slug)
    submission = current_submission(alert)
    if submission is None:
        return redirect(url_for(".alert_page", slug=alert.slug))
    supporter = submission.profile
    lookup = lookup_zip(supporter.zip_code)
    geocoder = geocoder_from_config(current_app.config)
    form = AddressForm()
    problem = None
    if geocoder is not None and alert.is_live and form.validate_on_submit():
        problem = resolve_by_address(submission, lookup, geocoder, street=form.street.data,
                                     city=form.city.data)
        if problem is None:
            db.session.commit()
            return redirect(url_for(".call_page", slug=alert.slug))
    return _render_district_page(alert, supporter, lookup, form, geocoder is not None,
                                 problem=problem, status=422 if form.errors else 200)


@bp.post("/a/<slug>/district/pick")
def pick_district(slug):
    """'This is my representative': the supporter's own choice among the ZIP's districts."""
    alert = live_alert(slug)
    submission = current_submission(alert)
    if submission is None or not alert.is_live:
        return redirect(url_for(".alert_page", slug=alert.slug))
    supporter = submission.profile
    lookup = lookup_zip(supporter.zip_code)
    choice = DistrictChoiceForm()
    district = District.parse(choice.district.data) if choice.validate_on_submit() else None
    if district is None or district not in lookup.districts:
        if not choice.errors:
            choice.district.errors.append("Please choose one of the districts listed.")
        geocoder_ready = geocoder_from_config(current_app.config) is not None
        return _render_district_page(alert, supporter, lookup, AddressForm(formdata=None),
                                     geocoder_ready, choice=choice, status=422)
    record_district(submission, district, "self-selected")
    db.session.commit()
    return redirect(url_for(".call_page", slug=alert.slug))


def _render_district_page(alert, supporter, lookup, form, geocoder_ready, *, problem=None,
                          choice=None, status=200):
    candidates = [(district, lookup_zip(lookup.zip_code, district).representatives)
                  for district in lookup.districts]
    return render_template(
        "actions/district.html", alert=alert, supporter=supporter, lookup=lookup, form=form,
        geocoder_ready=geocoder_ready, problem=problem, candidates=candidates,
        show_candidates=bool(candidates) and (not geocoder_ready or problem is not None
                                              or choice is not None),
        choice=choice, choice_form=DistrictChoiceForm(formdata=None),
    ), status
