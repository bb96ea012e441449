"""Reminders: each due reminder mailing created once, before the deadline; none after it or
for a closed alert. Recipients asleep (quiet hours) are deferred to their morning."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from ..alerts.models import Alert
from ..core.db import db
from ..core.time import utcnow
from ..supporters.models import Supporter
from .models import (
    CANCELLED,
    DRAFT,
    PAUSED,
    PENDING,
    REMINDER,
    SENDING,
    SKIPPED,
    Mailing,
    MailingRecipient,
)
from .operations import fan_out
from .quiet_hours import DEFAULT_TIME_ZONE, STATE_TIME_ZONES, deferred_states, next_waking_time
from .segments import reminder_audience

log = logging.getLogger(__name__)


def stop_expired_reminders(now: datetime | None = None) -> int:
    """A reminder never goes out after the deadline or for a closed alert."""
    now = now or utcnow()
    expired = select(Mailing.id).join(Alert, Alert.id == Mailing.alert_id).where(
        Mailing.kind == REMINDER, Mailing.status.in_((SENDING, PAUSED, DRAFT)),
        or_(Alert.status != "live", Alert.deadline_at <= now))
    ids = list(db.session.scalars(expired))
    if ids:
        db.session.execute(update(MailingRecipient).where(
            MailingRecipient.mailing_id.in_(ids), MailingRecipient.status == PENDING)
            .values(status=SKIPPED))
        db.session.execute(update(Mailing).where(Mailing.id.in_(ids))
                           .values(status=CANCELLED, finished_at=now))
    return len(ids)


def schedule_reminders(now: datetime | None = None) -> list[int]:
    """Create each due reminder mailing once; returns the new mailings' ids.

    Due: the deadline minus the offset has come and the deadline has not. When several are
    due at once (beat was down), only the latest goes out; the earlier ones are recorded as
    cancelled so they never fire late. Offsets not yet due follow any deadline change.
    """
    now = now or utcnow()
    created = []
    alerts = db.session.scalars(select(Alert).where(
        Alert.status == "live", Alert.deadline_at > now))
    for alert in alerts:
        due = sorted(h for h in alert.reminder_offsets or []
                     if alert.deadline_at - timedelta(hours=h) <= now)
        if not due or not alert.alert_email_subject.strip():
            continue
        latest, superseded = due[0], due[1:]
        for offset in superseded:
            _reminder(alert, offset, now, status=CANCELLED)
        mailing = _reminder(alert, latest, now, status=SENDING)
        if mailing is not None:
            created.append(mailing.id)
    return created


def _reminder(alert: Alert, offset: int, now: datetime, *, status: str) -> Mailing | None:
    mailing = Mailing(alert_id=alert.id, kind=REMINDER, status=status,
                      dedupe_key=f"reminder:{alert.id}:{offset}", reminder_offset=offset,
                      segment={"type": "reminder"}, subject=alert.alert_email_subject,
                      body=alert.alert_email_body,
                      respects_quiet_hours=alert.reminders_respect_quiet_hours,
                      started_at=now if status == SENDING else None,
                      finished_at=now if status != SENDING else None)
    try:
        with db.session.begin_nested():
            db.session.add(mailing)
    except IntegrityError:
        return None  # this reminder was created before: never twice
    if status == SENDING:
        fan_out(mailing, reminder_audience(alert.id))
        if mailing.respects_quiet_hours:
            _defer_sleeping_recipients(mailing, now)
        log.info("reminder %sh for alert %s: %d recipients", offset, alert.slug,
                 mailing.recipient_count)
    db.session.flush()
    return mailing


def _defer_sleeping_recipients(mailing: Mailing, now: datetime) -> None:
    for wake_at, states in deferred_states(now).items():
        sleeping = select(Supporter.id).where(Supporter.state.in_(states))
        db.session.execute(
            update(MailingRecipient)
            .where(MailingRecipient.mailing_id == mailing.id,
                   MailingRecipient.supporter_id.in_(sleeping))
            .values(not_before=wake_at))
    wake = next_waking_time(now, DEFAULT_TIME_ZONE)
    if wake is not None:  # supporters whose state we don't know: Eastern time
        db.session.execute(
            update(MailingRecipient)
            .where(MailingRecipient.mailing_id == mailing.id,
                   MailingRecipient.supporter_id.in_(
                       select(Supporter.id).where(or_(
                           Supporter.state.is_(None),
                           Supporter.state.not_in(list(STATE_TIME_ZONES))))))
            .values(not_before=wake))
