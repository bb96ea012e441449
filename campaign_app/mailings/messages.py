"""The alert email and its reminders, personalized per recipient from texts compiled once."""

from dataclasses import dataclass

from flask import current_app, render_template
from markupsafe import Markup

from ..alerts.models import Alert
from ..alerts.personalize import alert_values, member_values, supporter_values
from ..alerts.queries import merge_defaults
from ..alerts.texts import ORGANIZER_TEXTS
from ..congress.index import current_index
from ..delivery.mailer import envelope_address, sender_domain
from ..supporters.tokens import make_personal_token, make_unsubscribe_token
from ..text.merge import compile_template
from ..text.plaintext import compile_markdown_text
from .compose import compose
from .models import Mailing


def public_url(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


@dataclass
class Recipient:
    """What a message needs of a supporter (loaded for a whole batch in one query)."""

    recipient_id: int
    supporter_id: int
    email: str
    first_name: str
    last_name: str
    zip_code: str
    city: str | None
    state: str | None
    district: int | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class RenderedMessage:
    sender: str
    recipient: str
    data: bytes


class MailingRenderer:
    """Compiles a mailing's texts once; renders one message per recipient in microseconds."""

    UNSUBSCRIBE_MARK = "\x00unsubscribe\x00"

    def __init__(self, mailing: Mailing, alert: Alert):
        # Plain values only: the sending loop commits after every message, and ORM objects
        # would reload themselves after each commit.
        self.mailing_id = mailing.id
        self.subject = compile_template(mailing.subject, "header",
                                        allowed=ORGANIZER_TEXTS["alert_email_subject"].allowed)
        body_spec = ORGANIZER_TEXTS["alert_email_body"]
        self.html_body = body_spec.compile(mailing.body)
        self.text_body = compile_markdown_text(mailing.body, allowed=body_spec.allowed)
        self.action_path = f"/a/{alert.slug}"
        #: The organization's default per field, for a recipient without a value (as on pages).
        self.defaults = dict(merge_defaults())
        self.static_values = alert_values(alert)
        self.representatives, self.senators = _members_by_seat()
        footer = {"org_name": current_app.config["ORG_NAME"],
                  "postal_address": current_app.config["ORG_POSTAL_ADDRESS"]}
        # The footers are rendered once, with a mark where each supporter's link goes.
        self.text_frame = render_template("email/mailing.txt", body="\x00body\x00",
                                          footer=footer,
                                          unsubscribe_link=self.UNSUBSCRIBE_MARK)
        self.html_frame = render_template("email/mailing.html", body=Markup("\x00body\x00"),
                                          footer=footer,
                                          unsubscribe_link=self.UNSUBSCRIBE_MARK)
        self.sender = current_app.config["MAIL_DEFAULT_SENDER"]
        self.envelope_sender = envelope_address(self.sender)
        self.domain = sender_domain(self.sender)

    def values(self, person: Recipient) -> dict:
        values = dict(self.static_values)
        values.update(supporter_values(person))
        values["action_link"] = public_url(
            f"{self.action_path}?t={make_personal_token(person.supporter_id)}")
        values["unsubscribe_link"] = public_url(
            f"/u/{make_unsubscribe_token(person.supporter_id)}")
        values.update(member_values(self.representatives.get((person.state, person.district)),
                                    self.senators.get(person.state, [])))
        return values

    def render(self, person: Recipient) -> RenderedMessage:
        values = self.values(person)
        link = values["unsubscribe_link"]
        defaults = self.defaults
        text = self.text_frame.replace(
            "\x00body\x00", self.text_body.render(values, defaults=defaults)) \
            .replace(self.UNSUBSCRIBE_MARK, link)
        html = self.html_frame.replace(
            "\x00body\x00", self.html_body.render(values, defaults=defaults)) \
            .replace(self.UNSUBSCRIBE_MARK, link)
        data = compose(
            sender=self.sender, to=person.email,
            subject=self.subject.render(values, defaults=defaults),
            text=text, html=html, domain=self.domain,
            headers={
                # RFC 8058 one-click unsubscribe: mail clients POST to this address.
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "X-Alerta-Mailing": str(self.mailing_id),
            })
        return RenderedMessage(self.envelope_sender, person.email, data)


def _members_by_seat():
    """(state, district) → representative and state → senators, from the congress index."""
    index = current_index()
    representatives = {(seat.state, seat.number): member for seat, member in index.seats.items()}
    return representatives, dict(index.senators)
