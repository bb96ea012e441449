"""SMTP sending for bulk mail over one reused connection, marking each message sent exactly
when the server commits it.

The order is what keeps a crash from sending twice: the body goes out, then our database marks
the recipient sent (committed), and only then the final "." that makes the server accept the
message. A worker killed before the "." leaves an incomplete message the server discards, and a
recipient still pending; killed after it, the recipient is already marked sent. What remains is
the few microseconds between our commit and writing the "." to the socket.
"""

import smtplib
import socket
from collections.abc import Callable

from ..delivery.mailer import open_connection

CRLF = b"\r\n"


class RecipientRefused(Exception):
    """The server refused the message; `after_commit` when the dot had been sent."""

    def __init__(self, code: int, message: str, *, after_commit: bool = False):
        self.code = code
        self.after_commit = after_commit
        super().__init__(f"{code} {message}")


def _dot_stuffed(data: bytes) -> bytes:
    data = smtplib._quote_periods(data)  # noqa: SLF001 - smtplib's own dot-stuffing
    return data if data.endswith(CRLF) else data + CRLF


class ClaimLost(Exception):
    """Another worker took the recipient over: the message was abandoned before its dot."""


class ReplyLost(Exception):
    """The connection broke after the dot: the server most likely did not take the message
    (it answers at once when it does), so it is sent again later, as SMTP clients do."""


class BulkConnection:
    """One SMTP session for a batch of messages."""

    def __init__(self):
        self.smtp = open_connection()
        # The final "." is a tiny write after the body: without this, Nagle's algorithm and
        # the server's delayed ACK hold it ~40 ms per message.
        self.smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.smtp.ehlo_or_helo_if_needed()

    def send(self, sender: str, recipient: str, message: bytes,
             before_commit: Callable[[], bool]) -> None:
        """Send one message; `before_commit` runs after the body, before the final dot, and
        says whether to go on.

        Raises RecipientRefused for a refusal (4xx/5xx), ClaimLost when `before_commit` said
        no (the connection is dropped so the server discards the unfinished message),
        ReplyLost when the connection broke after the dot, and smtplib/OS errors for a
        connection broken before it.
        """
        smtp = self.smtp
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
        if not before_commit():
            smtp.close()
            raise ClaimLost(recipient)
        try:
            smtp.send(b"." + CRLF)
            code, reply = smtp.getreply()
        except (smtplib.SMTPException, OSError) as error:
            raise ReplyLost(str(error)) from error
        if code != 250:
            raise RecipientRefused(code, reply.decode(errors="replace"), after_commit=True)

    def close(self) -> None:
        try:
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.smtp.close()
