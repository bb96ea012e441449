"""Telephony's pages: 'Call me' on the call step, the staff's block list, and the panels it
adds to the call page and the dashboard."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..actions.blueprint import live_alert
from ..actions.visitor import current_submission
from ..alerts.translations import current_language
from ..core.db import db
from ..core.permissions import role_required
from ..core.time import utcnow
from ..i18n.selector import prefer_language
from ..i18n.staff import staff_gettext
from .forms import BlockNumberForm, CallMeForm
from .operations import CallRefused, block_number, request_call, unblock_number
from .provider import is_configured
from .queries import alert_legs, blocked_numbers, minutes_used
from .tasks import place_call

bp = Blueprint("telephony", __name__)
#: Staff pages apart: the supporter's blueprint is read in the supporter's language.
staff_bp = Blueprint("telephony_staff", __name__, url_prefix="/staff/telephony")


@bp.post("/a/<slug>/call-me")
def call_me(slug):
    """Ring the supporter and connect them to each of their offices in turn."""
    alert = live_alert(slug)
    submission = current_submission(alert)
    if submission is None or not is_configured() or "call" not in alert.channels \
            or not alert.is_live:
        return redirect(url_for("actions.alert_page", slug=alert.slug))
    # The supporter's language, as the call page shows it: the flash and the voice speak it.
    prefer_language(getattr(submission.profile, "language", None))
    form = CallMeForm()
    next_page = url_for("actions.call_page", slug=alert.slug) + "#call-me"
    if not form.validate_on_submit():
        flash(_("Please enter your phone number so we can call you."))
        return redirect(next_page)
    try:
        call = request_call(alert, submission, form.phone.data, now=utcnow(),
                            ip=request.remote_addr, language=current_language())
    except CallRefused as refusal:
        db.session.commit()  # the per-IP count holds
        flash(str(refusal))
        return redirect(next_page)
    call_id = call.id
    db.session.commit()
    place_call.delay(call_id)
    flash(_("We are calling you now. Answer, and press 1 to start."))
    return redirect(next_page)


def call_step_panel(alert, supporter, **_context) -> str | None:
    """'Call me' on the call page, where telephony is configured; else nothing (tel: links)."""
    if not is_configured() or "call" not in alert.channels or not alert.is_live:
        return None
    form = CallMeForm(formdata=None, data={"phone": supporter.phone or ""})
    return render_template("telephony/_call_me.html", alert=alert, form=form)


def dashboard_panel(alert, **_context) -> str | None:
    """Minutes used and each office dialed, for staff (and the way to the block list)."""
    return render_template("telephony/_dashboard.html", minutes=minutes_used(alert.id),
                           legs=alert_legs(alert.id))


@staff_bp.route("/blocked", methods=["GET", "POST"])
@role_required("organizer")
def block_list():
    """Numbers Alerta never calls nor connects."""
    form = BlockNumberForm()
    if form.validate_on_submit():
        try:
            block_number(form.phone.data, form.reason.data, current_user.id)
        except CallRefused as refusal:
            form.phone.errors.append(str(refusal))
        else:
            db.session.commit()
            flash(staff_gettext("The number is blocked."))
            return redirect(url_for(".block_list"))
    return render_template("telephony/blocked.html", form=form, blocked=blocked_numbers())


@staff_bp.post("/blocked/<int:blocked_id>/delete")
@role_required("organizer")
def unblock(blocked_id):
    form = BlockNumberForm(meta={"csrf": True})
    form.validate()  # only its CSRF token matters here
    if form.csrf_token.errors:
        flash(staff_gettext("The form expired; please try again."))
    else:
        unblock_number(blocked_id)
        db.session.commit()
        flash(staff_gettext("The number is no longer blocked."))
    return redirect(url_for(".block_list"))
