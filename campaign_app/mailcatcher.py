"""A local SMTP server that keeps every message as a file: the embedded default's mailbox.

Those files are copies of supporters' emails: erasing a supporter deletes theirs too
(`forget_messages`)."""

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


def mail_folder(instance_path: str | Path) -> Path:
    """Where the embedded default's catcher keeps its messages."""
    return Path(instance_path) / "mail"


def _mentions(path: Path, address: str) -> bool:
    """The message is to, from or about the address: in a header or in a text part (where
    an encoding would hide it from a plain search of the file)."""
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    if any(address in str(value).lower() for value in message.values()):
        return True
    return any(address in part.get_content().lower() for part in message.walk()
               if part.get_content_maintype() == "text")


def forget_messages(folder: Path, address: str) -> int:
    """Delete the caught messages that name `address`; how many."""
    address = address.strip().lower()
    if not address or not folder.is_dir():
        return 0
    found = [path for path in folder.glob("*.eml") if _mentions(path, address)]
    for path in found:
        path.unlink(missing_ok=True)
    return len(found)


def start_mail_catcher(host: str, port: int, folder: Path) -> Controller:
    controller = Controller(_SaveToFolder(folder), hostname=host, port=port)
    controller.start()
    return controller
