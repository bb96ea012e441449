"""The public action page: /a/<slug>."""

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from markupsafe import Markup

from ..alerts.models import Alert
from ..alerts.personalize import merge_values, render_text
from ..alerts.queries import get_alert_by_slug
from ..alerts.targets import needs_district, select_targets
from ..congress.geocoder import geocoder_from_config
from ..congress.queries import District, lookup_zip, normalize_zip
from ..core.db import db
from ..core.ratelimit import hit, limit_key
from ..core.time import utcnow
from ..delivery.models import PENDING
from ..delivery.routing import cwc_offices, goes_through_cwc
from ..delivery.tasks import queue_deliveries
from ..signons.queries import signed_member_ids
from ..supporters.models import Supporter
from ..supporters.operations import record_district
from ..supporters.proof import is_proven, remember_proof
from ..supporters.referrals import ensure_referral_code, valid_code
from ..supporters.tokens import read_personal_token
from ..text.markdown import compile_markdown
from .forms import (
    ActionForm,
    AddressForm,
    CallReportForm,
    DistrictChoiceForm,
    EmailForm,
    SignatureForm,
)
from .models import CALL_OUTCOMES
from .office_hours import dc_office_status
from .operations import (
    record_call,
    record_email,
    record_signature,
    resolve_by_address,
    start_action,
    target_name,
)
from .queries import (
    emails_sent,
    recent_signers,
    reported_targets,
    signature_count,
    signature_visible,
)
from .sharing import share_links
from .targets import skipped_signers, supporter_lookup
from .visitor import current_submission, known_profile, remember_submission

bp = Blueprint("actions", __name__)

#: The session remembers, per alert, whose share link brought this browser here.
REFERRAL_KEY = "referred_by"


@bp.before_request
def _limit_posts():
    """Public POSTs per IP address: generous for a campus or an office, short for a flood."""
    if request.method != "POST":
        return None
    config = current_app.config
    key = limit_key("action-ip", request.remote_addr or "unknown")
    if hit(key, config["ACTION_LIMIT_PER_IP"], config["ACTION_LIMIT_WINDOW"]):
        abort(429)
    db.session.commit()
    return None


def _live_alert(slug: str) -> Alert:
    alert = get_alert_by_slug(slug)
    if alert is None or alert.status == "draft":
        abort(404)
    return alert


def _remember_referral(alert: Alert) -> None:
    code = valid_code(request.args.get("r"))
    if code:
        referred = dict(session.get(REFERRAL_KEY, {}))
        referred[str(alert.id)] = code
        session[REFERRAL_KEY] = referred


def referral_for(alert: Alert, supporter: Supporter) -> str | None:
    """The code of whoever sent this browser here — never the supporter's own."""
    code = session.get(REFERRAL_KEY, {}).get(str(alert.id))
    return code if code and code != supporter.referral_code else None


def _supporter_from_link() -> Supporter | None:
    """The supporter named by a personal link (?t=…); a forged or expired one is ignored."""
    supporter_id = read_personal_token(request.args.get("t"))
    supporter = db.session.get(Supporter, supporter_id) if supporter_id else None
    # An erased supporter's old emails still carry links: they greet no one.
    return supporter if supporter is not None and supporter.erased_at is None else None


@bp.route("/a/<slug>", methods=["GET", "POST"])
def alert_page(slug):
    alert = _live_alert(slug)
    _remember_referral(alert)
    link = _supporter_from_link() if request.method == "GET" else None
    if link is not None:
        remember_proof(link)
    known = known_profile(alert, link)
    form = ActionForm(data={"first_name": known.first_name, "last_name": known.last_name,
                            "email": known.email, "zip_code": known.zip_code}
                      if known else None)
    if alert.is_live and form.validate_on_submit():
        lookup = lookup_zip(normalize_zip(form.zip_code.data))
        signed = skipped_signers(alert)
        if not lookup.found and geocoder_from_config(current_app.config) is None:
            form.zip_code.errors.append(
                f"We couldn't find ZIP code {lookup.zip_code}. Please check it — if it's a "
                "P.O. box ZIP, use the ZIP code of your home address."
            )
        elif lookup.found and not select_targets(alert, lookup, signed):
            form.zip_code.errors.append(_nobody_to_contact(lookup))
        else:
            submission = start_action(
                alert, lookup, first_name=form.first_name.data, last_name=form.last_name.data,
                email=form.email.data, phone=form.phone.data or None, opt_in=form.opt_in.data,
                is_proven=is_proven(form.email.data), previous=current_submission(alert))
            step = ".district_page" if needs_district(alert, lookup, signed) else ".call_page"
            remember_submission(alert, submission)
            target = url_for(step, slug=alert.slug)
            db.session.commit()
            return redirect(target)
    status = 422 if form.errors else 200
    values = merge_values(alert, known)
    return render_template("actions/alert.html", alert=alert, form=form,
                           appeal=render_text(alert, "appeal", values),
                           **_letter_context(alert)), status


def _letter_context(alert: Alert) -> dict:
    """The letter's live count, and its public list when the organizer chose to show one."""
    if "signon" not in alert.channels:
        return {"signatures": None, "signers": []}
    return {"signatures": signature_count(alert.id),
            "signers": recent_signers(alert.id) if alert.public_signer_list != "off" else []}


def _nobody_to_contact(lookup) -> str:
    if lookup.has_no_senators:
        return (f"People in {', '.join(lookup.states)} are represented in Congress by a "
                "delegate and have no U.S. senators, so this alert has no one for you to "
                "contact. Thank you for checking!")
    return "This alert has no one to contact for your ZIP code. Thank you for checking!"


@bp.route("/a/<slug>/district", methods=["GET", "POST"])
def district_page(slug):
    """The second step for a ZIP that spans districts (or has none): where do you live?"""
    alert = _live_alert(slug)
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
    alert = _live_alert(slug)
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


@bp.get("/a/<slug>/call")
def call_page(slug):
    alert = _live_alert(slug)
    submission = current_submission(alert)
    if submission is None:
        return redirect(url_for(".alert_page", slug=alert.slug))
    return _render_call_page(alert, submission)


DEFAULT_THANK_SCRIPT = ("Hello, my name is [[First_Name]] and I'm a constituent from [[Zip]]. "
                        "I'm calling to thank [[Target_Name]] for signing the letter.")


def _thank_script(alert, values):
    """Members who signed are thanked, not urged (the organizer's text, or a plain one)."""
    if alert.thank_script.strip():
        return render_text(alert, "thank_script", values)
    return Markup(compile_markdown(DEFAULT_THANK_SCRIPT).render(values))  # noqa: S704


def _email_routes(alert, supporter, targets) -> dict[str, bool]:
    """Per target, whether the email goes through CWC (else the office's contact form)."""
    offices = cwc_offices()
    return {t.bioguide_id: goes_through_cwc(alert, supporter, t, offices) for t in targets}


def _email_rules(alert, targets, routes) -> dict:
    """The email form's limits: CWC's when any target gets the message through CWC."""
    return {"max_length": alert.email_max_length,
            "through_cwc": any((routes or {}).values()),
            "longest_target_name": max((len(target_name(t)) for t in targets), default=0)}


def _email_form(alert, supporter, lookup, formdata=None, *, targets=(),
                routes=None) -> EmailForm:
    """The suggested email, filled in for the supporter; [[Target_Name]] stays, to become
    each member's name when it is sent."""
    values = merge_values(alert, supporter, lookup=lookup)
    values["target_name"] = "[[Target_Name]]"
    return EmailForm(formdata=formdata, **_email_rules(alert, targets, routes), data={
        "prefix": supporter.prefix, "street": supporter.street, "city": supporter.city,
        "phone": supporter.phone,
        "subject": render_text(alert, "email_subject", values),
        "body": render_text(alert, "email_body", values),
        "submission_key": secrets.token_urlsafe(24)})


def _signature_form(supporter, formdata=None) -> SignatureForm:
    return SignatureForm(formdata=formdata, data={
        "city": supporter.city, "submission_key": secrets.token_urlsafe(24)})


def _render_call_page(alert, submission, failed_form=None, status=200,
                      failed_email_form=None, failed_signature_form=None):
    supporter = submission.profile  # what this browser may see
    lookup = supporter_lookup(supporter)
    signed = signed_member_ids(alert.id)
    if needs_district(alert, lookup, signed):
        return redirect(url_for(".district_page", slug=alert.slug))
    targets = select_targets(alert, lookup, signed)
    # A district office as a second number, per member.
    offices = {t.bioguide_id: t.nearest_office(zip_code=supporter.zip_code, city=supporter.city,
                                               latitude=supporter.latitude,
                                               longitude=supporter.longitude)
               for t in targets}
    reports = reported_targets(alert, submission)
    cards = []
    for target in targets:
        if failed_form is not None and failed_form.bioguide_id.data == target.bioguide_id:
            form = failed_form
        else:
            form = CallReportForm(formdata=None, bioguide_id=target.bioguide_id,
                                  submission_key=secrets.token_urlsafe(24))
        values = merge_values(alert, supporter, lookup=lookup, target=target)
        has_signed = target.bioguide_id in signed
        cards.append({"member": target, "form": form, "report": reports.get(target.bioguide_id),
                      "signed": has_signed,
                      "script": _thank_script(alert, values) if has_signed
                      else render_text(alert, "call_script", values)})
    values = merge_values(alert, supporter, lookup=lookup)
    emails = emails_sent(alert, submission)
    for card in cards:
        card["email"] = emails.get(card["member"].bioguide_id)
    # One email per office: the form is offered for the offices not emailed yet, as far as
    # this browser may know (an unproven one never learns what another browser sent).
    to_email = [target for target in targets if target.bioguide_id not in emails] \
        if "email" in alert.channels else []
    email_form = None
    if to_email:
        email_form = failed_email_form or _email_form(
            alert, supporter, lookup, targets=to_email,
            routes=_email_routes(alert, supporter, to_email))
    signature = signature_form = None
    if "signon" in alert.channels:
        signature = signature_visible(alert, submission)
        if not signature:
            signature_form = failed_signature_form or _signature_form(supporter)
    # A letter-only alert asks for a signature, not calls: the members are listed, no cards.
    calls = bool({"call", "email"} & set(alert.channels))
    all_done = calls and bool(cards) and all(card["report"] or card["email"] for card in cards)
    matched = any(card["form"] is failed_form for card in cards)
    stray_form = failed_form if failed_form is not None and not matched else None
    return render_template("actions/call.html", alert=alert, supporter=supporter, offices=offices,
                           office_status=dc_office_status(utcnow()), email_form=email_form,
                           to_email=to_email,
                           lookup=lookup, cards=cards if calls else [], all_done=all_done,
                           stray_form=stray_form, signature=signature,
                           signature_form=signature_form,
                           letter_recipients=[card["member"] for card in cards],
                           letter_text=render_text(alert, "letter_text",
                                                   {"target_name": "Member of Congress"}),
                           appeal=render_text(alert, "appeal", values),
                           **_letter_context(alert)), status


@bp.post("/a/<slug>/call")
def report_call(slug):
    alert = _live_alert(slug)
    submission = current_submission(alert)
    if submission is None:
        flash("Please fill in the form first, so we know who your members of Congress are.")
        return redirect(url_for(".alert_page", slug=alert.slug))
    supporter = submission.profile
    form = CallReportForm()
    targets = {t.bioguide_id: t for t in select_targets(alert, supporter_lookup(supporter),
                                                        skipped_signers(alert))}
    if not alert.is_live:
        flash("This alert has closed. Thank you for caring!")
        return redirect(url_for(".alert_page", slug=alert.slug))
    if not form.validate_on_submit() or form.bioguide_id.data not in targets:
        if form.bioguide_id.data not in targets and not form.bioguide_id.errors:
            form.bioguide_id.errors.append("That member is not one of your targets.")
        return _render_call_page(alert, submission, failed_form=form, status=422)
    kind = "thank" if form.bioguide_id.data in signed_member_ids(alert.id) else "call"
    action, delivery, _ = record_call(
        alert, submission, bioguide_id=form.bioguide_id.data, outcome=form.outcome.data,
        kind=kind,
        note=form.note.data, submission_key=form.submission_key.data,
        referral_code=referral_for(alert, submission.supporter),
    )
    # What the response needs, read before the commit expires it (no reloading after).
    to_queue = [delivery.id] if delivery.status == PENDING else []
    done = (f"Thank you! We recorded your call to "
            f"{targets[action.bioguide_id].display_name}: "
            f"{CALL_OUTCOMES[action.outcome].lower()}.")
    next_page = url_for(".call_page", slug=alert.slug)
    db.session.commit()
    queue_deliveries(to_queue)
    flash(done)
    return redirect(next_page)


@bp.post("/a/<slug>/email")
def send_email(slug):
    alert = _live_alert(slug)
    submission = current_submission(alert)
    if submission is None or "email" not in alert.channels or not alert.is_live:
        flash("Please fill in the form first, so we know who your members of Congress are.")
        return redirect(url_for(".alert_page", slug=alert.slug))
    supporter = submission.profile
    lookup = supporter_lookup(supporter)
    targets = select_targets(alert, lookup, skipped_signers(alert))
    routes = _email_routes(alert, supporter, targets)
    # The rules of the form the page showed: for the offices this browser has not written to.
    emails = emails_sent(alert, submission)
    form = EmailForm(**_email_rules(
        alert, [t for t in targets if t.bioguide_id not in emails], routes))
    if not form.validate_on_submit():
        return _render_call_page(alert, submission, failed_email_form=form, status=422)
    suggested = _email_form(alert, supporter, lookup)
    subject, body = form.subject.data, form.body.data
    if not alert.is_email_editable:  # the organizer's words, whatever was posted
        subject, body = suggested.subject.data, suggested.body.data
    sent, deliveries = record_email(
        alert, submission, targets, cwc_offices=lambda t: routes[t.bioguide_id],
        prefix=form.prefix.data or None, street=form.street.data, city=form.city.data,
        phone=form.phone.data or None, subject=subject, body=body,
        suggested_body=suggested.body.data,
        is_response_requested=form.is_response_requested.data,
        is_newsletter_opt_in=form.is_newsletter_opt_in.data,
        submission_key=form.submission_key.data)
    db.session.commit()
    queue_deliveries([d.id for d in deliveries if d.status == PENDING])
    if not sent and all(t.bioguide_id in emails_sent(alert, submission) for t in targets):
        flash("You have already written to each of these offices. Thank you!")
    elif not sent:
        # Another browser wrote for this email already: this one is told nothing of it.
        flash("Thank you! We have your message.")
    else:
        flash("Thank you! Your email is on its way." if any(
            d.kind == "congress_email" for d in deliveries) else
            "Thank you! Now send your message through each office's contact form below.")
    return redirect(url_for(".call_page", slug=alert.slug) + "#emails")


@bp.post("/a/<slug>/sign")
def sign_letter(slug):
    """'Add your name to the letter': one signature per supporter, however often it is sent."""
    alert = _live_alert(slug)
    submission = current_submission(alert)
    if submission is None or "signon" not in alert.channels:
        flash("Please fill in the form first, so we know who your members of Congress are.")
        return redirect(url_for(".alert_page", slug=alert.slug))
    if not alert.is_live:
        flash("This alert has closed. Thank you for caring!")
        return redirect(url_for(".alert_page", slug=alert.slug))
    form = SignatureForm()
    if not form.validate_on_submit():
        return _render_call_page(alert, submission, failed_signature_form=form, status=422)
    _, delivery, created = record_signature(
        alert, submission, submission_key=form.submission_key.data, city=form.city.data or None,
        referral_code=referral_for(alert, submission.supporter))
    db.session.commit()
    if delivery.status == PENDING:
        queue_deliveries([delivery.id])
    flash("Thank you! Your name is on the letter." if created
          else "You have already signed the letter. Thank you!")
    if not {"call", "email"} & set(alert.channels):
        return redirect(url_for(".thanks_page", slug=alert.slug))
    return redirect(url_for(".call_page", slug=alert.slug) + "#letter")


@bp.get("/a/<slug>/thanks")
def thanks_page(slug):
    alert = _live_alert(slug)
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
                           thanks=thanks, shares=shares)
