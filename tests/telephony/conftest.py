"""The Twilio stand-in, configured as the app's provider, and the app served over HTTP
behind a public address (as behind a proxy) for the stand-in to call."""

import pytest

from tests.twilio_server import TwilioServer

ACCOUNT_SID = "AC" + "5e" * 16
AUTH_TOKEN = "7f" * 16
CALLER_ID = "+13075550100"
#: The address Twilio is given and signs for; the stand-in forwards it to the live server.
PUBLIC_BASE_URL = "https://alerta.example.org"


def telephony_settings(server: TwilioServer) -> dict:
    return {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_CALLER_ID": CALLER_ID, "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "TWILIO_API_BASE_URL": server.url}


@pytest.fixture
def twilio(app, monkeypatch):
    with TwilioServer(ACCOUNT_SID, AUTH_TOKEN, {CALLER_ID}) as server:
        for key, value in telephony_settings(server).items():
            monkeypatch.setitem(app.config, key, value)
        yield server


@pytest.fixture
def phone_network(twilio, live_server):
    """The stand-in reaching the app as Twilio reaches it: at the public address."""
    twilio.proxy[PUBLIC_BASE_URL] = live_server
    return twilio
