"""A member who already signed the letter is thanked, not urged — or left out, if chosen."""

import pytest
from sqlalchemy import select

from campaign_app.actions.models import Action
from campaign_app.core.db import db
from campaign_app.signons.operations import record_member_signon
from tests.factories import add_alert, add_user
from tests.helpers import form_for, submit_form

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
       "zip_code": "82001"}
HAGEMAN = "H001096"


def _signed(alert):
    staff = add_user(email="staff@example.org", role="organizer")
    record_member_signon(alert, HAGEMAN, by=staff, source="office confirmed by phone")
    db.session.commit()


def test_supporter_is_asked_to_thank_a_member_who_signed(client, full_data):
    alert = add_alert()
    _signed(alert)
    submit_form(client, f"/a/{alert.slug}", ANA)
    page = client.get(f"/a/{alert.slug}/call").text
    assert "Harriet M. Hageman has signed the letter." in page
    assert "thank Rep. Harriet M. Hageman for signing" in page
    assert "to <strong>sign the Dear Colleague letter</strong>" in page  # senators still urged
    forms = [f for f in __import__("tests.helpers", fromlist=["forms_on"]).forms_on(page)
             if f["fields"].get("bioguide_id") == HAGEMAN]
    client.post(forms[0]["action"], data={**forms[0]["fields"], "outcome": "talked"})
    assert db.session.scalars(select(Action.kind)).one() == "thank"


def test_signed_members_can_be_left_out(client, full_data):
    alert = add_alert(skip_signed=True)
    _signed(alert)
    submit_form(client, f"/a/{alert.slug}", ANA)
    page = client.get(f"/a/{alert.slug}/call").text
    assert "Hageman" not in page
    assert page.count('class="target"') == 2  # the two senators
    form = form_for(page, containing="submission_key")
    response = client.post(form["action"], data={**form["fields"], "bioguide_id": HAGEMAN,
                                                 "outcome": "talked"})
    assert response.status_code == 422
