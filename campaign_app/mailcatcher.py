"""A local SMTP server that keeps every message as a file: the embedded default's mailbox."""

from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

from .core.time import utcnow


class _SaveToFolder:
    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content, policy=policy.default)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}.eml"
        path.write_bytes(envelope.content)
        print(f"✉  mail to {', '.join(envelope.rcpt_tos)}: {message['Subject']}  ({path.name})",
              flush=True)
        return "250 Message accepted for delivery"


def start_mail_catcher(host: str, port: int, folder: Path) -> Controller:
    controller = Controller(_SaveToFolder(folder), hostname=host, port=port)
    controller.start()
    return controller
