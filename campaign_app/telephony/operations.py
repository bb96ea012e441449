"""Writes of telephony: a call requested within the limits, a caller placed by ZIP, each leg
recorded as a call action (once, however often the provider posts), the provider's status."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..actions.office_hours import dc_office_status
from ..actions.operations import confirmation_key, record_connected_call
from ..alerts.models import Alert
from ..congress.index import District, Member
from ..core.db import db
from ..core.ratelimit import hit, limit_key
from ..delivery.models import Delivery
from ..delivery.operations import enqueue_delivery
from ..mailings.quiet_hours import DEFAULT_TIME_ZONE, QUIET_END, QUIET_START, STATE_TIME_ZONES
from ..supporters.models import Submission, Supporter
from .models import (
    FINAL_STATUSES,
    KEYPAD_OUTCOMES,
    UNANSWERED_OUTCOMES,
    BlockedNumber,
    CallLeg,
    PhoneCall,
)

log = logging.getLogger(__name__)

#: Where a +1 number may be: the U.S. and its territories (not Canada, not the Caribbean).
US_REGIONS = frozenset({"US", "PR", "GU", "VI", "AS", "MP"})


class CallRefused(Exception):
    """Alerta will not place or connect this call; the message says why, to the supporter."""


def us_phone(raw: str | None) -> str | None:
    """The number in E.164 when it is a valid U.S. number, else None."""
    if not raw or len(raw) > 30:
        return None
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or \
            phonenumbers.region_code_for_number(number) not in US_REGIONS:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_waking_hours(state: str | None, now: datetime) -> bool:
    """08:00 to 21:00 where the supporter lives (the mailings' quiet hours, reversed)."""
    local = now.astimezone(ZoneInfo(STATE_TIME_ZONES.get(state or "", DEFAULT_TIME_ZONE)))
    return QUIET_END <= local.time() < QUIET_START


def check_limits(alert: Alert, phone: str, *, now: datetime, ip: str | None = None,
                 state: str | None = None, started_by_supporter: bool = True) -> None:
    """Raise CallRefused when the block list or a cost limit forbids calling `phone`."""
    config = current_app.config
    if db.session.scalar(select(BlockedNumber.id).where(BlockedNumber.phone == phone)):
        raise CallRefused(_("We can't place calls to this number. Please call the offices "
                            "below yourself."))
    if not started_by_supporter and not is_waking_hours(state, now):
        raise CallRefused(_("We only call between 8 AM and 9 PM your time."))
    per_phone = db.session.scalar(select(func.count(PhoneCall.id)).where(
        PhoneCall.phone == phone, PhoneCall.alert_id == alert.id,
        PhoneCall.created_at >= now - timedelta(days=1)))
    if per_phone >= config["CALL_LIMIT_PER_PHONE_PER_DAY"]:
        raise CallRefused(_("This number has had %(count)s calls for this alert today, the "
                            "most we place. Please call the offices below yourself.",
                            count=per_phone))
    per_alert = db.session.scalar(select(func.count(PhoneCall.id)).where(
        PhoneCall.alert_id == alert.id, PhoneCall.created_at >= now - timedelta(hours=1)))
    if per_alert >= config["CALL_LIMIT_PER_ALERT_PER_HOUR"]:
        raise CallRefused(_("We are placing too many calls right now. Please try again in an "
                            "hour, or call the offices below yourself."))
    if ip is not None and hit(limit_key("call-ip", ip), config["CALL_LIMIT_PER_IP_PER_HOUR"],
                              3600):
        raise CallRefused(_("Too many calls were requested from your connection. Please try "
                            "again later, or call the offices below yourself."))


def request_call(alert: Alert, submission: Submission, raw_phone: str, *, now: datetime,
                 ip: str | None, language: str) -> PhoneCall:
    """'Call me': a call to place, within the limits. Raises CallRefused. Flushes."""
    supporter = submission.supporter
    phone = us_phone(raw_phone)
    if phone is None:
        raise CallRefused(_("Please enter a valid U.S. phone number. We can only call numbers "
                            "in the United States."))
    check_limits(alert, phone, now=now, ip=ip, state=supporter.state)
    call = PhoneCall(alert_id=alert.id, supporter_id=supporter.id, submission_id=submission.id,
                     direction="outbound", phone=phone, language=language, created_at=now)
    db.session.add(call)
    db.session.flush()
    log.info("call requested: alert %s, supporter %s, call %s", alert.id, supporter.id,
             call.id)
    return call


def mark_placed(call: PhoneCall, call_sid: str | None, error: str | None = None) -> None:
    """The provider took the call (its id), or refused it (why)."""
    if error is not None:
        call.status, call.error = "failed", error[:300]
    elif call.call_sid is None:
        call.call_sid = call_sid


def verified_supporter_id(phone: str) -> int | None:
    """The supporter whose number this is, proven by a call Alerta placed and they accepted."""
    return db.session.scalar(select(PhoneCall.supporter_id).where(
        PhoneCall.phone == phone, PhoneCall.direction == "outbound",
        PhoneCall.is_consented.is_(True)).order_by(PhoneCall.id.desc()).limit(1))


def answer_incoming(alert: Alert, call_sid: str, raw_phone: str, *, now: datetime
                    ) -> PhoneCall:
    """A call to the organization's number, once per call id (the provider may ask twice).
    Raises CallRefused for a blocked, foreign or over-limit number. Flushes."""
    existing = db.session.scalar(select(PhoneCall).where(PhoneCall.call_sid == call_sid))
    if existing is not None:
        return existing
    phone = us_phone(raw_phone)
    if phone is None:
        raise CallRefused(_("Sorry, we can only connect callers from the United States."))
    check_limits(alert, phone, now=now)
    supporter_id = verified_supporter_id(phone)
    supporter = db.session.get(Supporter, supporter_id) if supporter_id else None
    call = PhoneCall(alert_id=alert.id, supporter_id=supporter_id, direction="inbound",
                     phone=phone, call_sid=call_sid, status="in-progress", created_at=now,
                     language=(supporter.language if supporter else None) or "en")
    db.session.add(call)
    db.session.flush()
    return call


def place_caller(call: PhoneCall, zip_code: str, district: District | None) -> None:
    call.zip_code = zip_code
    if district is not None:
        call.state, call.district = district.state, district.number


def consent(call: PhoneCall) -> None:
    call.is_consented = True


def office_to_dial(member: Member, now: datetime, *, zip_code: str | None = None,
                   latitude: float | None = None, longitude: float | None = None
                   ) -> tuple[str, str] | None:
    """(number, 'dc' or 'district'): the Washington office while it answers (the call page's
    rule), else the district office nearest the supporter; None when the member has neither."""
    if dc_office_status(now).is_open and member.phone:
        return us_phone(member.phone) or member.phone, "dc"
    office = member.nearest_office(zip_code=zip_code, latitude=latitude, longitude=longitude)
    if office is not None and office.phone:
        return us_phone(office.phone) or office.phone, "district"
    if member.phone:  # no district office: the Washington voicemail still counts
        return us_phone(member.phone) or member.phone, "dc"
    return None


def record_leg(call: PhoneCall, position: int, member: Member, *, number: str, office: str,
               dial_status: str, duration_seconds: int, dial_call_sid: str | None
               ) -> tuple[CallLeg, bool]:
    """One office dialed, as the provider reports it: once per (call, position); the call
    action of a matched supporter with it. Returns the leg and whether it is new. Flushes."""
    leg = db.session.scalar(select(CallLeg).where(CallLeg.phone_call_id == call.id,
                                                  CallLeg.position == position))
    if leg is not None:
        return leg, False
    action = None
    if call.supporter_id is not None:
        alert = db.session.get(Alert, call.alert_id)
        action = record_connected_call(
            alert, call.supporter_id, bioguide_id=member.bioguide_id,
            outcome=UNANSWERED_OUTCOMES.get(dial_status), key=f"phone:{call.id}:{position}",
            language=call.language, submission_id=call.submission_id)
    leg = CallLeg(phone_call_id=call.id, position=position, bioguide_id=member.bioguide_id,
                  number=number, office=office, dial_call_sid=dial_call_sid,
                  provider_outcome=dial_status, duration_seconds=max(duration_seconds, 0),
                  action_id=action.id if action else None)
    db.session.add(leg)
    db.session.flush()
    return leg, True


def record_keypad_outcome(leg: CallLeg, digit: str) -> None:
    """1 talked to staff, 2 left a voicemail, 3 busy or full: the action's outcome."""
    if digit not in KEYPAD_OUTCOMES:
        return
    leg.keypad_outcome = digit
    if leg.action is not None:
        leg.action.outcome = KEYPAD_OUTCOMES[digit]


def record_status(call: PhoneCall, status: str, duration_seconds: int | None, *,
                  now: datetime) -> bool:
    """The provider's status callback; a final status is recorded once (a repeat changes
    nothing). Returns whether anything changed."""
    if call.ended_at is not None or status == call.status:
        return False
    call.status = status[:20]
    if status in FINAL_STATUSES:
        call.ended_at = now
        call.duration_seconds = duration_seconds
    return True


def confirm_call(call: PhoneCall) -> Delivery | None:
    """The supporter's confirmation email once their call ended, listing what they did (the
    same one a reported call queues: one per supporter and alert). Flushes."""
    if call.supporter_id is None or not any(leg.action_id for leg in call.legs):
        return None
    return enqueue_delivery(key=confirmation_key(call.alert_id, call.supporter_id),
                            kind="confirmation", alert_id=call.alert_id,
                            supporter_id=call.supporter_id)


def block_number(raw_phone: str, reason: str | None, user_id: int | None) -> BlockedNumber:
    """Add a number to the block list (once). Raises CallRefused for a number we can't read."""
    phone = us_phone(raw_phone)
    if phone is None:
        raise CallRefused(_("Please enter a valid U.S. phone number."))
    blocked = db.session.scalar(select(BlockedNumber).where(BlockedNumber.phone == phone))
    if blocked is None:
        blocked = BlockedNumber(phone=phone, reason=reason or None, created_by_id=user_id)
        db.session.add(blocked)
        db.session.flush()
    return blocked


def unblock_number(blocked_id: int) -> None:
    blocked = db.session.get(BlockedNumber, blocked_id)
    if blocked is not None:
        db.session.delete(blocked)
        db.session.flush()
