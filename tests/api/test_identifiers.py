"""Issue 16: the identifiers a client gives a person (OSDI's origin_system:id) are kept and
returned with the person, from the signup helper and the record helpers alike."""

from sqlalchemy import select

from campaign_app.api.models import PersonIdentifier
from campaign_app.supporters.models import Supporter
from tests.api.conftest import PERSON
from tests.factories import add_alert


def test_signup_keeps_the_clients_identifiers_and_every_read_returns_them(api, db_session,
                                                                            full_data):
    call = api("read_write")
    first = call("POST", "/api/v1/people",
                 json={"person": {**PERSON, "identifiers": ["actionnetwork:abc-123"]}})
    assert first.status_code == 201, first.json
    supporter_id = db_session.scalars(select(Supporter.id)).one()
    mine = f"alerta:person-{supporter_id}"
    assert first.json["identifiers"] == [mine, "actionnetwork:abc-123"]
    again = call("POST", "/api/v1/people", json={"person": {
        **PERSON, "identifiers": ["actionnetwork:abc-123", "civicrm:77"]}})
    assert again.status_code == 200
    assert again.json["identifiers"] == [mine, "actionnetwork:abc-123", "civicrm:77"]
    read = api("viewer")
    assert read("GET", f"/api/v1/people/{supporter_id}").json["identifiers"] == \
        again.json["identifiers"]
    listed = read("GET", "/api/v1/people").json["_embedded"]["osdi:people"]
    assert [p["identifiers"] for p in listed] == [again.json["identifiers"]]
    assert len(db_session.scalars(select(PersonIdentifier)).all()) == 2


def test_an_identifier_of_another_person_or_of_ours_is_refused_by_name(api, db_session,
                                                                       full_data):
    call = api("read_write")
    call("POST", "/api/v1/people",
         json={"person": {**PERSON, "identifiers": ["actionnetwork:abc-123"]}})
    other = {**PERSON, "email_addresses": [{"address": "bo@example.org"}]}
    taken = call("POST", "/api/v1/people", json={"person": {
        **other, "identifiers": ["civicrm:1", "actionnetwork:abc-123"]}})
    assert taken.status_code == 422, taken.json
    assert taken.json["errors"][0]["field"] == "person.identifiers[1]"
    assert "another person" in taken.json["errors"][0]["description"]
    for bad in ("alerta:person-1", "no-colon", "actionnetwork:", "x:" + "a" * 300):
        answer = call("POST", "/api/v1/people", json={"person": {**other, "identifiers": [bad]}})
        assert answer.status_code == 422, (bad, answer.json)
        assert "person.identifiers" in answer.json["errors"][0]["field"], answer.json
    # nothing of the refused writes was kept
    assert db_session.scalars(select(Supporter.email)).all() == ["ana@example.org"]


def test_the_record_helpers_keep_the_persons_identifiers(api, db_session, full_data):
    alert = add_alert(channels=["call", "signon"], letter_text="Please sign.")
    call = api("read_write")
    outreach = call("POST", f"/api/v1/advocacy_campaigns/{alert.id}/outreaches", json={
        "person": {**PERSON, "identifiers": ["everyaction:9"]}, "type": "phone",
        "targets": [{"identifiers": ["bioguide:H001096"]}],
        "custom_fields": {"outcome": "talked"}})
    assert outreach.status_code == 201, outreach.json
    signature = call("POST", f"/api/v1/petitions/{alert.id}/signatures", json={
        "person": {**PERSON, "identifiers": ["actionkit:31"]}})
    assert signature.status_code == 201, signature.json
    person = call("GET", outreach.json["_links"]["osdi:person"]["href"]).json
    assert person["identifiers"][1:] == ["everyaction:9", "actionkit:31"]
