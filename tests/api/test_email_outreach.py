"""Issue 16: the record outreach helper records emails too, sent as the action page's email
step sends them: the form's rules, CWC or the office's contact form, one email per person,
office and alert, and the same answer again under an Idempotency-Key."""

import pytest
from sqlalchemy import select

from campaign_app.actions.models import Action
from campaign_app.congress.models import Legislator
from campaign_app.delivery.models import Delivery
from campaign_app.delivery.tasks import send_delivery
from tests.api.conftest import PERSON
from tests.factories import add_alert

pytestmark = pytest.mark.full_data

SENDER = {**PERSON, "honorific_prefix": "Ms.",
          "postal_addresses": [{"postal_code": "82001", "address_lines": ["2020 Carey Ave"],
                                "locality": "Cheyenne"}]}


def _email(bioguide_id="H001096", **changes) -> dict:
    return {"person": SENDER, "type": "email",
            "targets": [{"identifiers": [f"bioguide:{bioguide_id}"]}], **changes}


def test_an_email_outreach_goes_through_cwc_once_per_office(api, db_session, cwc_server):
    alert = add_alert()
    call = api("read_write")
    path = f"/api/v1/advocacy_campaigns/{alert.id}/outreaches"
    answer = call("POST", path, json=_email(message="Please sign. [[Target_Name]], thank you.",
                                            custom_fields={"is_response_requested": True}))
    assert answer.status_code == 201, answer.json
    assert answer.json["type"] == "email"
    assert answer.json["targets"][0]["identifiers"] == ["bioguide:H001096"]
    action = db_session.scalars(select(Action)).one()
    assert (action.kind, action.channel, action.is_response_requested) == ("email", "cwc", True)
    assert action.message_body == "Please sign. Rep. Harriet M. Hageman, thank you."
    assert action.is_message_edited
    delivery = db_session.scalars(select(Delivery).where(
        Delivery.kind == "congress_email")).one()
    assert send_delivery.apply(args=[delivery.id]).get() == "delivered"
    message = cwc_server.received[0]
    assert message.findtext("Recipient/MemberOffice") == "HWY00"
    assert message.findtext("Constituent/Prefix") == "Ms."
    assert message.findtext("Constituent/Address1") == "2020 Carey Ave"
    # the same email again: the first one, not a second message to the office
    again = call("POST", path, json=_email())
    assert again.status_code == 200 and again.json["identifiers"] == answer.json["identifiers"]
    replayed = call("POST", path, json=_email(), headers={"Idempotency-Key": "event-7"})
    repeat = call("POST", path, json=_email(), headers={"Idempotency-Key": "event-7"})
    assert repeat.headers["Idempotent-Replayed"] == "true" and repeat.json == replayed.json
    assert len(db_session.scalars(select(Action)).all()) == 1
    assert len(db_session.scalars(select(Delivery).where(
        Delivery.kind == "congress_email")).all()) == 1


def test_without_cwc_the_email_goes_to_the_contact_form_in_the_campaigns_words(api,
                                                                                db_session):
    alert = add_alert()
    answer = api("read_write")("POST", f"/api/v1/advocacy_campaigns/{alert.id}/outreaches",
                               json=_email("B001261"))
    assert answer.status_code == 201, answer.json
    action = db_session.scalars(select(Action)).one()
    assert (action.channel, action.status, action.is_message_edited) == \
        ("contact_form", "contact_form", False)
    assert action.message_subject == alert.email_subject
    assert "Barrasso" in action.message_body
    assert db_session.scalars(select(Delivery.kind)).all() == ["confirmation"]


def test_email_outreaches_are_refused_readably_where_the_email_step_refuses(
        api, db_session, cwc_server):
    alert = add_alert()
    elsewhere = db_session.scalars(select(Legislator.bioguide_id).where(
        Legislator.state == "CA", Legislator.is_current)).first()
    no_street = {**SENDER, "postal_addresses": [{"postal_code": "82001"}]}
    no_title = {k: v for k, v in SENDER.items() if k != "honorific_prefix"}
    cases = [
        (_email(elsewhere), "targets[0].identifiers[0]"),
        (_email(person=no_street), "person.postal_addresses[0].address_lines[0]"),
        (_email(person=no_title), "person.honorific_prefix"),
        (_email(subject="Hi"), "subject"),
        (_email(custom_fields={"outcome": "talked"}), "custom_fields.outcome"),
        ({**_email(custom_fields={"outcome": "talked"}), "type": "phone", "subject": "Hi"},
         "subject"),
        ({**_email(), "type": "phone"}, "custom_fields.outcome"),
    ]
    call = api("read_write")
    for body, field in cases:
        answer = call("POST", f"/api/v1/advocacy_campaigns/{alert.id}/outreaches", json=body)
        assert answer.status_code == 422, (field, answer.json)
        assert field in [error["field"] for error in answer.json["errors"]], answer.json
    calls_only = add_alert(channels=["call"])
    answer = call("POST", f"/api/v1/advocacy_campaigns/{calls_only.id}/outreaches",
                  json=_email())
    assert answer.status_code == 422 and answer.json["errors"][0]["field"] == "type"
    assert db_session.scalars(select(Action)).all() == []
