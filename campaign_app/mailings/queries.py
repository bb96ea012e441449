"""Reads of mailings."""

from sqlalchemy import func, select

from ..core.db import db
from ..supporters.models import Supporter
from .messages import Recipient
from .models import Mailing, MailingRecipient


def claimed_recipients(recipient_ids: list[int]) -> list[Recipient]:
    rows = db.session.execute(
        select(MailingRecipient.id, Supporter.id, Supporter.email, Supporter.first_name,
               Supporter.last_name, Supporter.zip_code, Supporter.city, Supporter.state,
               Supporter.district, Supporter.language)
        .join(Supporter, Supporter.id == MailingRecipient.supporter_id)
        .where(MailingRecipient.id.in_(recipient_ids), MailingRecipient.status == "sending")
        .order_by(MailingRecipient.id))
    return [Recipient(*row) for row in rows]


def progress(mailing_id: int) -> dict[str, int]:
    counts = dict(db.session.execute(
        select(MailingRecipient.status, func.count())
        .where(MailingRecipient.mailing_id == mailing_id).group_by(MailingRecipient.status)
    ).all())
    return {status: counts.get(status, 0)
            for status in ("pending", "sending", "sent", "failed", "skipped")}


def failures(mailing_id: int, limit: int = 50) -> list[tuple[str, str]]:
    return db.session.execute(
        select(Supporter.email, MailingRecipient.last_error)
        .join(Supporter, Supporter.id == MailingRecipient.supporter_id)
        .where(MailingRecipient.mailing_id == mailing_id, MailingRecipient.status == "failed")
        .order_by(MailingRecipient.id).limit(limit)).all()


def mailings_of_alert(alert_id: int) -> list[Mailing]:
    return list(db.session.scalars(select(Mailing).where(Mailing.alert_id == alert_id)
                                   .order_by(Mailing.id.desc())))
