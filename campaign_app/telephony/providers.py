"""The provider in use: TELEPHONY_PROVIDER names one of PROVIDERS (Twilio, for now)."""

from importlib import import_module

from flask import current_app

from .provider import Provider

#: Name → "module:class". Imported on first use: the twilio package and the requests stack
#: under it take ~5 MB, in processes that place or answer calls, not in every web worker.
PROVIDERS = {"twilio": "campaign_app.telephony.twilio_provider:TwilioProvider"}


def provider() -> Provider:
    """Built per use from the settings: no client is kept across requests or forks."""
    module, _, name = PROVIDERS[current_app.config["TELEPHONY_PROVIDER"]].partition(":")
    return getattr(import_module(module), name)(current_app.config)
