"""Reads of telephony: a call's targets, the alert that answers the organization's number,
and the minutes each alert used."""

from sqlalchemy import func, select

from ..actions.targets import signed_members, supporter_lookup
from ..alerts.models import Alert
from ..alerts.targets import select_targets
from ..congress.index import District, Member
from ..congress.queries import lookup_zip
from ..core.db import db
from ..supporters.models import Supporter
from .models import BlockedNumber, CallLeg, PhoneCall


def call_targets(call: PhoneCall) -> list[Member]:
    """Whom the call connects to, in order: the supporter's members, or the members of the
    place the caller keyed in."""
    alert = db.session.get(Alert, call.alert_id)
    if call.zip_code is not None:
        district = District(call.state, call.district) if call.state else None
        lookup = lookup_zip(call.zip_code, district)
    else:
        lookup = supporter_lookup(db.session.get(Supporter, call.supporter_id))
    return select_targets(alert, lookup, signed_members(alert))


def call_in_alert() -> Alert | None:
    """The alert the organization's number serves: the newest live alert that asks for calls."""
    alerts = db.session.scalars(select(Alert).where(Alert.status == "live")
                                .order_by(Alert.id.desc())).all()
    return next((alert for alert in alerts if "call" in alert.channels and alert.is_live),
                None)


def minutes_used(alert_id: int) -> int:
    """Minutes billed for the alert's calls: each call rounded up to the minute, as the
    provider bills them."""
    return int(db.session.scalar(select(func.coalesce(func.sum(
        (PhoneCall.duration_seconds + 59) // 60), 0)).where(
        PhoneCall.alert_id == alert_id, PhoneCall.duration_seconds.is_not(None))) or 0)


def alert_legs(alert_id: int) -> list[CallLeg]:
    """Every office dialed for the alert, newest first."""
    return list(db.session.scalars(
        select(CallLeg).join(PhoneCall).where(PhoneCall.alert_id == alert_id)
        .order_by(CallLeg.id.desc()).limit(200)))


def blocked_numbers() -> list[BlockedNumber]:
    return list(db.session.scalars(select(BlockedNumber).order_by(BlockedNumber.phone)))
