"""Email to Congress through CWC, against a local server that speaks its format."""

import html
import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from campaign_app.actions.confirmation import build_confirmation
from campaign_app.actions.models import Action
from campaign_app.core.db import db
from campaign_app.delivery import cwc
from campaign_app.delivery.models import Delivery
from campaign_app.delivery.tasks import send_delivery
from tests.factories import add_alert
from tests.helpers import form_for, submit_form

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
       "zip_code": "82001"}
EMAIL = {"prefix": "Ms.", "street": "2020 Carey Ave", "city": "Cheyenne",
         "phone": "307-555-0100"}


@pytest.mark.parametrize("args,code", [
    (("house", "VA", 4, None), "HVA04"),
    (("house", "WY", 0, None), "HWY00"),
    (("house", "CA", 12, None), "HCA12"),
    (("senate", "CA", None, 3), "SCA03"),
    (("senate", "WY", None, 1), "SWY01"),
])
def test_office_codes(args, code):
    assert cwc.office_code(*args) == code


def test_error_elements_are_read_from_the_reply():
    body = b"<Response><Errors><Error>Missing Zip</Error><Error>Bad <b>Prefix</b></Error>" \
           b"</Errors></Response>"
    assert cwc.parse_errors(body) == ["Missing Zip", "Bad Prefix"]
    assert cwc.parse_errors(b"Service down") == ["Service down"]


def _email_form(client, alert):
    response = submit_form(client, f"/a/{alert.slug}", ANA)
    assert response.status_code == 302
    page = client.get(f"/a/{alert.slug}/call")
    return form_for(page.text, containing="street")


def test_email_goes_to_each_office_as_a_cwc_message(client, full_data, cwc_server):
    alert = add_alert(topic="International Affairs")
    form = _email_form(client, alert)
    assert form["fields"]["body"].startswith("Dear [[Target_Name]],")
    body = form["fields"]["body"] + "\n\nI live in Cheyenne & care about this."
    response = client.post(form["action"], data={**form["fields"], **EMAIL, "body": body})
    assert response.status_code == 302
    deliveries = db.session.scalars(select(Delivery).where(
        Delivery.kind == "congress_email").order_by(Delivery.id)).all()
    assert len(deliveries) == 3
    for delivery in deliveries:
        assert send_delivery.apply(args=[delivery.id]).get() == "delivered"
    offices = sorted(root.findtext("Recipient/MemberOffice") for root in cwc_server.received)
    assert offices == ["HWY00", "SWY01", "SWY02"]
    house = next(r for r in cwc_server.received
                 if r.findtext("Recipient/MemberOffice") == "HWY00")
    assert house.findtext("Constituent/Prefix") == "Ms."
    assert house.findtext("Constituent/FirstName") == "Ana"
    assert house.findtext("Constituent/LastName") == "Gómez"
    assert house.findtext("Constituent/Address1") == "2020 Carey Ave"
    assert house.findtext("Constituent/StateAbbreviation") == "WY"
    assert house.findtext("Constituent/Zip") == "82001"
    assert house.findtext("Constituent/Email") == "ana@example.org"
    message = house.findtext("Message/ConstituentMessage")  # edited: the supporter's words
    assert message.startswith("Dear Rep. Harriet M. Hageman,")
    assert message.endswith("I live in Cheyenne & care about this.")
    assert house.findtext("Message/LibraryOfCongressTopics/LibraryOfCongressTopic") == \
        "International Affairs"
    assert [child.tag for child in house] == ["CWCVersion", "Delivery", "Recipient",
                                              "Constituent", "Message"]
    # A re-run of a delivered task sends nothing more.
    assert send_delivery.apply(args=[deliveries[0].id]).get() == "skipped"
    assert len(cwc_server.received) == 3
    statuses = set(db.session.scalars(select(Action.status).where(Action.kind == "email")))
    assert statuses == {"delivered"}
    assert "Email: delivered" in client.get(f"/a/{alert.slug}/call").text


def test_refusal_is_a_permanent_failure_shown_with_its_reason(client, full_data, cwc_server):
    cwc_server.offices = {"SWY01", "SWY02", "HWY00"}
    alert = add_alert()
    form = _email_form(client, alert)
    client.post(form["action"], data={**form["fields"], **EMAIL})
    delivery = db.session.scalars(select(Delivery).where(
        Delivery.kind == "congress_email")).first()
    cwc_server.offices = set()  # the office left CWC between the page and the send
    assert send_delivery.apply(args=[delivery.id]).get() == "failed"
    db.session.refresh(delivery)
    assert delivery.status == "failed" and delivery.attempt_count == 1
    assert "CWC 400" in delivery.last_error and "not an active office" in delivery.last_error


def test_overloaded_service_is_retried(app, client, full_data, cwc_server):
    alert = add_alert()
    form = _email_form(client, alert)
    client.post(form["action"], data={**form["fields"], **EMAIL})
    delivery = db.session.scalars(select(Delivery).where(
        Delivery.kind == "congress_email")).first()
    cwc_server.fail_next = 2
    send_delivery.apply(args=[delivery.id])  # eager retries: 503, 503, then accepted
    db.session.refresh(delivery)
    assert (delivery.status, delivery.attempt_count) == ("delivered", 3)
    assert len(cwc_server.received) == 1


def test_offices_not_on_cwc_get_the_contact_form(client, full_data, cwc_server):
    cwc_server.offices = {"HWY00"}
    alert = add_alert()
    form = _email_form(client, alert)
    client.post(form["action"], data={**form["fields"], **EMAIL})
    channels = dict(db.session.execute(select(Action.bioguide_id, Action.channel).where(
        Action.kind == "email")).all())
    assert sorted(channels.values()) == ["contact_form", "contact_form", "cwc"]
    page = html.unescape(client.get(f"/a/{alert.slug}/call").text)
    assert "Send your message through the contact forms" in page
    assert "Dear Sen. John Barrasso," in page
    # The confirmation says which went to Congress and which wait in a contact form.
    confirmation = db.session.scalars(select(Delivery).where(
        Delivery.kind == "confirmation")).one()
    lines = build_confirmation(confirmation).get_body(("plain",)).get_content().splitlines()
    assert "- Emailed Rep. Harriet M. Hageman" in lines
    assert "- Wrote to Sen. John Barrasso (through the office's contact form)" in lines


def test_without_cwc_every_office_gets_the_contact_form(client, full_data):
    alert = add_alert()
    form = _email_form(client, alert)
    response = client.post(form["action"], data={**form["fields"], **EMAIL})
    assert response.status_code == 302
    assert db.session.scalars(select(Delivery).where(
        Delivery.kind == "congress_email")).first() is None
    assert set(db.session.scalars(select(Action.channel))) == {"contact_form"}
    page = client.get(f"/a/{alert.slug}/call").text
    assert "Open the contact form" in page


def test_self_selected_district_does_not_go_through_cwc(client, full_data, cwc_server):
    from campaign_app.supporters.models import Submission

    alert = add_alert()
    form = _email_form(client, alert)
    # The district as this browser placed it (what its pages and operations read).
    submission = db.session.scalars(select(Submission)).one()
    submission.district_source = "self-selected"
    db.session.commit()
    client.post(form["action"], data={**form["fields"], **EMAIL})
    channels = dict(db.session.execute(select(Action.bioguide_id, Action.channel).where(
        Action.kind == "email")).all())
    assert channels["H001096"] == "contact_form"
    assert sorted(channels.values()) == ["contact_form", "cwc", "cwc"]


@pytest.mark.parametrize("changes,message", [
    ({"subject": "Hello\r\nBcc: evil@example.org"}, "line breaks"),
    ({"subject": "x" * 501}, "under 500 characters"),
    ({"body": "x" * 5001}, "under 5,000 characters"),
    ({"body": ""}, "Please keep a message."),
    ({"street": ""}, "street address"),
    ({"street": "<script>alert(1)</script>"}, ""),
    ({"prefix": "Lord"}, "Not a valid choice"),
    ({"phone": "call me maybe"}, "phone number"),
    ({"csrf_token": ""}, "form expired"),
])
def test_bad_email_input_is_refused_and_nothing_is_sent(client, full_data, changes, message):
    alert = add_alert()
    form = _email_form(client, alert)
    response = client.post(form["action"], data={**form["fields"], **EMAIL, **changes})
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    assert "<script>alert(1)</script>" not in response.text
    assert db.session.scalars(select(Action).where(Action.kind == "email")).first() is None
    assert db.session.scalars(select(Delivery)).first() is None


def test_fixed_text_ignores_what_was_posted(client, full_data):
    alert = add_alert(is_email_editable=False)
    form = _email_form(client, alert)
    client.post(form["action"], data={**form["fields"], **EMAIL, "body": "Something else"})
    body = db.session.scalars(select(Action.message_body)).first()
    assert body.startswith("Dear Rep. Harriet M. Hageman,") and "Something else" not in body


def test_built_xml_follows_the_example_order(app):
    with app.app_context():
        app.config.update(CWC_DELIVERY_AGENT="Alerta", CWC_DELIVERY_AGENT_EMAIL="a@x.org",
                          CWC_DELIVERY_AGENT_CONTACT_NAME="Alerta Ops",
                          CWC_DELIVERY_AGENT_PHONE="202-555-0143")
        xml = cwc.build_message(
            delivery_key="cwc:1", campaign="c" * 64, office="HVA04",
            constituent=cwc.Constituent("Dr.", "José", "O'Brien", "1 Main St", "Arlington",
                                        "VA", "22201", "j@example.org"),
            letter=cwc.Letter(subject="Subject & <more>", topic="Health",
                              organization_statement="The text"))
    root = ET.fromstring(xml)
    delivery = [child.tag for child in root.find("Delivery")]
    assert delivery == ["DeliveryId", "DeliveryDate", "DeliveryAgent",
                        "DeliveryAgentAckEmailAddress", "DeliveryAgentContact", "Organization",
                        "CampaignId"]
    assert len(root.findtext("Delivery/DeliveryId")) == 32
    assert root.findtext("Delivery/DeliveryId").isalnum()
    assert root.findtext("Message/Subject") == "Subject & <more>"
    assert root.findtext("Constituent/FirstName") == "José"


def _validate(client, alert, **values):
    preview = f"/staff/alerts/{alert.id}/preview?first_name=Ana&last_name=G%C3%B3mez&zip_code=82001"
    page = client.get(preview)
    assert "Validate with CWC" in page.text
    form = form_for(page.text, action=f"/staff/alerts/{alert.id}/preview/cwc")
    return client.post(form["action"], data={**form["fields"], "city": "Cheyenne", **values})


def test_staff_validate_an_alerts_email_with_cwc_office_by_office(login, cwc_server, full_data,
                                                                  db_session):
    client = login("organizer")
    alert = add_alert(channels=["call", "email"])
    cwc_server.offices = {"HWY00", "SWY01"}  # one senator's office is not on CWC
    response = _validate(client, alert, street="2020 Carey Ave")
    assert response.status_code == 200
    text = html.unescape(response.text)
    rows = re.findall(r"<code>(\w+)</code></td>\s*<td>(.*?)</td>", text, re.S)
    results = {office: " ".join(result.split()) for office, result in rows}
    assert results["HWY00"] == '<span class="ok">Accepted</span>'
    assert results["SWY01"] == '<span class="ok">Accepted</span>'
    assert results["SWY02"].startswith("Not on CWC")
    assert cwc_server.received == []  # a dry run delivers nothing


def test_cwc_refusals_reach_the_organizer_with_the_reason(login, cwc_server, full_data, db_session):
    client = login("organizer")
    alert = add_alert(channels=["email"], email_subject="")
    text = html.unescape(_validate(client, alert, street="2020 Carey Ave").text)
    assert text.count("Refused:") == 3
    assert "Message/Subject must be 6–500 characters" in text


def test_cwc_validation_needs_a_street_address(login, cwc_server, full_data, db_session):
    client = login("organizer")
    alert = add_alert(channels=["email"])
    response = _validate(client, alert, street="")
    assert response.status_code == 422
    assert "CWC requires a street address." in response.text


def test_no_validate_button_without_cwc(login, full_data, db_session):
    client = login("organizer")
    alert = add_alert(channels=["call", "email"])
    page = client.get(f"/staff/alerts/{alert.id}/preview?zip_code=82001")
    assert page.status_code == 200
    assert "Validate with CWC" not in page.text
