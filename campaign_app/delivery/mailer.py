"""Email over SMTP, with the MAIL_* settings."""

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from .errors import PermanentDeliveryError, TransientDeliveryError


class TransientMailError(TransientDeliveryError):
    """The server could not take the message now; try again later."""


class PermanentMailError(PermanentDeliveryError):
    """The server refused the message for good (e.g. a bad recipient)."""


def build_message(*, to: str, subject: str, text: str, html: str | None = None,
                  sender: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender or current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = " ".join(subject.splitlines())
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender_domain(message["From"]))
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def envelope_address(sender: str) -> str:
    """'Alerta <alerts@example.org>' → 'alerts@example.org'."""
    return sender.rsplit("<", 1)[-1].rstrip(">").strip()


def sender_domain(sender: str) -> str:
    """The sender's domain, for Message-IDs: 'example.org' ('localhost' without one)."""
    address = envelope_address(sender)
    return address.rsplit("@", 1)[-1] if "@" in address else "localhost"


def open_connection() -> smtplib.SMTP:
    config = current_app.config
    cls = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    connection = cls(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
    if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
        connection.starttls()
    if config["MAIL_USERNAME"]:
        connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return connection


def send_message(message: EmailMessage) -> None:
    """Send one message; SMTP 5xx refusals are permanent, the rest transient."""
    _send(lambda connection: connection.send_message(message))


def send_raw(sender: str, recipient: str, data: bytes) -> None:
    """Send an already composed message (bytes with CRLF line ends)."""
    _send(lambda connection: connection.sendmail(sender, [recipient], data))


def _send(deliver) -> None:
    try:
        with open_connection() as connection:
            deliver(connection)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        if all(code >= 500 for code in codes):
            raise PermanentMailError(str(error.recipients)) from error
        raise TransientMailError(str(error.recipients)) from error
    except smtplib.SMTPResponseException as error:
        if error.smtp_code >= 500:
            raise PermanentMailError(f"{error.smtp_code} {error.smtp_error!r}") from error
        raise TransientMailError(f"{error.smtp_code} {error.smtp_error!r}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise TransientMailError(str(error) or type(error).__name__) from error
