"""The alert email and its reminders, personalized per recipient from texts compiled once."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup

from ..alerts.models import Alert
from ..alerts.personalize import alert_values, member_values, supporter_values
from ..alerts.queries import merge_defaults
from ..alerts.texts import ORGANIZER_TEXTS
from ..alerts.translations import alert_languages, reading_language, text_in
from ..congress.index import current_index
from ..delivery.mailer import envelope_address, sender_domain
from ..i18n.languages import offered_languages
from ..supporters.sources import mailing_source
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
    #: The supporter's stored language (None: never chosen).
    language: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class RenderedMessage:
    sender: str
    recipient: str
    data: bytes


@dataclass
class LanguageEdition:
    """The mailing in one language: its texts compiled and its frame rendered, once."""

    subject: object
    html_body: object
    text_body: object
    static_values: dict
    text_frame: str
    html_frame: str
    language: str = "en"
    #: The organization's default per field in this language, for a recipient without a
    #: value (as on pages).
    defaults: dict = field(default_factory=dict)


class MailingRenderer:
    """Compiles a mailing's texts once per language; renders one message per recipient in
    microseconds, in the recipient's language (or the organization's default where the alert
    lacks it)."""

    UNSUBSCRIBE_MARK = "\x00unsubscribe\x00"

    def __init__(self, mailing: Mailing, alert: Alert):
        # Plain values only: the sending loop commits after every message, and ORM objects
        # would reload themselves after each commit.
        self.mailing_id = mailing.id
        self.action_path = f"/a/{alert.slug}"
        #: Every link of the mailing says it came from this mailing (counted per source).
        self.source_query = urlencode({"source": mailing_source(mailing.id)})
        self.representatives, self.senators = _members_by_seat()
        #: (language, state, district) → the members' fields, made once per seat.
        self.member_values: dict[tuple, dict] = {}
        #: The mailing's own subject and body are in the alert's language; other languages
        #: take the alert's alert email in that language.
        self.editions = {}
        for language in alert_languages(alert):
            if language == alert.language:
                subject, body = mailing.subject, mailing.body
            else:
                subject = text_in(alert, "alert_email_subject", language)
                body = text_in(alert, "alert_email_body", language)
            self.editions[language] = _edition(alert, subject, body, language)
        self.language_for = {language: reading_language(alert, language)
                             for language in (None, *offered_languages())}
        self.sender = current_app.config["MAIL_DEFAULT_SENDER"]
        self.envelope_sender = envelope_address(self.sender)
        self.domain = sender_domain(self.sender)

    def edition(self, person: Recipient) -> LanguageEdition:
        return self.editions[self.language_for.get(person.language) or self.language_for[None]]

    def values(self, person: Recipient, edition: LanguageEdition | None = None) -> dict:
        edition = edition or self.edition(person)
        values = dict(edition.static_values)
        values.update(supporter_values(person))
        token = make_personal_token(person.supporter_id)
        values["action_link"] = public_url(f"{self.action_path}?t={token}&{self.source_query}")
        values["unsubscribe_link"] = public_url(
            f"/u/{make_unsubscribe_token(person.supporter_id)}")
        values.update(self._members(edition.language, person.state, person.district))
        return values

    def _members(self, language: str, state: str | None, district: int | None) -> dict:
        """The fields of a seat's members in `language`: the titles, the article and the
        " and " between senators are the language's ("a la Senadora … y al Senador …")."""
        key = (language, state, district)
        values = self.member_values.get(key)
        if values is None:
            with force_locale(language):
                values = member_values(self.representatives.get((state, district)),
                                       self.senators.get(state, []))
            self.member_values[key] = values
        return values

    def render(self, person: Recipient) -> RenderedMessage:
        edition = self.edition(person)
        values = self.values(person, edition)
        link = values["unsubscribe_link"]
        defaults = edition.defaults
        text = edition.text_frame.replace(
            "\x00body\x00", edition.text_body.render(values, defaults=defaults)) \
            .replace(self.UNSUBSCRIBE_MARK, link)
        html = edition.html_frame.replace(
            "\x00body\x00", edition.html_body.render(values, defaults=defaults)) \
            .replace(self.UNSUBSCRIBE_MARK, link)
        data = compose(
            sender=self.sender, to=person.email,
            subject=edition.subject.render(values, defaults=defaults),
            text=text, html=html, domain=self.domain,
            headers={
                # RFC 8058 one-click unsubscribe: mail clients POST to this address.
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "X-Alerta-Mailing": str(self.mailing_id),
            })
        return RenderedMessage(self.envelope_sender, person.email, data)


def _edition(alert: Alert, subject: str, body: str, language: str) -> LanguageEdition:
    body_spec = ORGANIZER_TEXTS["alert_email_body"]
    static_values = alert_values(alert, language)
    footer = {"org_name": current_app.config["ORG_NAME"],
              "postal_address": current_app.config["ORG_POSTAL_ADDRESS"]}
    # The footers are rendered once, with a mark where each supporter's link goes.
    with force_locale(language):
        text_frame = render_template("email/mailing.txt", body="\x00body\x00", footer=footer,
                                     unsubscribe_link=MailingRenderer.UNSUBSCRIBE_MARK)
        html_frame = render_template("email/mailing.html", body=Markup("\x00body\x00"),
                                     footer=footer,
                                     unsubscribe_link=MailingRenderer.UNSUBSCRIBE_MARK)
    return LanguageEdition(
        subject=compile_template(subject, "header",
                                 allowed=ORGANIZER_TEXTS["alert_email_subject"].allowed),
        html_body=body_spec.compile(body),
        text_body=compile_markdown_text(body, allowed=body_spec.allowed),
        static_values=static_values, text_frame=text_frame, html_frame=html_frame,
        language=language, defaults=dict(merge_defaults(language)))


def _members_by_seat():
    """(state, district) → representative and state → senators, from the congress index."""
    index = current_index()
    representatives = {(seat.state, seat.number): member for seat, member in index.seats.items()}
    return representatives, dict(index.senators)
