"""The public action page: /a/<slug>."""

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for

from ..alerts.models import Alert
from ..alerts.personalize import merge_values, render_text
from ..alerts.queries import get_alert_by_slug
from ..congress.queries import lookup_zip, normalize_zip
from ..core.db import db
from ..delivery.dispatch import queue_deliveries
from ..delivery.models import PENDING
from ..supporters.models import Supporter
from .forms import ActionForm, CallReportForm
from .models import CALL_OUTCOMES
from .operations import record_call, start_action
from .queries import reported_targets
from .targets import select_targets

bp = Blueprint("actions", __name__)

#: The session remembers, per alert, which supporter this browser is acting as.
SESSION_KEY = "acting_as"


def _live_alert(slug: str) -> Alert:
    alert = get_alert_by_slug(slug)
    if alert is None or alert.status == "draft":
        abort(404)
    return alert


def _remember_supporter(alert: Alert, supporter: Supporter) -> None:
    acting = dict(session.get(SESSION_KEY, {}))
    acting[str(alert.id)] = supporter.id
    session[SESSION_KEY] = acting


def _current_supporter(alert: Alert) -> Supporter | None:
    supporter_id = session.get(SESSION_KEY, {}).get(str(alert.id))
    return db.session.get(Supporter, supporter_id) if supporter_id else None


@bp.route("/a/<slug>", methods=["GET", "POST"])
def alert_page(slug):
    alert = _live_alert(slug)
    form = ActionForm()
    if alert.is_live and form.validate_on_submit():
        lookup = lookup_zip(normalize_zip(form.zip_code.data))
        if not lookup.found:
            form.zip_code.errors.append(
                f"We couldn't find ZIP code {lookup.zip_code}. Please check it — if it's a "
                "P.O. box ZIP, use the ZIP code of your home address."
            )
        elif not select_targets(alert, lookup):
            form.zip_code.errors.append(
                "This alert has no one to contact for your ZIP code. Thank you for checking!"
            )
        else:
            supporter = start_action(alert, lookup, first_name=form.first_name.data,
                                     last_name=form.last_name.data, email=form.email.data,
                                     opt_in=form.opt_in.data)
            db.session.commit()
            _remember_supporter(alert, supporter)
            return redirect(url_for(".call_page", slug=alert.slug))
    status = 422 if form.errors else 200
    values = merge_values(alert)
    return render_template("actions/alert.html", alert=alert, form=form,
                           appeal=render_text(alert, "appeal", values)), status


@bp.get("/a/<slug>/call")
def call_page(slug):
    alert = _live_alert(slug)
    supporter = _current_supporter(alert)
    if supporter is None:
        return redirect(url_for(".alert_page", slug=alert.slug))
    return _render_call_page(alert, supporter)


def _render_call_page(alert, supporter, failed_form=None, status=200):
    lookup = lookup_zip(supporter.zip_code)
    targets = select_targets(alert, lookup)
    reports = reported_targets(alert, supporter)
    cards = []
    for target in targets:
        if failed_form is not None and failed_form.bioguide_id.data == target.bioguide_id:
            form = failed_form
        else:
            form = CallReportForm(formdata=None, bioguide_id=target.bioguide_id,
                                  submission_key=secrets.token_urlsafe(24))
        values = merge_values(alert, supporter, lookup=lookup, target=target)
        cards.append({"member": target, "form": form, "report": reports.get(target.bioguide_id),
                      "script": render_text(alert, "call_script", values)})
    values = merge_values(alert, supporter, lookup=lookup)
    all_done = bool(cards) and all(card["report"] for card in cards)
    matched = any(card["form"] is failed_form for card in cards)
    stray_form = failed_form if failed_form is not None and not matched else None
    return render_template("actions/call.html", alert=alert, supporter=supporter,
                           lookup=lookup, cards=cards, all_done=all_done, stray_form=stray_form,
                           appeal=render_text(alert, "appeal", values)), status


@bp.post("/a/<slug>/call")
def report_call(slug):
    alert = _live_alert(slug)
    supporter = _current_supporter(alert)
    if supporter is None:
        flash("Please fill in the form first, so we know who your members of Congress are.")
        return redirect(url_for(".alert_page", slug=alert.slug))
    form = CallReportForm()
    targets = {t.bioguide_id for t in select_targets(alert, lookup_zip(supporter.zip_code))}
    if not alert.is_live:
        flash("This alert has closed. Thank you for caring!")
        return redirect(url_for(".alert_page", slug=alert.slug))
    if not form.validate_on_submit() or form.bioguide_id.data not in targets:
        if form.bioguide_id.data not in targets and not form.bioguide_id.errors:
            form.bioguide_id.errors.append("That member is not one of your targets.")
        return _render_call_page(alert, supporter, failed_form=form, status=422)
    action, delivery, _ = record_call(
        alert, supporter, bioguide_id=form.bioguide_id.data, outcome=form.outcome.data,
        note=form.note.data, submission_key=form.submission_key.data,
    )
    db.session.commit()
    if delivery.status == PENDING:
        queue_deliveries([delivery.id])
    flash(f"Thank you! We recorded your call to {action.legislator.display_name}: "
          f"{CALL_OUTCOMES[action.outcome].lower()}.")
    return redirect(url_for(".call_page", slug=alert.slug))


@bp.get("/a/<slug>/thanks")
def thanks_page(slug):
    alert = _live_alert(slug)
    supporter = _current_supporter(alert)
    thanks = render_text(alert, "thank_you_text", merge_values(alert, supporter))
    return render_template("actions/thanks.html", alert=alert, supporter=supporter,
                           thanks=thanks)
