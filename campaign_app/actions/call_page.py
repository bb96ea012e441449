"""The call page: the members to contact with their scripts and forms, the email and the
letter, built for the browser's submission (the way alerts/preview.py builds the preview).
A form that failed to validate takes its place on the page, with its errors."""

import secrets

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..alerts.models import Alert
from ..alerts.personalize import merge_values, render_text
from ..alerts.targets import needs_district, select_targets
from ..alerts.translations import text_in
from ..core.time import utcnow
from ..delivery.routing import email_routes
from ..supporters.models import Submission
from ..text.markdown import compile_markdown
from .emails import longest_target_names, suggested_email
from .forms import CallReportForm, EmailForm, SignatureForm
from .office_hours import dc_office_status
from .queries import (
    emails_sent,
    recent_signers,
    reported_targets,
    signature_count,
    signature_visible,
)
from .targets import call_kind, signed_members, supporter_lookup

DEFAULT_THANK_SCRIPT = _l("Hello, my name is [[First_Name]] and I'm a constituent from "
                          "[[Zip]]. I'm calling to thank [[Target_Name]] for signing the letter.")


def letter_context(alert: Alert) -> dict:
    """The letter's live count, and its public list when the organizer chose to show one."""
    if "signon" not in alert.channels:
        return {"signatures": None, "signers": []}
    return {"signatures": signature_count(alert.id),
            "signers": recent_signers(alert.id) if alert.public_signer_list != "off" else []}


def _script(alert: Alert, values: dict, kind: str):
    """The call script; members who signed are thanked (the organizer's text, or a plain
    one) rather than urged."""
    if kind == "call":
        return render_text(alert, "call_script", values)
    if text_in(alert, "thank_script").strip():
        return render_text(alert, "thank_script", values)
    return Markup(compile_markdown(str(DEFAULT_THANK_SCRIPT)).render(values))  # noqa: S704


def _email_rules(alert: Alert, targets, routes: dict[str, bool]) -> dict:
    """The email form's limits: CWC's when any target gets the message through CWC."""
    return {"max_length": alert.email_max_length,
            "through_cwc": any(routes.values()),
            "longest_target_names": longest_target_names(targets)}


def _email_form(alert: Alert, supporter, lookup, targets) -> EmailForm:
    """The suggested email, filled in for the supporter, with the sender's details."""
    suggested = suggested_email(alert, supporter, lookup)
    rules = _email_rules(alert, targets, email_routes(alert, supporter, targets))
    return EmailForm(formdata=None, **rules, data={
        "prefix": supporter.prefix, "street": supporter.street, "city": supporter.city,
        "phone": supporter.phone, "subject": suggested.subject, "body": suggested.body,
        "submission_key": secrets.token_urlsafe(24)})


def posted_email_form(alert: Alert, submission: Submission, targets,
                      **form_options) -> EmailForm:
    """The email form as posted, with the rules of the form the page showed: for the
    offices this browser has not written to. `form_options` go to the form (the API's
    helper passes its fields as `formdata`)."""
    emails = emails_sent(alert, submission)
    unsent = [t for t in targets if t.bioguide_id not in emails]
    return EmailForm(**form_options, **_email_rules(
        alert, unsent, email_routes(alert, submission.profile, unsent)))


def _signature_form(supporter) -> SignatureForm:
    return SignatureForm(formdata=None, data={
        "city": supporter.city, "submission_key": secrets.token_urlsafe(24)})


def call_page(alert: Alert, submission: Submission, *, failed_form=None,
              failed_email_form=None, failed_signature_form=None) -> dict | None:
    """The call page's template values; None while the supporter must first say where they
    live (a ZIP that spans districts)."""
    supporter = submission.profile  # what this browser may see
    lookup = supporter_lookup(supporter)
    signed = signed_members(alert)
    if needs_district(alert, lookup, signed):
        return None
    targets = select_targets(alert, lookup, signed)
    # A district office as a second number, per member.
    offices = {t.bioguide_id: t.nearest_office(zip_code=supporter.zip_code, city=supporter.city,
                                               latitude=supporter.latitude,
                                               longitude=supporter.longitude)
               for t in targets}
    reports = reported_targets(alert, submission)
    emails = emails_sent(alert, submission)
    cards = []
    for target in targets:
        if failed_form is not None and failed_form.bioguide_id.data == target.bioguide_id:
            form = failed_form
        else:
            form = CallReportForm(formdata=None, bioguide_id=target.bioguide_id,
                                  submission_key=secrets.token_urlsafe(24))
        kind = call_kind(target.bioguide_id, signed)
        values = merge_values(alert, supporter, lookup=lookup, target=target)
        cards.append({"member": target, "form": form, "report": reports.get(target.bioguide_id),
                      "signed": kind == "thank", "script": _script(alert, values, kind),
                      "email": emails.get(target.bioguide_id)})
    # One email per office: the form is offered for the offices not emailed yet, as far as
    # this browser may know (an unproven one never learns what another browser sent).
    to_email = [target for target in targets if target.bioguide_id not in emails] \
        if "email" in alert.channels else []
    email_form = None
    if to_email:
        email_form = failed_email_form or _email_form(alert, supporter, lookup, to_email)
    signature = signature_form = None
    if "signon" in alert.channels:
        signature = signature_visible(alert, submission)
        if not signature:
            signature_form = failed_signature_form or _signature_form(supporter)
    # A letter-only alert asks for a signature, not calls: the members are listed, no cards.
    calls = bool({"call", "email"} & set(alert.channels))
    matched = any(card["form"] is failed_form for card in cards)
    return {
        "alert": alert, "supporter": supporter, "offices": offices,
        "office_status": dc_office_status(utcnow()), "email_form": email_form,
        "to_email": to_email, "lookup": lookup, "cards": cards if calls else [],
        "all_done": calls and bool(cards) and all(card["report"] or card["email"]
                                                  for card in cards),
        "stray_form": failed_form if failed_form is not None and not matched else None,
        "signature": signature, "signature_form": signature_form,
        "letter_recipients": [card["member"] for card in cards],
        "letter_text": render_text(alert, "letter_text", {"target_name": "Member of Congress"}),
        "appeal": render_text(alert, "appeal", merge_values(alert, supporter, lookup=lookup)),
        **letter_context(alert),
    }
