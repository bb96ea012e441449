"""The action page: form → the supporter's members → report a call."""

import re

import pytest
from sqlalchemy import func, select

from campaign_app.actions.models import Action
from campaign_app.core.db import db
from campaign_app.delivery.models import Delivery
from campaign_app.supporters.models import Supporter
from tests.factories import add_alert
from tests.helpers import form_for, submit_form

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "Ana.Gomez@Example.org",
       "zip_code": "82001"}


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_appeal_greets_with_fallback_before_the_form(client, full_data):
    alert = add_alert()
    page = client.get(f"/a/{alert.slug}")
    assert page.status_code == 200
    assert "Friend, can you take five minutes today" in page.text
    assert "[[" not in page.text


def test_form_shows_members_with_tel_links_and_script(client, full_data):
    alert = add_alert()
    response = submit_form(client, f"/a/{alert.slug}", ANA)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "Rep. Harriet M. Hageman" in page.text
    assert page.text.count("Sen. ") >= 2
    assert 'href="tel:+12022252311"' in page.text
    assert "my name is Ana" in page.text
    supporter = db.session.scalars(select(Supporter)).one()
    assert supporter.email == "ana.gomez@example.org"
    assert (supporter.state, supporter.district, supporter.district_source) == \
        ("WY", 0, "zip-unique")


def test_reporting_a_call_stores_an_action_and_a_confirmation(client, full_data):
    alert = add_alert()
    call_url = submit_form(client, f"/a/{alert.slug}", ANA).headers["Location"]
    page = client.get(call_url)
    form = form_for(page.text, containing="submission_key")
    response = client.post(form["action"], data={**form["fields"], "outcome": "talked",
                                                 "note": "Spoke with Maria"})
    assert response.status_code == 302
    action = db.session.scalars(select(Action)).one()
    assert (action.kind, action.outcome, action.note) == ("call", "talked", "Spoke with Maria")
    delivery = db.session.scalars(select(Delivery)).one()
    assert delivery.kind == "confirmation" and delivery.supporter_id == action.supporter_id
    assert "Reported: Talked to staff" in client.get(call_url).text

    # The same form sent again (a double click, a resent POST) records nothing new.
    client.post(form["action"], data={**form["fields"], "outcome": "talked"})
    assert _count(Action) == 1
    assert _count(Delivery) == 1


def test_returning_supporter_is_updated_not_duplicated(client, full_data):
    alert = add_alert()
    submit_form(client, f"/a/{alert.slug}", ANA)
    submit_form(client, f"/a/{alert.slug}", {**ANA, "email": " ana.gomez@EXAMPLE.org ",
                                             "zip_code": "05401"})
    supporter = db.session.scalars(select(Supporter)).one()
    assert supporter.state == "VT"


def test_the_optional_phone_is_kept_and_not_erased_by_a_later_blank(client, full_data):
    alert = add_alert()
    assert 'type="tel"' in client.get(f"/a/{alert.slug}").text
    submit_form(client, f"/a/{alert.slug}", {**ANA, "phone": " (307) 555-0143 "})
    submit_form(client, f"/a/{alert.slug}", {**ANA, "phone": ""})
    supporter = db.session.scalars(select(Supporter)).one()
    assert supporter.phone == "(307) 555-0143"


def test_call_report_for_someone_elses_member_is_refused(client, full_data):
    alert = add_alert()
    call_url = submit_form(client, f"/a/{alert.slug}", ANA).headers["Location"]
    form = form_for(client.get(call_url).text, containing="submission_key")
    response = client.post(form["action"], data={**form["fields"], "bioguide_id": "S000148",
                                                 "outcome": "talked"})
    assert response.status_code == 422
    assert "not one of your targets" in response.text
    assert _count(Action) == 0


def test_call_page_without_a_supporter_goes_back_to_the_form(client, full_data):
    alert = add_alert()
    response = client.get(f"/a/{alert.slug}/call")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/a/{alert.slug}")


def test_draft_alert_is_not_public(client):
    alert = add_alert(status="draft")
    assert client.get(f"/a/{alert.slug}").status_code == 404


def test_closed_alert_takes_no_new_actions(client, full_data):
    alert = add_alert(status="closed")
    page = client.get(f"/a/{alert.slug}")
    assert "This alert has closed" in page.text
    assert not re.search(r'name="zip_code"', page.text)


def test_multi_district_zip_lists_every_candidate(client, full_data):
    alert = add_alert()
    response = submit_form(client, f"/a/{alert.slug}", {**ANA, "zip_code": "10001"})
    assert response.headers["Location"].endswith(f"/a/{alert.slug}/district")
    page = client.get(response.headers["Location"])
    assert "more than one congressional district" in page.text
    assert "NY-10" in page.text and "NY-12" in page.text
    supporter = db.session.scalars(select(Supporter)).one()
    assert (supporter.state, supporter.district, supporter.district_source) == \
        ("NY", None, "zip-ambiguous")
