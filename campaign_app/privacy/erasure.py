"""Erase a supporter on request (CCPA, GDPR): the person goes, what they did stays as counts.

The supporter's row is kept, emptied of everything that names or locates them, because every
count (the dashboard, the whip list, the letter's signers per office, referrals) joins actions
to it for the alert, kind, outcome, state, district and date. Its email becomes a placeholder
no one can type, so a later import or submission with the same address starts a new supporter.
"""

import logging
import secrets

from flask import current_app
from sqlalchemy import Text, cast, delete, or_, select, update

from ..actions.models import Action
from ..api.models import IdempotentAnswer, PersonIdentifier
from ..audit.operations import record_event
from ..core.db import db
from ..core.time import utcnow
from ..delivery.models import DELIVERED, FAILED, Delivery
from ..mailcatcher import forget_messages, mail_folder
from ..mailings.models import MailingRecipient, SupporterTag
from ..supporters.models import Submission, Supporter
from ..supporters.referrals import _ALPHABET
from ..telephony.models import PhoneCall
from ..webhooks import models as webhooks

log = logging.getLogger(__name__)

#: Why a message not yet sent to an erased supporter never will be.
ERASED = "supporter erased on request"


def erased_email(supporter_id: int) -> str:
    """Unique (the column is) and never an address: `.invalid` is reserved (RFC 2606)."""
    return f"erased-{supporter_id}@erased.invalid"


#: Identity columns shared by the supporter and each submission (supporters.PersonFields),
#: and what they become.
_PERSON = {"prefix": None, "first_name": "", "last_name": "", "street": None, "city": None,
           "zip_code": "", "phone": None, "latitude": None, "longitude": None}


def erase_supporter(supporter: Supporter, user=None) -> dict[str, int]:
    """Remove the supporter's personal data everywhere it is stored; keep their actions as
    anonymous counts. Returns how many rows of each kind were changed (the audit's detail).
    Flushes; the caller commits."""
    supporter_id, now = supporter.id, utcnow()
    placeholder = erased_email(supporter_id)
    counts = {}
    addresses = {supporter.email, *db.session.scalars(
        select(Submission.email).where(Submission.supporter_id == supporter_id).distinct())}

    counts["submissions"] = db.session.execute(
        update(Submission).where(Submission.supporter_id == supporter_id)
        .values(**_PERSON, email=placeholder, differing_fields="")).rowcount
    # Their notes and their words to Congress; kind, outcome, status and date stay.
    counts["actions"] = db.session.execute(
        update(Action).where(Action.supporter_id == supporter_id)
        .values(note=None, message_subject=None, message_body=None,
                suggested_body=None)).rowcount
    counts["referred_actions"] = _replace_referral_code(supporter.referral_code)
    # The outbox: nothing more goes to them, and no error text that may quote them is kept.
    counts["deliveries"] = db.session.execute(
        update(Delivery).where(Delivery.supporter_id == supporter_id)
        .values(last_error=None)).rowcount
    db.session.execute(
        update(Delivery).where(Delivery.supporter_id == supporter_id,
                               Delivery.status.not_in((DELIVERED, FAILED)))
        .values(status=FAILED, last_error=ERASED))
    counts["mailing_recipients"] = db.session.execute(
        update(MailingRecipient).where(MailingRecipient.supporter_id == supporter_id)
        .values(last_error=None)).rowcount
    db.session.execute(
        update(MailingRecipient).where(MailingRecipient.supporter_id == supporter_id,
                                       MailingRecipient.status.in_(("pending", "sending")))
        .values(status="skipped", last_error=ERASED, claim_token=None))
    counts["tags"] = db.session.execute(
        delete(SupporterTag).where(SupporterTag.supporter_id == supporter_id)).rowcount
    counts["webhook_events"], counts["api_answers"] = _forget_json_copies(supporter)
    # Another system's name for the person links our stub back to them there.
    counts["api_identifiers"] = db.session.execute(
        delete(PersonIdentifier).where(PersonIdentifier.supporter_id == supporter_id)).rowcount
    # The embedded default's mail catcher keeps every email sent as a file. Deleted now, not
    # after the commit: should the erasure fail, it is asked again, and nothing is lost
    # that erasing meant to keep.
    counts["caught_emails"] = sum(forget_messages(mail_folder(current_app.instance_path),
                                                  address) for address in addresses)
    # Their number on the calls Alerta placed or answered: the minutes stay, the number goes,
    # and no caller is matched to them by it again.
    counts["phone_calls"] = db.session.execute(
        update(PhoneCall).where(PhoneCall.supporter_id == supporter_id)
        .values(phone="erased", is_consented=False, zip_code=None)).rowcount

    for column, value in _PERSON.items():
        setattr(supporter, column, value)
    supporter.email = placeholder
    supporter.referral_code = None
    supporter.is_subscribed = False
    supporter.unsubscribed_at = supporter.unsubscribed_at or now
    supporter.is_undeliverable = True
    supporter.undeliverable_reason = None
    supporter.district_source = None
    supporter.erased_at = now
    db.session.flush()
    record_event("supporter.erased", f"supporter {supporter_id}", counts, user=user)
    log.info("supporter %s erased: %s", supporter_id, counts)
    return counts


def _forget_json_copies(supporter: Supporter) -> tuple[int, int]:
    """Webhook payloads and stored API answers hold the OSDI person (name, email, phone,
    address), with no column naming whom: they are found by the person's identifier or email
    in the JSON text (a full scan, fine for a rare admin request). A payload becomes a stub
    naming only its type; a delivery of it not yet made is dropped, not sent empty."""
    def mentions(column):
        text = cast(column, Text)
        return or_(text.contains(f'"alerta:person-{supporter.id}"'),
                   text.contains(f'"{supporter.email}"'))

    event_ids = list(db.session.scalars(select(webhooks.WebhookEvent.id)
                                        .where(mentions(webhooks.WebhookEvent.payload))))
    for event in db.session.scalars(select(webhooks.WebhookEvent)
                                    .where(webhooks.WebhookEvent.id.in_(event_ids))):
        event.payload = {"type": event.type, "data": {"erased": True}}
    if event_ids:
        db.session.execute(
            update(webhooks.WebhookDelivery)
            .where(webhooks.WebhookDelivery.event_id.in_(event_ids),
                   webhooks.WebhookDelivery.status == webhooks.PENDING)
            .values(status=webhooks.FAILED))
    answers = db.session.execute(delete(IdempotentAnswer)
                                 .where(mentions(IdempotentAnswer.body))).rowcount
    return len(event_ids), answers


def _replace_referral_code(code: str | None) -> int:
    """Actions this supporter brought keep counting together under a code that leads to
    no one (the dashboard lists referrals by code)."""
    if code is None:
        return 0
    while True:
        fresh = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        if db.session.scalar(select(Action.id).where(Action.referral_code == fresh)
                             .limit(1)) is None:
            break
    return db.session.execute(update(Action).where(Action.referral_code == code)
                              .values(referral_code=fresh)).rowcount
