"""The provider interface: what Alerta asks of a telephony provider, and the call steps it
answers with, in no provider's own format. Twilio is the one provider (twilio_provider.py);
another implements the same four methods."""

from dataclasses import dataclass
from typing import Protocol

from flask import current_app


class ProviderError(Exception):
    """The provider refused the request or could not be reached."""


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class Play:
    url: str


@dataclass(frozen=True)
class Gather:
    """Say the prompts and wait for up to `digits` keys, posted to `action`; without a key,
    the steps after it run."""

    prompts: tuple[Say | Play, ...]
    action: str
    digits: int = 1
    timeout_seconds: int = 6


@dataclass(frozen=True)
class Dial:
    """Connect the caller to `number`; when the leg ends, the outcome is posted to `action`."""

    number: str
    action: str
    caller_id: str | None = None


@dataclass(frozen=True)
class Redirect:
    url: str


@dataclass(frozen=True)
class Hangup:
    pass


Step = Say | Play | Gather | Dial | Redirect | Hangup


@dataclass(frozen=True)
class Reply:
    """What the provider is told to do next, in the caller's voice language (en-US, es-US)."""

    steps: tuple[Step, ...]
    voice_language: str = "en-US"


class Provider(Protocol):
    name: str
    caller_id: str

    def place_call(self, to: str, *, answer_url: str, status_url: str) -> str:
        """Ring `to`; the provider fetches answer_url when they pick up. Returns the
        provider's call id. Raises ProviderError."""

    def check(self) -> list[str]:
        """Ask the provider whether the settings work: the problems found (none: fine)."""

    def is_signed(self, url: str, params: dict, signature: str) -> bool:
        """Whether a webhook request really comes from the provider."""

    def render(self, reply: Reply) -> tuple[str, str]:
        """The reply in the provider's format: (body, content type)."""


REQUIRED_SETTINGS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_CALLER_ID",
                     "PUBLIC_BASE_URL")


def is_configured(config=None) -> bool:
    """Whether the organization set telephony up; unset, the call step is a tel: link."""
    config = current_app.config if config is None else config
    return all(config.get(name) for name in REQUIRED_SETTINGS)
