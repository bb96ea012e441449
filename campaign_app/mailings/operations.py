"""Writes of mailings: create and fan out, claim batches, record results, reminders."""

import logging
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, exists, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..actions.models import Action
from ..alerts.models import Alert
from ..core.db import db
from ..core.time import utcnow
from ..supporters.models import Supporter
from .models import Mailing, MailingRecipient
from .quiet_hours import DEFAULT_TIME_ZONE, STATE_TIME_ZONES, deferred_states, next_waking_time
from .segments import audience, mailable, reminder_audience

log = logging.getLogger(__name__)


class MailingError(ValueError):
    pass


def _fan_out(mailing: Mailing, supporter_ids) -> int:
    """One recipient row per supporter, in one INSERT … SELECT."""
    rows = select(literal(mailing.id), supporter_ids.subquery().c.id, literal("pending"),
                  literal(0))
    result = db.session.execute(
        insert(MailingRecipient).from_select(
            ["mailing_id", "supporter_id", "status", "attempt_count"], rows))
    mailing.recipient_count = result.rowcount if result.rowcount >= 0 else db.session.scalar(
        select(func.count()).where(MailingRecipient.mailing_id == mailing.id))
    return mailing.recipient_count


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


def count_audience(segment: dict) -> int:
    return db.session.scalar(select(func.count()).select_from(audience(segment).subquery()))


def create_mailing(alert: Alert, segment: dict, user=None) -> Mailing:
    """The alert email to a segment, its recipient rows written at once. Flushes."""
    if not (alert.alert_email_subject.strip() and alert.alert_email_body.strip()):
        raise MailingError("Write the alert email's subject and body in the editor first.")
    mailing = Mailing(alert_id=alert.id, kind="alert", status="draft", segment=segment,
                      subject=alert.alert_email_subject, body=alert.alert_email_body,
                      created_by_id=getattr(user, "id", None))
    db.session.add(mailing)
    db.session.flush()
    _fan_out(mailing, audience(segment))
    log.info("mailing %s for alert %s: %d recipients", mailing.id, alert.slug,
             mailing.recipient_count)
    return mailing


def start_mailing(mailing: Mailing) -> None:
    if mailing.status not in ("draft", "paused"):
        raise MailingError(f"A {mailing.status} mailing can't be started.")
    mailing.status = "sending"
    mailing.started_at = mailing.started_at or utcnow()
    db.session.flush()


def pause_mailing(mailing: Mailing) -> None:
    if mailing.status == "sending":
        mailing.status = "paused"
        db.session.flush()


def claim_batch(mailing_id: int, size: int, now: datetime | None = None,
                token: str | None = None) -> list[int]:
    """Take up to `size` due pending recipients for this worker (skip those others hold)."""
    now = now or utcnow()
    token = token or secrets.token_hex(16)
    due = (
        select(MailingRecipient.id)
        .where(MailingRecipient.mailing_id == mailing_id, MailingRecipient.status == "pending",
               or_(MailingRecipient.not_before.is_(None), MailingRecipient.not_before <= now))
        .order_by(MailingRecipient.id).limit(size)
        .with_for_update(skip_locked=True)
    )
    ids = list(db.session.scalars(due))
    if ids:
        db.session.execute(
            update(MailingRecipient).where(MailingRecipient.id.in_(ids),
                                           MailingRecipient.status == "pending")
            .values(status="sending", claimed_at=now, claim_token=token,
                    attempt_count=MailingRecipient.attempt_count + 1))
    return ids


def skip_unmailable(mailing: Mailing, recipient_ids: list[int]) -> int:
    """Those who unsubscribed, bounced, or (for reminders) acted since: skipped, not sent."""
    still_ok = mailable()
    if mailing.kind == "reminder":
        still_ok = and_(still_ok, ~exists().where(Action.supporter_id == Supporter.id,
                                                  Action.alert_id == mailing.alert_id))
    keep = select(Supporter.id).where(still_ok)
    result = db.session.execute(
        update(MailingRecipient)
        .where(MailingRecipient.id.in_(recipient_ids),
               MailingRecipient.supporter_id.not_in(keep))
        .values(status="skipped"))
    return result.rowcount


def _held(recipient_id: int, token: str, status: str = "sending"):
    return and_(MailingRecipient.id == recipient_id, MailingRecipient.claim_token == token,
                MailingRecipient.status == status)


class SentMarks:
    """Marks a batch's recipients sent — if the batch still holds them — one commit each: the
    price of never sending twice.

    On PostgreSQL the marks go over a connection of their own, outside the ORM, whose commits
    do not wait for the disk (synchronous_commit off: only a crash of the database server
    itself could lose a mark, and with it send a message twice), each UPDATE committing itself:
    one round trip a mark, where the session took three and the ORM's bookkeeping. SQLite has
    one writer: the session's own transaction does it.
    """

    def __init__(self, token: str):
        self.statement = (
            update(MailingRecipient.__table__)
            .where(_held(bindparam("recipient_id"), token))
            .values(status="sent", sent_at=bindparam("sent_at"), last_error=None))
        self.connection = None
        if db.engine.dialect.name == "postgresql":
            # Autocommit: the UPDATE is its own transaction, one round trip in all.
            self.connection = db.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT")
            self.connection.exec_driver_sql("SET synchronous_commit TO OFF")

    def __call__(self, recipient_id: int) -> bool:
        """Committed: True when marked, False when another worker took the row over."""
        params = {"recipient_id": recipient_id, "sent_at": utcnow()}
        if self.connection is None:
            result = db.session.execute(self.statement, params)
            db.session.commit()
        else:
            result = self.connection.execute(self.statement, params)
        return result.rowcount == 1

    def close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.exec_driver_sql("RESET synchronous_commit")
        except SQLAlchemyError:
            self.connection.invalidate()  # broken: the pool must not hand it out again
        finally:
            self.connection.close()


def unmark_sent(recipient_id: int, token: str, error: str) -> None:
    """The server never confirmed: pending again, to be sent later."""
    db.session.execute(update(MailingRecipient).where(_held(recipient_id, token, "sent"))
                       .values(status="pending", sent_at=None, last_error=error[:1000]))


def mark_failed(recipient_id: int, error: str, *, retry: bool) -> None:
    """A refusal: for good (failed), or back to pending after a back-off. The row is the
    caller's (claimed by its batch, or given back by unmark_sent)."""
    attempts = db.session.scalar(select(MailingRecipient.attempt_count)
                                 .where(MailingRecipient.id == recipient_id)) or 0
    retry = retry and attempts < current_app.config["DELIVERY_MAX_ATTEMPTS"]
    values = {"status": "pending" if retry else "failed", "last_error": error[:1000]}
    if retry:
        values["not_before"] = utcnow() + timedelta(seconds=min(60 * 2 ** attempts, 3600))
    db.session.execute(update(MailingRecipient).where(MailingRecipient.id == recipient_id)
                       .values(**values))


def release(recipient_ids: list[int], token: str, error: str) -> None:
    """Give claimed recipients back (the connection failed before they were sent)."""
    if recipient_ids:
        db.session.execute(
            update(MailingRecipient)
            .where(MailingRecipient.id.in_(recipient_ids), MailingRecipient.status == "sending",
                   MailingRecipient.claim_token == token)
            .values(status="pending", last_error=error[:1000],
                    not_before=utcnow() + timedelta(
                        seconds=current_app.config["MAILING_RETRY_SECONDS"])))


def finish_if_done(mailing: Mailing) -> bool:
    left = db.session.scalar(select(func.count()).where(
        MailingRecipient.mailing_id == mailing.id,
        MailingRecipient.status.in_(("pending", "sending"))))
    if left == 0 and mailing.status == "sending":
        mailing.status = "done"
        mailing.finished_at = utcnow()
        return True
    return False


def recover_lost_claims(now: datetime | None = None) -> int:
    """Recipients claimed by a worker that died: pending again (see smtp.py for why that
    cannot send twice)."""
    now = now or utcnow()
    timeout = timedelta(seconds=current_app.config["MAILING_CLAIM_TIMEOUT"])
    result = db.session.execute(
        update(MailingRecipient)
        .where(MailingRecipient.status == "sending", MailingRecipient.claimed_at < now - timeout)
        .values(status="pending", claim_token=None))
    return result.rowcount


def mailings_with_due_recipients(now: datetime | None = None) -> list[int]:
    now = now or utcnow()
    due = exists().where(
        MailingRecipient.mailing_id == Mailing.id, MailingRecipient.status == "pending",
        or_(MailingRecipient.not_before.is_(None), MailingRecipient.not_before <= now))
    return list(db.session.scalars(select(Mailing.id).where(Mailing.status == "sending", due)))


def stop_expired_reminders(now: datetime | None = None) -> int:
    """A reminder never goes out after the deadline or for a closed alert."""
    now = now or utcnow()
    expired = select(Mailing.id).join(Alert, Alert.id == Mailing.alert_id).where(
        Mailing.kind == "reminder", Mailing.status.in_(("sending", "paused", "draft")),
        or_(Alert.status != "live", Alert.deadline_at <= now))
    ids = list(db.session.scalars(expired))
    if ids:
        db.session.execute(update(MailingRecipient).where(
            MailingRecipient.mailing_id.in_(ids), MailingRecipient.status == "pending")
            .values(status="skipped"))
        db.session.execute(update(Mailing).where(Mailing.id.in_(ids))
                           .values(status="cancelled", finished_at=now))
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
            _reminder(alert, offset, now, status="cancelled")
        mailing = _reminder(alert, latest, now, status="sending")
        if mailing is not None:
            created.append(mailing.id)
    return created


def _reminder(alert: Alert, offset: int, now: datetime, *, status: str) -> Mailing | None:
    mailing = Mailing(alert_id=alert.id, kind="reminder", status=status,
                      dedupe_key=f"reminder:{alert.id}:{offset}", reminder_offset=offset,
                      segment={"type": "reminder"}, subject=alert.alert_email_subject,
                      body=alert.alert_email_body,
                      respects_quiet_hours=alert.reminders_respect_quiet_hours,
                      started_at=now if status == "sending" else None,
                      finished_at=now if status != "sending" else None)
    try:
        with db.session.begin_nested():
            db.session.add(mailing)
    except IntegrityError:
        return None  # this reminder was created before: never twice
    if status == "sending":
        _fan_out(mailing, reminder_audience(alert.id))
        if mailing.respects_quiet_hours:
            _defer_sleeping_recipients(mailing, now)
        log.info("reminder %sh for alert %s: %d recipients", offset, alert.slug,
                 mailing.recipient_count)
    db.session.flush()
    return mailing
