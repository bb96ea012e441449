"""The worker's batches: claim due recipients, skip those no longer mailable, mark each sent
once (SentMarks), give back what was not sent, and recover the claims of a worker that died."""

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, exists, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from ..actions.models import Action
from ..core.db import db
from ..core.time import utcnow
from ..supporters.models import Supporter
from .models import FAILED, PENDING, REMINDER, SENDING, SENT, SKIPPED, Mailing, MailingRecipient
from .segments import mailable


def claim_batch(mailing_id: int, size: int, now: datetime | None = None,
                token: str | None = None) -> list[int]:
    """Take up to `size` due pending recipients for this worker (skip those others hold)."""
    now = now or utcnow()
    token = token or secrets.token_hex(16)
    due = (
        select(MailingRecipient.id)
        .where(MailingRecipient.mailing_id == mailing_id, MailingRecipient.status == PENDING,
               or_(MailingRecipient.not_before.is_(None), MailingRecipient.not_before <= now))
        .order_by(MailingRecipient.id).limit(size)
        .with_for_update(skip_locked=True)
    )
    ids = list(db.session.scalars(due))
    if ids:
        db.session.execute(
            update(MailingRecipient).where(MailingRecipient.id.in_(ids),
                                           MailingRecipient.status == PENDING)
            .values(status=SENDING, claimed_at=now, claim_token=token,
                    attempt_count=MailingRecipient.attempt_count + 1))
    return ids


def skip_unmailable(mailing: Mailing, recipient_ids: list[int]) -> int:
    """Those who unsubscribed, bounced, or (for reminders) acted since: skipped, not sent."""
    still_ok = mailable()
    if mailing.kind == REMINDER:
        still_ok = and_(still_ok, ~exists().where(Action.supporter_id == Supporter.id,
                                                  Action.alert_id == mailing.alert_id))
    keep = select(Supporter.id).where(still_ok)
    result = db.session.execute(
        update(MailingRecipient)
        .where(MailingRecipient.id.in_(recipient_ids),
               MailingRecipient.supporter_id.not_in(keep))
        .values(status=SKIPPED))
    return result.rowcount


def _held(recipient_id: int, token: str, status: str = SENDING):
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
            .values(status=SENT, sent_at=bindparam("sent_at"), last_error=None))
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
    db.session.execute(update(MailingRecipient).where(_held(recipient_id, token, SENT))
                       .values(status=PENDING, sent_at=None, last_error=error[:1000]))


def mark_failed(recipient_id: int, error: str, *, retry: bool) -> None:
    """A refusal: for good (failed), or back to pending after a back-off. The row is the
    caller's (claimed by its batch, or given back by unmark_sent)."""
    attempts = db.session.scalar(select(MailingRecipient.attempt_count)
                                 .where(MailingRecipient.id == recipient_id)) or 0
    retry = retry and attempts < current_app.config["DELIVERY_MAX_ATTEMPTS"]
    values = {"status": PENDING if retry else FAILED, "last_error": error[:1000]}
    if retry:
        values["not_before"] = utcnow() + timedelta(seconds=min(60 * 2 ** attempts, 3600))
    db.session.execute(update(MailingRecipient).where(MailingRecipient.id == recipient_id)
                       .values(**values))


def release(recipient_ids: list[int], token: str, error: str) -> None:
    """Give claimed recipients back (the connection failed before they were sent)."""
    if recipient_ids:
        db.session.execute(
            update(MailingRecipient)
            .where(MailingRecipient.id.in_(recipient_ids), MailingRecipient.status == SENDING,
                   MailingRecipient.claim_token == token)
            .values(status=PENDING, last_error=error[:1000],
                    not_before=utcnow() + timedelta(
                        seconds=current_app.config["MAILING_RETRY_SECONDS"])))


def recover_lost_claims(now: datetime | None = None) -> int:
    """Recipients claimed by a worker that died: pending again (see smtp.py for why that
    cannot send twice)."""
    now = now or utcnow()
    timeout = timedelta(seconds=current_app.config["MAILING_CLAIM_TIMEOUT"])
    result = db.session.execute(
        update(MailingRecipient)
        .where(MailingRecipient.status == SENDING, MailingRecipient.claimed_at < now - timeout)
        .values(status=PENDING, claim_token=None))
    return result.rowcount
