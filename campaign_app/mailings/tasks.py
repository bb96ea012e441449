"""Celery tasks of mailings: send in batches over one SMTP connection; beat housekeeping."""

import logging
import secrets
import smtplib
import time

from celery import shared_task
from flask import current_app

from ..core.db import db
from ..core.scrub import scrub
from ..core.shutdown import stop_requested
from . import batches, operations, reminders
from .messages import MailingRenderer
from .models import PAUSED, REMINDER, SENDING, Mailing
from .queries import claimed_recipients, mailings_with_due_recipients
from .smtp import BulkConnection, ClaimLost, RecipientRefused, ReplyLost

log = logging.getLogger(__name__)


def queue_mailing(mailing_id: int, parallel: int | None = None) -> None:
    """Start `parallel` batch chains; each claims its own rows. Call after commit."""
    parallel = parallel or current_app.config["MAILING_PARALLEL"]
    for _ in range(parallel):
        try:
            send_mailing_batch.delay(mailing_id)
        except Exception as error:  # noqa: BLE001 - the beat housekeeping re-queues
            log.warning("could not queue mailing %s now: %s", mailing_id, error)
            return


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def send_mailing_batch(self, mailing_id: int) -> int:
    """Send one batch of a mailing, then queue the next; returns how many were sent."""
    if stop_requested():  # this worker is stopping: the next one takes the batch, now
        send_mailing_batch.delay(mailing_id)
        return 0
    mailing = db.session.get(Mailing, mailing_id)
    if mailing is None or mailing.status != SENDING:
        return 0
    if mailing.kind == REMINDER and reminders.stop_expired_reminders():
        db.session.commit()
        return 0
    token = secrets.token_hex(16)
    ids = batches.claim_batch(mailing_id, current_app.config["MAILING_BATCH_SIZE"],
                                 token=token)
    db.session.commit()
    if not ids:
        operations.finish_if_done(mailing)
        db.session.commit()
        return 0
    batches.skip_unmailable(mailing, ids)
    db.session.commit()
    people = claimed_recipients(ids)
    renderer = MailingRenderer(mailing, mailing.alert)
    retry_in = current_app.config["MAILING_RETRY_SECONDS"]
    try:
        connection = BulkConnection()
    except (smtplib.SMTPException, OSError) as error:
        batches.release(ids, token, f"could not connect to the mail server: {error}")
        db.session.commit()
        raise self.retry(countdown=retry_in) from error
    marks = batches.SentMarks(token)
    rate = current_app.config["MAIL_RATE_LIMIT"]
    interval = 1 / rate if rate else 0
    unsent = [p.recipient_id for p in people]
    sent, stopped_because = 0, PAUSED
    try:
        for index, person in enumerate(people):
            started = time.monotonic()
            if index and index % 50 == 0 and _paused(mailing_id):
                break
            if stop_requested():  # SIGTERM: hand the rest to the next worker now
                stopped_because = "worker stopping"
                break
            message = renderer.render(person)

            try:
                connection.send(message.sender, message.recipient, message.data,
                                lambda recipient_id=person.recipient_id: marks(recipient_id))
                sent += 1
            except RecipientRefused as refusal:
                # A refusal quotes the address, some the name: stored scrubbed.
                error = scrub(str(refusal), (person.email, person.first_name,
                                             person.last_name, person.city))
                if refusal.after_commit:
                    batches.unmark_sent(person.recipient_id, token, error)
                batches.mark_failed(person.recipient_id, error,
                                       retry=400 <= refusal.code < 500)
                db.session.commit()
            unsent.remove(person.recipient_id)
            if interval:
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except ClaimLost:
        log.warning("mailing %s: batch taken over by another worker after %d", mailing_id, sent)
        db.session.commit()
        return sent
    except ReplyLost as error:
        batches.unmark_sent(unsent[0], token, f"no reply after the message: {error}")
        batches.release(unsent, token, f"connection lost: {error}")
        db.session.commit()
        raise self.retry(countdown=retry_in) from error
    except (smtplib.SMTPException, OSError) as error:
        log.warning("mailing %s: connection lost after %d messages: %s", mailing_id, sent, error)
        db.session.rollback()
        batches.release(unsent, token, f"connection lost: {error}")
        db.session.commit()
        raise self.retry(countdown=retry_in) from error
    finally:
        connection.close()
        marks.close()
    batches.release(unsent, token, stopped_because)
    db.session.commit()
    send_mailing_batch.delay(mailing_id)
    if unsent and stopped_because != PAUSED:
        log.info("mailing %s: worker stopping, %d recipients handed back after %d sent",
                 mailing_id, len(unsent), sent)
    return sent


def _paused(mailing_id: int) -> bool:
    status = db.session.get(Mailing, mailing_id, populate_existing=True).status
    return status != SENDING


@shared_task(ignore_result=True)
def mailing_housekeeping() -> dict:
    """Beat, every minute: reminders due, expired ones stopped, lost claims recovered,
    mailings with recipients due (quiet hours over, a broker outage) queued again."""
    stopped = reminders.stop_expired_reminders()
    created = reminders.schedule_reminders()
    recovered = batches.recover_lost_claims()
    db.session.commit()
    due = set(created) | set(mailings_with_due_recipients())
    for mailing_id in due:
        queue_mailing(mailing_id, parallel=1 if mailing_id not in created else None)
    return {"stopped": stopped, "reminders": len(created), "recovered": recovered,
            "queued": len(due)}
