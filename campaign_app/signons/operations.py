"""Writes on sign-ons: staff record and withdraw members; organizations sign, staff review."""

import logging
from datetime import datetime

from sqlalchemy import select

from ..alerts.models import Alert
from ..alerts.signons import APPROVED, MEMBER, ORGANIZATION, PENDING, REJECTED, SignOn
from ..audit.operations import record_event
from ..congress.models import Legislator
from ..core.db import db
from ..core.time import utcnow
from ..i18n.staff import staff_gettext
from .queries import active_signon

log = logging.getLogger(__name__)


class SignOnRefused(ValueError):
    """A sign-on that can't be recorded; the message is for people."""


def organization_key(name: str) -> str:
    return " ".join(name.casefold().split())[:200]


def record_member_signon(alert: Alert, bioguide_id: str, *, by, source: str = "",
                         note: str | None = None, signed_at: datetime | None = None) -> SignOn:
    """Record that a member signed; refuses a member who already has a standing signature."""
    member = db.session.get(Legislator, bioguide_id)
    if member is None:
        raise SignOnRefused(staff_gettext("There is no member with that id."))
    if active_signon(alert.id, MEMBER, bioguide_id) is not None:
        raise SignOnRefused(staff_gettext("%(member)s has already signed.",
                                          member=member.display_name))
    signon = SignOn(alert_id=alert.id, kind=MEMBER, signer_key=bioguide_id,
                    bioguide_id=bioguide_id, status=APPROVED, source=source, note=note or None,
                    signed_at=signed_at or utcnow(), recorded_by_id=by.id)
    db.session.add(signon)
    db.session.flush()
    record_event("signon.recorded", f"alert {alert.slug}: {member.display_name} ({bioguide_id})",
                 {"source": source}, user=by)
    return signon


def import_member_signons(alert: Alert, bioguide_ids: list[str], *, by, source: str) -> int:
    """Record each member not yet signed, from a confirmed import; returns how many. Flushes."""
    signed = set(db.session.scalars(select(SignOn.bioguide_id).where(
        SignOn.alert_id == alert.id, SignOn.kind == MEMBER, SignOn.withdrawn_at.is_(None))))
    known = set(db.session.scalars(select(Legislator.bioguide_id).where(
        Legislator.bioguide_id.in_(bioguide_ids))))
    now = utcnow()
    created = 0
    for bioguide_id in dict.fromkeys(bioguide_ids):
        if bioguide_id in signed or bioguide_id not in known:
            continue
        db.session.add(SignOn(alert_id=alert.id, kind=MEMBER, signer_key=bioguide_id,
                              bioguide_id=bioguide_id, status=APPROVED, source=source,
                              signed_at=now, recorded_by_id=by.id))
        created += 1
    db.session.flush()
    record_event("signon.imported", f"alert {alert.slug}", {"count": created, "source": source},
                 user=by)
    return created


def withdraw_signon(signon: SignOn, *, by) -> None:
    if signon.withdrawn_at is not None:
        return
    signon.withdrawn_at = utcnow()
    signon.withdrawn_by_id = by.id
    db.session.flush()
    record_event("signon.withdrawn", f"alert {signon.alert_id}: {signon.display_name}",
                 {"kind": signon.kind}, user=by)


def set_signon_count_public(alert: Alert, is_public: bool, *, by) -> None:
    alert.is_signon_count_public = is_public
    db.session.flush()
    record_event("alert.signon_count_public", f"alert {alert.slug}", {"public": is_public},
                 user=by)


def submit_organization_signon(alert: Alert, *, organization_name: str, country: str,
                               website: str | None, contact_name: str,
                               contact_email: str) -> SignOn:
    """An organization asks to sign; it waits for review. Refuses a name already on the public
    list. A name waiting for review (or rejected) is not public: the form answers as for a new
    one, and this submission is kept, as submitted, on the first for staff to see. Flushes."""
    key = organization_key(organization_name)
    existing = active_signon(alert.id, ORGANIZATION, key)
    if existing is not None and existing.status == APPROVED:
        raise SignOnRefused("An organization with this name has already signed. Thank you!")
    if existing is not None:
        also = (f"Also submitted {utcnow():%Y-%m-%d %H:%M} UTC: {organization_name}, {country}, "
                f"{website or 'no website'}, {contact_name} <{contact_email.lower()}>")
        existing.note = "\n".join(filter(None, [existing.note, also]))[-4000:]
        db.session.flush()
        log.info("organization sign-on %s submitted again for alert %s", existing.id, alert.id)
        return existing
    signon = SignOn(alert_id=alert.id, kind=ORGANIZATION, signer_key=key,
                    organization_name=organization_name, country=country,
                    website=website or None, contact_name=contact_name,
                    contact_email=contact_email.lower(), status=PENDING, source="Public form")
    db.session.add(signon)
    db.session.flush()
    log.info("organization sign-on %s submitted for alert %s", signon.id, alert.id)
    return signon


def review_organization(signon: SignOn, status: str, *, by) -> None:
    if status not in (APPROVED, REJECTED, PENDING):
        raise ValueError(f"unknown review status {status}")
    signon.status = status
    signon.reviewed_by_id = by.id
    signon.reviewed_at = utcnow()
    db.session.flush()
    record_event(f"signon.organization_{status}", f"alert {signon.alert_id}: "
                 f"{signon.organization_name}", user=by)


def set_organization_positions(alert: Alert, positions: dict[int, int], *, by) -> None:
    """Staff's order of the published list: {sign-on id: position}. Flushes."""
    signons = db.session.scalars(select(SignOn).where(
        SignOn.alert_id == alert.id, SignOn.kind == ORGANIZATION, SignOn.id.in_(positions)))
    for signon in signons:
        signon.position = positions[signon.id]
    db.session.flush()
    record_event("signon.organizations_ordered", f"alert {alert.slug}",
                 {"count": len(positions)}, user=by)
