"""What each kind of delivery says: the email built from the rows at send time."""

from collections.abc import Callable
from email.message import EmailMessage

from flask import Flask, current_app

from . import cwc
from .errors import PermanentDeliveryError
from .mailer import send_message
from .models import Delivery

#: app.extensions key: delivery kind → the function that builds its email at send time. The
#: feature that queues a kind of email registers its builder in create_app (actions: the
#: confirmation), so that the outbox needs nothing from the features above it.
BUILDERS = "alerta.message_builders"


def register_builder(app: Flask, kind: str, build: Callable[[Delivery], EmailMessage]) -> None:
    app.extensions.setdefault(BUILDERS, {})[kind] = build


def build_cwc_message(delivery: Delivery) -> bytes:
    """The CWC XML of an email to Congress, from the action and its sender as submitted (the
    stored supporter only when the browser proved who it is: `Submission.profile`)."""
    action, member = delivery.action, delivery.legislator
    supporter = action.submission.profile if action.submission else delivery.supporter
    alert = delivery.alert
    constituent = cwc.Constituent(
        prefix=supporter.prefix or "", first_name=supporter.first_name,
        last_name=supporter.last_name, address1=supporter.street or "",
        city=supporter.city or "", state=supporter.state or member.state,
        zip_code=supporter.zip_code, email=supporter.email, phone=supporter.phone,
        is_address_validated=is_address_validated(supporter))
    missing = [name for name in ("prefix", "address1", "city")
               if not getattr(constituent, name)]
    if missing:
        raise PermanentDeliveryError(f"the supporter's {' and '.join(missing)} is missing")
    # The organization's words and the supporter's: offices sort campaign mail by this.
    if action.is_message_edited and action.suggested_body:
        statement, own_words = action.suggested_body, action.message_body
    else:
        statement, own_words = action.message_body, None
    letter = alert_letter(alert, subject=action.message_subject, statement=statement,
                          own_words=own_words,
                          is_response_requested=action.is_response_requested,
                          is_newsletter_opt_in=action.is_newsletter_opt_in)
    return cwc.build_message(
        delivery_key=delivery.idempotency_key,
        campaign=cwc.campaign_id(alert.slug, alert.id),
        office=cwc.office_code(member.chamber, member.state, member.district,
                               member.senate_class),
        constituent=constituent, letter=letter)


def alert_letter(alert, *, subject: str, statement: str, own_words: str | None = None,
                 **choices) -> cwc.Letter:
    """What a message says, filed as the organizer chose (topic, bills, position, link)."""
    return cwc.Letter(subject=subject, topic=alert.topic, organization_statement=statement,
                      constituent_message=own_words, bills=cwc.bills_from(alert.bills),
                      position=alert.position, more_info=alert.more_info_url, **choices)


def is_address_validated(supporter) -> bool:
    """The geocoder found the supporter's street address (CWC's AddressValidation)."""
    return supporter.district_source == "geocoder" and supporter.latitude is not None


def prepare(delivery: Delivery) -> Callable[[], None]:
    """Build the delivery's message now (inside the transaction); send it when called."""
    if delivery.kind == "congress_email":
        xml = build_cwc_message(delivery)
        return lambda: cwc.send_message(xml)
    message = current_app.extensions[BUILDERS][delivery.kind](delivery)
    return lambda: send_message(message)
