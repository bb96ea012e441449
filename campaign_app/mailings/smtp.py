"""SMTP sending for bulk mail over one reused connection, marking each message sent exactly
when the server commits it.

The order is what keeps a crash from sending twice: the body goes out, then our database marks
the recipient sent (committed), and only then the final "." that makes the server accept the
message. A worker killed before the "." leaves an incomplete message the server discards, and a
recipient still pending; killed after it, the recipient is already marked sent. What remains is
the few microseconds between our commit and writing the "." to the socket.
"""

import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import getaddresses

from ..delivery.mailer import open_connection

CRLF = b"\r\n"


class RecipientRefused(Exception):
    """The server refused the message; `after_commit` when the dot had been sent."""

    def __init__(self, code: int, message: str, *, after_commit: bool = False):
        self.code = code
        self.after_commit = after_commit
        super().__init__(f"{code} {message}")


def _dot_stuffed(message: EmailMessage) -> bytes:
    data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    data = smtplib._quote_periods(data)  # noqa: SLF001 - smtplib's own dot-stuffing
    return data if data.endswith(CRLF) else data + CRLF


class BulkConnection:
    """One SMTP session for a batch of messages."""

    def __init__(self):
        self.smtp = open_connection()

    def send(self, message: EmailMessage, before_commit: Callable[[], None]) -> None:
        """Send one message; `before_commit` runs after the body, before the final dot.

        Raises RecipientRefused for a refusal (4xx/5xx) before the dot — `before_commit` has
        not run then — and smtplib/OS errors for a broken connection.
        """
        smtp = self.smtp
        sender = getaddresses([message["From"]])[0][1]
        recipient = getaddresses([message["To"]])[0][1]
        code, reply = smtp.mail(sender)
        if code != 250:
            smtp.rset()
            raise RecipientRefused(code, reply.decode(errors="replace"))
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            smtp.rset()
            raise RecipientRefused(code, reply.decode(errors="replace"))
        smtp.putcmd("data")
        code, reply = smtp.getreply()
        if code != 354:
            smtp.rset()
            raise RecipientRefused(code, reply.decode(errors="replace"))
        smtp.send(_dot_stuffed(message))
        before_commit()
        smtp.send(b"." + CRLF)
        code, reply = smtp.getreply()
        if code != 250:
            raise RecipientRefused(code, reply.decode(errors="replace"), after_commit=True)

    def close(self) -> None:
        try:
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.smtp.close()
