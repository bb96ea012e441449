"""Writes of the action page: the supporter who starts, and the calls they report."""

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..alerts.models import Alert
from ..congress.geocoder import Geocoder, GeocoderError
from ..congress.queries import Lookup
from ..core.db import db
from ..core.time import utcnow
from ..delivery.models import Delivery
from ..delivery.operations import enqueue_delivery
from ..supporters.models import Supporter
from ..supporters.operations import record_district, upsert_supporter
from .models import Action
from .queries import offices_not_emailed

log = logging.getLogger(__name__)


def start_action(alert: Alert, lookup: Lookup, *, first_name: str, last_name: str,
                 email: str, phone: str | None = None, opt_in: bool = False) -> Supporter:
    """The supporter who filled in the alert's form, with what the lookup told. Flushes."""
    if len(lookup.districts) == 1:
        district = lookup.districts[0]
        state, number, source = district.state, district.number, "zip-unique"
    elif lookup.found:
        states = lookup.states
        state, number, source = (states[0] if len(states) == 1 else None), None, "zip-ambiguous"
    else:
        # A ZIP with no map area (P.O. boxes): the address step places the supporter.
        state, number, source = None, None, None
    supporter = upsert_supporter(email=email, first_name=first_name, last_name=last_name,
                                 zip_code=lookup.zip_code, state=state, district=number,
                                 district_source=source,
                                 # a blank field keeps the number a returning supporter gave
                                 phone=phone or None)
    if opt_in and not supporter.is_subscribed:
        # The only way back after unsubscribing: a new, explicit opt-in.
        supporter.is_subscribed = True
        supporter.subscribed_at = utcnow()
        supporter.unsubscribed_at = None
    return supporter


def resolve_by_address(supporter: Supporter, lookup: Lookup, geocoder: Geocoder, *,
                       street: str, city: str | None) -> str | None:
    """Place the supporter by street address; None when done, else why not (for the page).

    The answer must be one of the ZIP's districts (when the ZIP has any): an address in
    another ZIP is more likely a typo than a move. Flushes.
    """
    address = ", ".join(part for part in (street, city, f"{supporter.state or ''} "
                                          f"{supporter.zip_code}".strip()) if part)
    try:
        match = geocoder.locate(address)
    except GeocoderError as error:
        log.warning("geocoder failed for supporter %s: %s", supporter.id, error)
        return ("We couldn't look up your address just now. Please pick your representative "
                "below.")
    if match is None:
        return ("We couldn't find that address. Please check it, or pick your representative "
                "below.")
    if lookup.found and match.district not in lookup.districts:
        return (f"That address lies in {match.district.label}, which isn't part of ZIP "
                f"{supporter.zip_code}. Please check the address, or pick your representative "
                "below.")
    record_district(supporter, match.district, "geocoder", street=street,
                    city=city or (match.city.title() if match.city else None),
                    latitude=match.latitude, longitude=match.longitude)
    return None


def confirmation_key(alert_id: int, supporter_id: int) -> str:
    return f"confirmation:{alert_id}:{supporter_id}"


def record_call(alert: Alert, supporter: Supporter, *, bioguide_id: str, outcome: str,
                note: str | None, submission_key: str, kind: str = "call",
                referral_code: str | None = None) -> tuple[Action, Delivery, bool]:
    """Store a call report once per submission key, and the supporter's confirmation email.

    Returns the action, the confirmation delivery, and whether the action is new (a resent
    form finds the first one). Flushes.
    """
    existing = db.session.scalars(
        select(Action).where(Action.submission_key == submission_key)
    ).first()
    created = existing is None
    action = existing
    if action is None:
        action = Action(alert_id=alert.id, supporter_id=supporter.id, bioguide_id=bioguide_id,
                        kind=kind, outcome=outcome, note=note or None,
                        submission_key=submission_key, referral_code=referral_code)
        try:
            with db.session.begin_nested():
                db.session.add(action)
        except IntegrityError:
            created = False
            action = db.session.scalars(
                select(Action).where(Action.submission_key == submission_key)
            ).one()
    delivery = enqueue_delivery(key=confirmation_key(alert.id, supporter.id),
                                kind="confirmation", alert_id=alert.id,
                                supporter_id=supporter.id)
    if created:
        log.info("call reported: alert %s, supporter %s, %s", alert.id, supporter.id, outcome)
    return action, delivery, created


def record_signature(alert: Alert, supporter: Supporter, *, submission_key: str,
                     city: str | None = None,
                     referral_code: str | None = None) -> tuple[Action, Delivery, bool]:
    """The supporter's name on the alert's letter: once per supporter, whatever is resent.

    A returning supporter (or a second click) finds their first signature; a city given now
    updates the supporter, since the letter shows where each signer lives. Returns the
    signature, the confirmation delivery, and whether the signature is new. Flushes.
    """
    if city:
        supporter.city = city
    action = signature_of(alert, supporter)
    created = action is None
    # The form's key, or, should a forged form reuse another action's key, one of our own.
    for key in (submission_key, f"signon:{alert.id}:{supporter.id}"):
        if action is not None:
            break
        try:
            with db.session.begin_nested():
                action = Action(alert_id=alert.id, supporter_id=supporter.id, kind="signon",
                                submission_key=key, referral_code=referral_code)
                db.session.add(action)
        except IntegrityError:
            # Another request of the same supporter signed first (the unique index says so).
            action = signature_of(alert, supporter)
            created = False if action is not None else created
    if action is None:  # pragma: no cover - both keys taken and still no signature
        raise RuntimeError(f"could not store the signature of supporter {supporter.id}")
    delivery = enqueue_delivery(key=confirmation_key(alert.id, supporter.id),
                                kind="confirmation", alert_id=alert.id,
                                supporter_id=supporter.id)
    if created:
        log.info("letter signed: alert %s, supporter %s", alert.id, supporter.id)
    return action, delivery, created


def signature_of(alert: Alert, supporter: Supporter) -> Action | None:
    return db.session.scalars(select(Action).where(
        Action.alert_id == alert.id, Action.supporter_id == supporter.id,
        Action.kind == "signon")).first()


def record_email(alert: Alert, supporter: Supporter, targets: list, *, cwc_offices,
                 prefix: str, street: str, city: str, phone: str | None, subject: str,
                 body: str, submission_key: str) -> tuple[list[Action], list[Delivery]]:
    """One email action per target not emailed before, and for those Congress's system takes,
    a delivery in the outbox — all in the caller's transaction.

    One email per supporter, office and alert: offices this supporter already emailed are
    skipped, whatever the form sent again (the unique index holds the rule when two requests
    race). `cwc_offices(target)` says whether a target gets the message through CWC; the
    others get it through their contact form. Returns the new actions only. Flushes.
    """
    supporter.prefix, supporter.street, supporter.city = prefix, street, city
    if phone:
        supporter.phone = phone
    actions, deliveries = [], []
    for target in offices_not_emailed(alert, supporter, targets):
        target_name = f"{target.title} {target.display_name}"
        by_cwc = cwc_offices(target)
        action = Action(alert_id=alert.id, supporter_id=supporter.id,
                        bioguide_id=target.bioguide_id, kind="email",
                        submission_key=f"{submission_key}:{target.bioguide_id}",
                        channel="cwc" if by_cwc else "contact_form",
                        status="queued" if by_cwc else "contact_form",
                        message_subject=subject.replace("[[Target_Name]]", target_name),
                        message_body=body.replace("[[Target_Name]]", target_name))
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
