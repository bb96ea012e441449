"""Writes of a mailing's lifecycle: create it and fan it out to its recipients, start, pause,
finish. The worker's batches are batches.py, reminders reminders.py, reads queries.py."""

import logging

from sqlalchemy import func, insert, literal, select

from ..alerts.models import Alert
from ..core.db import db
from ..core.time import utcnow
from ..i18n.staff import staff_gettext
from .models import ALERT, DONE, DRAFT, PAUSED, PENDING, SENDING, Mailing, MailingRecipient
from .segments import audience

log = logging.getLogger(__name__)


class MailingError(ValueError):
    pass


def fan_out(mailing: Mailing, supporter_ids) -> int:
    """One recipient row per supporter, in one INSERT … SELECT."""
    rows = select(literal(mailing.id), supporter_ids.subquery().c.id, literal(PENDING),
                  literal(0))
    result = db.session.execute(
        insert(MailingRecipient).from_select(
            ["mailing_id", "supporter_id", "status", "attempt_count"], rows))
    mailing.recipient_count = result.rowcount if result.rowcount >= 0 else db.session.scalar(
        select(func.count()).where(MailingRecipient.mailing_id == mailing.id))
    return mailing.recipient_count


def create_mailing(alert: Alert, segment: dict, user=None) -> Mailing:
    """The alert email to a segment, its recipient rows written at once. Flushes."""
    if not (alert.alert_email_subject.strip() and alert.alert_email_body.strip()):
        raise MailingError(staff_gettext("Write the alert email's subject and body in the editor "
                                         "first."))
    mailing = Mailing(alert_id=alert.id, kind=ALERT, status=DRAFT, segment=segment,
                      subject=alert.alert_email_subject, body=alert.alert_email_body,
                      created_by_id=getattr(user, "id", None))
    db.session.add(mailing)
    db.session.flush()
    fan_out(mailing, audience(segment))
    log.info("mailing %s for alert %s: %d recipients", mailing.id, alert.slug,
             mailing.recipient_count)
    return mailing


def start_mailing(mailing: Mailing) -> None:
    if mailing.status not in (DRAFT, PAUSED):
        raise MailingError(staff_gettext("A %(status)s mailing can't be started.",
                                         status=mailing.status))
    mailing.status = SENDING
    mailing.started_at = mailing.started_at or utcnow()
    db.session.flush()


def pause_mailing(mailing: Mailing) -> None:
    if mailing.status == SENDING:
        mailing.status = PAUSED
        db.session.flush()


def finish_if_done(mailing: Mailing) -> bool:
    left = db.session.scalar(select(func.count()).where(
        MailingRecipient.mailing_id == mailing.id,
        MailingRecipient.status.in_((PENDING, SENDING))))
    if left == 0 and mailing.status == SENDING:
        mailing.status = DONE
        mailing.finished_at = utcnow()
        return True
    return False
