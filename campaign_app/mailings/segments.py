"""Segments: which supporters a mailing goes to, as SQL (never a Python loop over people)."""

from sqlalchemy import and_, exists, or_, select, true

from ..actions.models import Action
from ..i18n.staff import lazy_staff_gettext
from ..supporters.models import Supporter
from .models import ALERT, SENT, MailingRecipient, SupporterTag

SEGMENT_TYPES = {
    "all": lazy_staff_gettext("All subscribed supporters"),
    "state": lazy_staff_gettext("Supporters in these states"),
    "district": lazy_staff_gettext("Supporters in these districts"),
    "acted": lazy_staff_gettext("Supporters who acted on an alert"),
    "not_acted": lazy_staff_gettext("Supporters who have not acted on an alert"),
    "tag": lazy_staff_gettext("Supporters with a tag"),
    "emails": lazy_staff_gettext("An uploaded list of email addresses"),
}


def mailable():
    """Who may receive any mailing: subscribed and not undeliverable."""
    return and_(Supporter.is_subscribed.is_(True), Supporter.is_undeliverable.is_(False))


def segment_condition(segment: dict):
    """The SQL condition on Supporter for a segment dict (validated by the form)."""
    kind = segment.get("type", "all")
    if kind == "all":
        return true()
    if kind == "state":
        return Supporter.state.in_(segment["states"])
    if kind == "district":
        pairs = [d.split("-", 1) for d in segment["districts"]]
        return or_(*[and_(Supporter.state == state, Supporter.district == int(number))
                     for state, number in pairs])
    if kind in ("acted", "not_acted"):
        acted = exists().where(Action.supporter_id == Supporter.id,
                               Action.alert_id == int(segment["alert_id"]))
        return acted if kind == "acted" else ~acted
    if kind == "tag":
        return exists().where(SupporterTag.supporter_id == Supporter.id,
                              SupporterTag.tag == segment["tag"])
    if kind == "emails":
        return Supporter.email.in_(segment["emails"])
    raise ValueError(f"unknown segment type {kind!r}")


def audience(segment: dict):
    """SELECT supporters.id for a segment."""
    return select(Supporter.id).where(mailable(), segment_condition(segment))


def reminder_audience(alert_id: int):
    """Those who were sent the alert and have not acted on it."""
    from .models import Mailing

    received = exists().where(
        MailingRecipient.supporter_id == Supporter.id,
        MailingRecipient.status == SENT,
        MailingRecipient.mailing_id.in_(
            select(Mailing.id).where(Mailing.alert_id == alert_id, Mailing.kind == ALERT)),
    )
    acted = exists().where(Action.supporter_id == Supporter.id, Action.alert_id == alert_id)
    return select(Supporter.id).where(mailable(), received, ~acted)
