"""What the CWC tests share: the app set up as a delivery agent CWC accepts, and one
constituent's message to send."""

import pytest

from campaign_app.delivery import cwc
from tests.services import CWC_SETTINGS

ANA = cwc.Constituent("Ms.", "Ana", "Gómez", "2020 Carey Ave", "Cheyenne", "WY", "82001",
                      "ana@example.org", phone="307-555-0100")
LETTER = cwc.Letter(subject="Sign the Dear Colleague letter", topic="International Affairs",
                    organization_statement="Please sign the letter on human rights.")


@pytest.fixture
def cwc_app(app, monkeypatch):
    """The app with delivery-agent settings CWC accepts, in an app context."""
    for key, value in CWC_SETTINGS.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.config, "ORG_LEGAL_NAME", "")
    with app.app_context():
        yield app
