"""Issue 16: the OSDI helpers (signup, outreach, signature): validation as the action form,
idempotency, audit, and bad input answered with 4xx naming the field."""

from sqlalchemy import func, select

from campaign_app.audit.models import AuditEvent
from campaign_app.supporters.models import Supporter
from tests.api.conftest import PERSON
from tests.factories import add_alert


def test_signup_upserts_by_email_and_updates_identity_fields(api, db_session, full_data):
    call = api("read_write")
    first = call("POST", "/api/v1/people", json={"person": PERSON})
    assert first.status_code == 201, first.json
    renamed = {**PERSON, "family_name": "Lima-Souza",
               "email_addresses": [{"address": " ANA@example.org "}]}
    second = call("POST", "/api/v1/people", json={"person": renamed})
    assert second.status_code == 200 and second.json["family_name"] == "Lima-Souza"
    supporter = db_session.scalars(select(Supporter)).one()
    assert (supporter.last_name, supporter.state, supporter.district) == ("Lima-Souza", "WY", 0)
    assert supporter.is_subscribed
    audit = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("api.person%")).order_by(AuditEvent.id)).all()
    assert [e.action for e in audit] == ["api.person_created", "api.person_updated"]
    assert audit[1].detail["fields"] == ["last_name"]


def test_the_same_idempotency_key_writes_once(api, db_session, full_data):
    call = api("read_write")
    headers = {"Idempotency-Key": "sync-42"}
    first = call("POST", "/api/v1/people", json={"person": PERSON}, headers=headers)
    again = call("POST", "/api/v1/people", json={"person": PERSON}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and again.json == first.json
    assert db_session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "api.person_created")) == 1
    elsewhere = call("POST", "/api/v1/petitions/1/signatures", json={"person": PERSON},
                     headers=headers)
    assert elsewhere.status_code == 422
    assert elsewhere.json["errors"][0]["field"] == "Idempotency-Key"


def test_the_action_forms_rules_apply_and_name_the_osdi_field(api, full_data):
    call = api("read_write")
    cases = [
        ({"email_addresses": [{"address": "not-an-email"}]},
         "person.email_addresses[0].address"),
        ({"postal_addresses": [{"postal_code": "123"}]}, "person.postal_addresses[0].postal_code"),
        ({"postal_addresses": [{"postal_code": "00000"}]},
         "person.postal_addresses[0].postal_code"),
        ({"given_name": "<script>"}, "person.given_name"),
        ({"phone_numbers": [{"number": "call me"}]}, "person.phone_numbers[0].number"),
        ({"given_name": 7}, "person.given_name"),
        ({"nickname": "Ani"}, "person.nickname"),
    ]
    for change, field in cases:
        answer = call("POST", "/api/v1/people", json={"person": {**PERSON, **change}})
        assert answer.status_code == 422, (change, answer.json)
        assert field in [error["field"] for error in answer.json["errors"]], answer.json


def test_malformed_and_oversized_bodies_are_4xx_json(api, app):
    call = api("read_write")
    for body, kwargs in (("{not json", {"content_type": "application/json"}),
                         ("[]", {"content_type": "application/json"}),
                         ("x" * (app.config["MAX_CONTENT_LENGTH"] + 10),
                          {"content_type": "application/json"})):
        answer = call("POST", "/api/v1/people", data=body, **kwargs)
        assert 400 <= answer.status_code < 500, answer.status_code
        assert answer.json["response_code"] == answer.status_code


def test_outreach_refuses_an_unknown_member_and_a_missing_campaign(api, full_data, db_session):
    alert = add_alert()
    call = api("read_write")
    body = {"person": PERSON, "type": "phone", "targets": [{"identifiers": ["bioguide:Z999999"]}],
            "custom_fields": {"outcome": "talked"}}
    answer = call("POST", f"/api/v1/advocacy_campaigns/{alert.id}/outreaches", json=body)
    assert answer.status_code == 422 and answer.json["errors"][0]["field"] == \
        "targets[0].identifiers[0]"
    assert call("POST", "/api/v1/advocacy_campaigns/999999/outreaches",
                json=body).status_code == 404
    body["custom_fields"]["outcome"] = "yelled"
    answer = call("POST", f"/api/v1/advocacy_campaigns/{alert.id}/outreaches", json=body)
    assert answer.status_code == 422 and "custom_fields.outcome" in str(answer.json)
