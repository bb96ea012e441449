"""The provider in use: TELEPHONY_PROVIDER names one of PROVIDERS (Twilio, for now)."""

from flask import current_app

from .provider import Provider
from .twilio_provider import TwilioProvider

PROVIDERS = {"twilio": TwilioProvider}


def provider() -> Provider:
    """Built per use from the settings: no client is kept across requests or forks."""
    return PROVIDERS[current_app.config["TELEPHONY_PROVIDER"]](current_app.config)
