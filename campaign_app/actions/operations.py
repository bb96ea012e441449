"""Writes of the action page: the supporter who starts, and the calls they report."""

import logging
from collections.abc import Collection

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..alerts.models import Alert
from ..alerts.translations import current_language
from ..congress.geocoder import Geocoder, GeocoderError
from ..congress.queries import Lookup
from ..core.db import db, insert_unless_taken
from ..core.time import utcnow
from ..delivery.models import Delivery
from ..delivery.operations import enqueue_delivery
from ..delivery.routing import email_routes
from ..supporters.models import Submission, Supporter
from ..supporters.operations import record_district, record_submission, update_submission
from .emails import fill_in_target, suggested_email
from .models import Action
from .queries import offices_not_emailed
from .targets import call_kind, signed_members, supporter_lookup

log = logging.getLogger(__name__)


def zip_place(lookup: Lookup) -> tuple[str | None, int | None, str | None]:
    """(state, district, district_source) that a ZIP alone tells, as a supporter is stored
    from it: the district when the ZIP has one, the state when all its districts share one."""
    if len(lookup.districts) == 1:
        district = lookup.districts[0]
        return district.state, district.number, "zip-unique"
    if lookup.found:
        states = lookup.states
        return (states[0] if len(states) == 1 else None), None, "zip-ambiguous"
    # A ZIP with no map area (P.O. boxes): the address step places the supporter.
    return None, None, None


def start_action(alert: Alert, lookup: Lookup, *, first_name: str, last_name: str,
                 email: str, phone: str | None = None, opt_in: bool = False,
                 is_proven: bool = False, previous: Submission | None = None,
                 source_code: str | None = None) -> Submission:
    """The alert's form, submitted: what the lookup told and the browser typed, kept as
    submitted, and the supporter found or created by the rule (`record_submission`): only a
    proven browser (`is_proven`: a personal link) replaces what is stored. Flushes."""
    state, number, source = zip_place(lookup)
    # The language of the page is the supporter's from now on (later emails are in it); an
    # unproven browser only fills a language never chosen, as it fills an empty field. The
    # first source counts: a later visit through another link keeps the first.
    language = current_language()
    submission = record_submission(
        alert.id, email=email, first_name=first_name, last_name=last_name,
        zip_code=lookup.zip_code, state=state, district=number, district_source=source,
        phone=phone, is_opt_in=opt_in, is_proven=is_proven, previous=previous,
        created_with={"language": language, "source_code": source_code},
        source_code=source_code)
    supporter = submission.supporter
    if is_proven or submission.is_new_supporter or supporter.language is None:
        supporter.language = language  # a supporter just created has it already: no UPDATE
    return submission


def resolve_by_address(submission: Submission, lookup: Lookup, geocoder: Geocoder, *,
                       street: str, city: str | None) -> str | None:
    """Place the browser's supporter by street address; None when done, else why not.

    The answer must be one of the ZIP's districts (when the ZIP has any): an address in
    another ZIP is more likely a typo than a move. Flushes.
    """
    address = ", ".join(part for part in (street, city, f"{submission.state or ''} "
                                          f"{submission.zip_code}".strip()) if part)
    try:
        match = geocoder.locate(address)
    except GeocoderError as error:
        log.warning("geocoder failed for submission %s: %s", submission.id, error)
        return _("We couldn't look up your address just now. Please pick your representative "
                 "below.")
    if match is None:
        return _("We couldn't find that address. Please check it, or pick your representative "
                 "below.")
    if lookup.found and match.district not in lookup.districts:
        return _("That address lies in %(district)s, which isn't part of ZIP %(zip)s. Please "
                 "check the address, or pick your representative below.",
                 district=match.district.label, zip=submission.zip_code)
    record_district(submission, match.district, "geocoder", street=street,
                    city=city or (match.city.title() if match.city else None),
                    latitude=match.latitude, longitude=match.longitude)
    return None


def confirmation_key(alert_id: int, supporter_id: int) -> str:
    return f"confirmation:{alert_id}:{supporter_id}"


def record_call(alert: Alert, submission: Submission, *, bioguide_id: str, outcome: str,
                note: str | None, submission_key: str, signed: Collection[str] = (),
                referral_code: str | None = None) -> tuple[Action, Delivery, bool]:
    """Store a call report once per submission key, and the supporter's confirmation email.
    A call to a member in `signed` (who signed the letter) is a thank-you (`call_kind`).

    Returns the action, the confirmation delivery, and whether the action is new (a resent
    form finds the first one). Flushes.
    """
    supporter_id = submission.supporter_id
    # Insert first: a resent form is rare, so most reports take one statement, not two.
    action = insert_unless_taken(Action, {
        "alert_id": alert.id, "supporter_id": supporter_id, "language": current_language(),
        "bioguide_id": bioguide_id, "kind": call_kind(bioguide_id, signed),
        "outcome": outcome, "note": note or None, "submission_key": submission_key,
        "referral_code": referral_code, "source_code": submission.source_code,
        "submission_id": submission.id}, Action.submission_key)
    created = action is not None
    if not created:  # the same form sent again (or twice at once): the first report stands
        action = db.session.scalars(
            select(Action).where(Action.submission_key == submission_key)).one()
    delivery = enqueue_delivery(key=confirmation_key(alert.id, supporter_id),
                                kind="confirmation", alert_id=alert.id,
                                supporter_id=supporter_id)
    if created:
        log.info("call reported: alert %s, supporter %s, %s", alert.id, supporter_id, outcome)
    return action, delivery, created


def record_connected_call(alert: Alert, supporter_id: int, *, bioguide_id: str,
                          outcome: str | None, key: str, language: str,
                          submission_id: int | None = None) -> Action:
    """A call the provider connected (telephony): recorded as it happens, once per `key`,
    without waiting for the supporter's report. Flushes."""
    action = db.session.scalars(select(Action).where(Action.submission_key == key)).first()
    if action is None:
        action = Action(alert_id=alert.id, supporter_id=supporter_id, language=language,
                        bioguide_id=bioguide_id, outcome=outcome, submission_key=key,
                        submission_id=submission_id,
                        kind=call_kind(bioguide_id, signed_members(alert)))
        db.session.add(action)
        db.session.flush()
        log.info("call connected: alert %s, supporter %s, %s", alert.id, supporter_id, outcome)
    return action


def record_signature(alert: Alert, submission: Submission, *, submission_key: str,
                     city: str | None = None,
                     referral_code: str | None = None) -> tuple[Action, Delivery, bool]:
    """The supporter's name on the alert's letter: once per supporter, whatever is resent.

    A returning supporter (or a second click) finds their first signature; a city given now
    goes with the submission (and to the supporter by the rule), since the letter shows
    where each signer lives. Returns the signature, the confirmation delivery, and whether
    the signature is new to this browser: one that has not proven who it is never learns
    that another browser signed for the same email. Flushes.
    """
    supporter = submission.supporter
    if city:
        update_submission(submission, city=city)
    action = signature_of(alert, supporter)
    created = action is None
    # The form's key, or, should a forged form reuse another action's key, one of our own.
    for key in (submission_key, f"signon:{alert.id}:{supporter.id}"):
        if action is not None:
            break
        try:
            with db.session.begin_nested():
                action = Action(alert_id=alert.id, supporter_id=supporter.id,
                                language=current_language(), kind="signon",
                                submission_key=key, referral_code=referral_code,
                                source_code=submission.source_code,
                                submission_id=submission.id)
                db.session.add(action)
        except IntegrityError:
            # Another request of the same supporter signed first (the unique index says so).
            action = signature_of(alert, supporter)
            created = False if action is not None else created
    if action is None:  # pragma: no cover - both keys taken and still no signature
        raise RuntimeError(f"could not store the signature of supporter {supporter.id}")
    new_here = created or (not submission.is_proven and submission.signed_at is None)
    submission.signed_at = submission.signed_at or utcnow()
    delivery = enqueue_delivery(key=confirmation_key(alert.id, supporter.id),
                                kind="confirmation", alert_id=alert.id,
                                supporter_id=supporter.id)
    db.session.flush()
    if created:
        log.info("letter signed: alert %s, supporter %s", alert.id, supporter.id)
    return action, delivery, new_here


def signature_of(alert: Alert, supporter: Supporter) -> Action | None:
    return db.session.scalars(select(Action).where(
        Action.alert_id == alert.id, Action.supporter_id == supporter.id,
        Action.kind == "signon")).first()


def record_email(alert: Alert, submission: Submission, targets: list, *,
                 prefix: str | None, street: str, city: str, phone: str | None, subject: str,
                 body: str, submission_key: str, is_response_requested: bool = False,
                 is_newsletter_opt_in: bool = False) -> tuple[list[Action], list[Delivery]]:
    """One email action per target not emailed before, and for those Congress's system takes,
    a delivery in the outbox — all in the caller's transaction.

    One email per supporter, office and alert: offices this supporter already emailed are
    skipped, whatever the form sent again (the unique index holds the rule when two requests
    race). Each target gets the message through CWC or its contact form, as
    `delivery.routing` decides. The sender's details go with the submission, and to the
    supporter by the rule. Returns the new actions only.

    When the alert does not let supporters edit the email, the organizer's wording is sent,
    whatever `subject` and `body` say. When the supporter changed it, both are kept, since
    CWC tells the organization's words from the constituent's. Flushes.
    """
    supporter, profile = submission.supporter, submission.profile
    # The wording as this browser was offered it, before its new details reach the profile.
    suggested = suggested_email(alert, profile, supporter_lookup(profile))
    routes = email_routes(alert, profile, targets)
    if not alert.is_email_editable:
        subject, body = suggested.subject, suggested.body
    update_submission(submission, prefix=prefix or None, street=street, city=city,
                      phone=phone or None)
    edited = " ".join(body.split()) != " ".join(suggested.body.split())
    actions, deliveries = [], []
    for target in offices_not_emailed(alert, supporter, targets):
        by_cwc = routes[target.bioguide_id]
        action = Action(alert_id=alert.id, supporter_id=supporter.id,
                        language=current_language(),
                        bioguide_id=target.bioguide_id, kind="email",
                        submission_key=f"{submission_key}:{target.bioguide_id}",
                        submission_id=submission.id, source_code=submission.source_code,
                        channel="cwc" if by_cwc else "contact_form",
                        status="queued" if by_cwc else "contact_form",
                        message_subject=fill_in_target(subject, target),
                        message_body=fill_in_target(body, target),
                        is_message_edited=edited,
                        suggested_body=fill_in_target(suggested.body, target)
                        if edited else None,
                        is_response_requested=is_response_requested,
                        is_newsletter_opt_in=is_newsletter_opt_in)
        try:
            with db.session.begin_nested():
                db.session.add(action)
        except IntegrityError:  # another request of this supporter emailed the office first
            log.info("email to %s already recorded: alert %s, supporter %s",
                     target.bioguide_id, alert.id, supporter.id)
            continue
        actions.append(action)
        if by_cwc:
            deliveries.append(enqueue_delivery(
                key=f"cwc:{action.id}", kind="congress_email", alert_id=alert.id,
                supporter_id=supporter.id, bioguide_id=target.bioguide_id,
                action_id=action.id))
    if actions:
        deliveries.append(enqueue_delivery(key=confirmation_key(alert.id, supporter.id),
                                           kind="confirmation", alert_id=alert.id,
                                           supporter_id=supporter.id))
    log.info("email to %d of %d members: alert %s, supporter %s", len(actions), len(targets),
             alert.id, supporter.id)
    return actions, deliveries
