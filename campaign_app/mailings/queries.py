"""Reads of mailings."""

from datetime import datetime

from sqlalchemy import exists, func, or_, select

from ..core.db import db
from ..core.time import utcnow
from ..supporters.models import Supporter
from .messages import Recipient
from .models import FAILED, PENDING, RECIPIENT_STATUSES, SENDING, Mailing, MailingRecipient
from .segments import audience


def claimed_recipients(recipient_ids: list[int]) -> list[Recipient]:
    rows = db.session.execute(
        select(MailingRecipient.id, Supporter.id, Supporter.email, Supporter.first_name,
               Supporter.last_name, Supporter.zip_code, Supporter.city, Supporter.state,
               Supporter.district)
        .join(Supporter, Supporter.id == MailingRecipient.supporter_id)
        .where(MailingRecipient.id.in_(recipient_ids), MailingRecipient.status == SENDING)
        .order_by(MailingRecipient.id))
    return [Recipient(*row) for row in rows]


def progress(mailing_id: int) -> dict[str, int]:
    counts = dict(db.session.execute(
        select(MailingRecipient.status, func.count())
        .where(MailingRecipient.mailing_id == mailing_id).group_by(MailingRecipient.status)
    ).all())
    return {status: counts.get(status, 0)
            for status in RECIPIENT_STATUSES}


def failures(mailing_id: int, limit: int = 50) -> list[tuple[str, str]]:
    return db.session.execute(
        select(Supporter.email, MailingRecipient.last_error)
        .join(Supporter, Supporter.id == MailingRecipient.supporter_id)
        .where(MailingRecipient.mailing_id == mailing_id, MailingRecipient.status == FAILED)
        .order_by(MailingRecipient.id).limit(limit)).all()


def mailings_of_alert(alert_id: int) -> list[Mailing]:
    return list(db.session.scalars(select(Mailing).where(Mailing.alert_id == alert_id)
                                   .order_by(Mailing.id.desc())))


def count_audience(segment: dict) -> int:
    return db.session.scalar(select(func.count()).select_from(audience(segment).subquery()))


def mailings_with_due_recipients(now: datetime | None = None) -> list[int]:
    now = now or utcnow()
    due = exists().where(
        MailingRecipient.mailing_id == Mailing.id, MailingRecipient.status == PENDING,
        or_(MailingRecipient.not_before.is_(None), MailingRecipient.not_before <= now))
    return list(db.session.scalars(select(Mailing.id).where(Mailing.status == SENDING, due)))
