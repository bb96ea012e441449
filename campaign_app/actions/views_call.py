"""The action page's second half, /a/<slug>/call: call, email and sign, each form posting to
its own URL and coming back to the page."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..alerts.targets import select_targets
from ..core.db import db
from ..delivery.models import PENDING
from ..delivery.tasks import queue_deliveries
from ..i18n.selector import prefer_language
from .blueprint import bp, live_alert, referral_for
from .call_page import call_page as build_call_page
from .call_page import posted_email_form
from .forms import CallReportForm, SignatureForm
from .models import CALL_OUTCOMES
from .operations import record_call, record_email, record_signature
from .queries import emails_sent
from .targets import signed_members, skipped_signers, supporter_lookup
from .visitor import current_submission

FILL_IN_FIRST = _l("Please fill in the form first, so we know who your members of Congress "
                   "are.")
CLOSED = _l("This alert has closed. Thank you for caring!")


def _render_call_page(alert, submission, status=200, **failed_forms):
    prefer_language(getattr(submission.profile, "language", None))
    page = build_call_page(alert, submission, **failed_forms)
    if page is None:
        return redirect(url_for(".district_page", slug=alert.slug))
    return render_template("actions/call.html", **page), status


@bp.get("/a/<slug>/call")
def call_page(slug):
    alert = live_alert(slug)
    submission = current_submission(alert)
    if submission is None:
        return redirect(url_for(".alert_page", slug=alert.slug))
    return _render_call_page(alert, submission)


@bp.post("/a/<slug>/call")
def report_call(slug):
    alert = live_alert(slug)
    submission = current_submission(alert)
    if submission is None:
        flash(str(FILL_IN_FIRST))
        return redirect(url_for(".alert_page", slug=alert.slug))
    form = CallReportForm()
    targets = {t.bioguide_id: t for t in select_targets(
        alert, supporter_lookup(submission.profile), skipped_signers(alert))}
    if not alert.is_live:
        flash(str(CLOSED))
        return redirect(url_for(".alert_page", slug=alert.slug))
    if not form.validate_on_submit() or form.bioguide_id.data not in targets:
        if form.bioguide_id.data not in targets and not form.bioguide_id.errors:
            form.bioguide_id.errors.append(_("That member is not one of your targets."))
        return _render_call_page(alert, submission, failed_form=form, status=422)
    action, delivery, _created = record_call(
        alert, submission, bioguide_id=form.bioguide_id.data, outcome=form.outcome.data,
        note=form.note.data, submission_key=form.submission_key.data,
        signed=signed_members(alert), referral_code=referral_for(alert, submission))
    # What the response needs, read before the commit expires it (no reloading after).
    to_queue = [delivery.id] if delivery.status == PENDING else []
    done = _("Thank you! We recorded your call to %(name)s: %(outcome)s.",
             name=targets[action.bioguide_id].display_name,
             outcome=str(CALL_OUTCOMES[action.outcome]).lower())
    next_page = url_for(".call_page", slug=alert.slug)
    db.session.commit()
    queue_deliveries(to_queue)
    flash(done)
    return redirect(next_page)


@bp.post("/a/<slug>/email")
def send_email(slug):
    alert = live_alert(slug)
    submission = current_submission(alert)
    if submission is None or "email" not in alert.channels or not alert.is_live:
        flash(str(FILL_IN_FIRST))
        return redirect(url_for(".alert_page", slug=alert.slug))
    targets = select_targets(alert, supporter_lookup(submission.profile),
                             skipped_signers(alert))
    form = posted_email_form(alert, submission, targets)
    if not form.validate_on_submit():
        return _render_call_page(alert, submission, failed_email_form=form, status=422)
    sent, deliveries = record_email(
        alert, submission, targets, prefix=form.prefix.data or None, street=form.street.data,
        city=form.city.data, phone=form.phone.data or None, subject=form.subject.data,
        body=form.body.data, is_response_requested=form.is_response_requested.data,
        is_newsletter_opt_in=form.is_newsletter_opt_in.data,
        submission_key=form.submission_key.data)
    db.session.commit()
    queue_deliveries([d.id for d in deliveries if d.status == PENDING])
    if not sent and all(t.bioguide_id in emails_sent(alert, submission) for t in targets):
        flash(_("You have already written to each of these offices. Thank you!"))
    elif not sent:
        # Another browser wrote for this email already: this one is told nothing of it.
        flash(_("Thank you! We have your message."))
    else:
        flash(_("Thank you! Your email is on its way.") if any(
            d.kind == "congress_email" for d in deliveries) else
            _("Thank you! Now send your message through each office's contact form below."))
    return redirect(url_for(".call_page", slug=alert.slug) + "#emails")


@bp.post("/a/<slug>/sign")
def sign_letter(slug):
    """'Add your name to the letter': one signature per supporter, however often it is sent."""
    alert = live_alert(slug)
    submission = current_submission(alert)
    if submission is None or "signon" not in alert.channels:
        flash(str(FILL_IN_FIRST))
        return redirect(url_for(".alert_page", slug=alert.slug))
    if not alert.is_live:
        flash(str(CLOSED))
        return redirect(url_for(".alert_page", slug=alert.slug))
    form = SignatureForm()
    if not form.validate_on_submit():
        return _render_call_page(alert, submission, failed_signature_form=form, status=422)
    _signature, delivery, created = record_signature(
        alert, submission, submission_key=form.submission_key.data, city=form.city.data or None,
        referral_code=referral_for(alert, submission))
    db.session.commit()
    if delivery.status == PENDING:
        queue_deliveries([delivery.id])
    flash(_("Thank you! Your name is on the letter.") if created
          else _("You have already signed the letter. Thank you!"))
    if not {"call", "email"} & set(alert.channels):
        return redirect(url_for(".thanks_page", slug=alert.slug))
    return redirect(url_for(".call_page", slug=alert.slug) + "#letter")
