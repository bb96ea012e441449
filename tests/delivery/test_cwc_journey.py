"""A supporter's email to Congress through CWC, as the strict stand-in judges it (issue 13,
and issue 12 item 9: the title)."""

import html
import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from campaign_app.actions.models import Action
from campaign_app.core.db import db
from campaign_app.delivery.models import Delivery
from campaign_app.delivery.tasks import send_delivery
from campaign_app.supporters.models import Supporter
from tests.factories import add_alert
from tests.helpers import form_for, submit_form
from tests.services import census_answer, cwc_rule_errors

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
       "zip_code": "82001"}
EMAIL = {"prefix": "Ms.", "street": "2020 Carey Ave", "city": "Cheyenne"}


def _email_page(client, alert, person=ANA):
    response = submit_form(client, f"/a/{alert.slug}", person)
    assert response.status_code == 302, response.text
    page = client.get(f"/a/{alert.slug}/call")
    return page, form_for(page.text, containing="street")


def _send(client, alert, person=ANA, **changes):
    _, form = _email_page(client, alert, person)
    return client.post(form["action"], data={**form["fields"], **EMAIL, **changes})


def _deliver_all() -> list:
    deliveries = db.session.scalars(select(Delivery).where(
        Delivery.kind == "congress_email").order_by(Delivery.id)).all()
    return [send_delivery.apply(args=[d.id]).get() for d in deliveries]


def _message(server, office="HWY00"):
    return next(r for r in server.received if r.findtext("Recipient/MemberOffice") == office)


# --- Issue 12 item 9: the title -----------------------------------------------------------

def test_title_is_a_blank_explicit_choice_with_mx(client, cwc_server):
    """Issue 12 item 9: no 'Mr.' chosen for the supporter; Mx. is offered."""
    page, form = _email_page(client, add_alert())
    select_html = re.search(r'<select[^>]*name="prefix".*?</select>', page.text, re.S).group(0)
    options = re.findall(r'<option([^>]*)value="([^"]*)"', select_html)
    assert [value for _, value in options][:1] == [""]
    assert "Mx." in [value for _, value in options]
    assert not any("selected" in attributes for attributes, value in options if value)
    # Sent as the browser sends it, untouched: refused, and no title is stored.
    response = client.post(form["action"], data={**form["fields"], "street": EMAIL["street"],
                                                 "city": EMAIL["city"]})
    assert response.status_code == 422
    assert "Please choose a title" in html.unescape(response.text)
    supporter = db.session.scalars(select(Supporter)).one()
    assert supporter.prefix is None
    assert db.session.scalars(select(Action).where(Action.kind == "email")).first() is None


def test_title_is_asked_only_when_the_email_goes_through_cwc(client):
    """Issue 12 item 9: without CWC, no title is asked and none is stored."""
    page, form = _email_page(client, add_alert())
    assert 'name="prefix"' not in page.text
    response = client.post(form["action"], data={**form["fields"], "street": EMAIL["street"],
                                                 "city": EMAIL["city"]})
    assert response.status_code == 302
    assert db.session.scalars(select(Supporter)).one().prefix is None


# --- Items 3 and 6: CWC's limits on the supporter's form -----------------------------------

@pytest.mark.parametrize("changes,message", [
    ({"subject": "Hi!"}, "subject of at least 6 characters"),
    ({"subject": "[[Target_Name]] " + "x" * 480}, "under 500 characters, with your members"),
    ({"body": "Ok  \n\n  ok"}, "message of at least 6 characters"),
    ({"body": "x" * 10_001}, "under 10,000 characters"),
    ({"street": "12"}, "street address (at least 3 characters)"),
    ({"city": "NY"}, "city (at least 3 characters)"),
])
def test_cwc_limits_are_checked_on_the_form(client, cwc_server, changes, message):
    """Items 3 and 6: what CWC would refuse is refused on the form, readably, input kept."""
    alert = add_alert(email_max_length=20_000)
    response = _send(client, alert, **changes)
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert message in text
    assert next(iter(changes.values()))[:60] in text  # the input is kept
    assert db.session.scalars(select(Delivery)).first() is None


def test_short_address_goes_to_the_contact_form_without_cwc(client):
    """Items 3 and 6: CWC's minimums apply only where the message goes through CWC."""
    response = _send(client, add_alert(), street="12", city="NY", subject="Hi!")
    assert response.status_code == 302
    assert set(db.session.scalars(select(Action.channel))) == {"contact_form"}


# --- Items 2, 4, 7, 8, 9: what the message carries ----------------------------------------

def test_the_message_carries_the_organizers_and_supporters_choices(client, cwc_server):
    """Items 2, 4, 7, 8, 9: normalized phone, cleaned text, the organizer's words as
    OrganizationStatement (the supporter's as ConstituentMessage only when edited), the
    organizer's topic, bills, position and link, the supporter's choices."""
    alert = add_alert(topic="Civil Rights and Liberties, Minority Issues",
                      bills=[{"congress": 119, "type": "hres", "number": 123}],
                      position="pro", more_info_url="https://example.org/letter")
    _, form = _email_page(client, alert)
    suggested = form["fields"]["body"]
    response = client.post(form["action"], data={
        **form["fields"], **EMAIL, "phone": "(307) 555-0100",
        "body": suggested + "\x0bI saw it myself \U0001F30E", "is_response_requested": "y"})
    assert response.status_code == 302
    assert _deliver_all() == ["delivered"] * 3
    house = _message(cwc_server)
    assert house.findtext("Constituent/Phone") == "307-555-0100"
    assert house.findtext("Message/OrganizationStatement").startswith(
        "Dear Rep. Harriet M. Hageman,")
    assert "I saw it myself" not in house.findtext("Message/OrganizationStatement")
    assert house.findtext("Message/ConstituentMessage").endswith(
        "\nI saw it myself \U0001F30E")
    assert house.findtext("Message/LibraryOfCongressTopics/LibraryOfCongressTopic") == \
        "Civil Rights and Liberties, Minority Issues"
    assert [(b.findtext("BillCongress"), b.findtext("BillTypeAbbreviation"),
             b.findtext("BillNumber")) for b in house.findall("Message/Bills/Bill")] == \
        [("119", "hres", "123")]
    assert house.findtext("Message/ProOrCon") == "Pro"
    assert house.findtext("Message/MoreInfo") == "https://example.org/letter"
    assert house.findtext("Recipient/IsResponseRequested") == "Y"
    assert house.findtext("Recipient/NewsletterOptIn") == "N"
    assert house.findtext("Constituent/AddressValidation") == "N"


def test_unedited_text_goes_as_the_organizations_statement_only(client, cwc_server):
    """Item 7: offices sort campaign mail by it; the supporter did not write these words."""
    alert = add_alert()
    assert _send(client, alert).status_code == 302
    assert _deliver_all() == ["delivered"] * 3
    house = _message(cwc_server)
    assert house.find("Message/ConstituentMessage") is None
    assert house.findtext("Message/OrganizationStatement").startswith(
        "Dear Rep. Harriet M. Hageman,")


def test_geocoded_address_is_marked_validated(client, cwc_server, geocoder):
    """Item 9: AddressValidation=Y when the geocoder found the street address."""
    cwc_server.offices = {"HNY12", "SNY01", "SNY03"}
    geocoder.reply = census_answer("36", "12")
    alert = add_alert()
    person = {**ANA, "zip_code": "10001"}
    response = submit_form(client, f"/a/{alert.slug}", person)
    submit_form(client, response.headers["Location"],
                {"street": "350 5th Ave", "city": "New York"}, field="street")
    form = form_for(client.get(f"/a/{alert.slug}/call").text, containing="body")
    response = client.post(form["action"], data={**form["fields"], "prefix": "Mx.",
                                                 "street": "350 5th Ave", "city": "New York",
                                                 "is_newsletter_opt_in": "y"})
    assert response.status_code == 302
    assert _deliver_all() == ["delivered"] * 3
    house = _message(cwc_server, "HNY12")
    assert house.findtext("Constituent/AddressValidation") == "Y"
    assert house.findtext("Recipient/NewsletterOptIn") == "Y"


@pytest.mark.parametrize("zip_code,rule,offices", [
    ("82001", "senate", {"SWY01", "SWY02"}),
    ("00901", "house", {"HPR00"}),
    ("20001", "house", {"HDC00"}),
])
def test_senate_and_territory_messages_are_accepted(client, cwc_server, zip_code, rule, offices):
    """A Senate office (SWY01) and the House offices of PR and DC (HPR00, HDC00)."""
    cwc_server.offices = offices
    alert = add_alert(target_rule=rule)
    response = _send(client, alert, {**ANA, "zip_code": zip_code}, city="Somewhere")
    assert response.status_code == 302
    assert _deliver_all() == ["delivered"] * len(offices)
    assert {r.findtext("Recipient/MemberOffice") for r in cwc_server.received} == offices


# --- Item 1: settings CWC would refuse ------------------------------------------------------

BAD_SETTINGS = [
    ({"CWC_DELIVERY_AGENT_EMAIL": "cwc@localhost"}, "CWC_DELIVERY_AGENT_EMAIL"),
    ({"CWC_DELIVERY_AGENT_CONTACT_NAME": "Ops"}, "CWC_DELIVERY_AGENT_CONTACT_NAME"),
    ({"CWC_DELIVERY_AGENT_CONTACT_NAME": ""}, "CWC_DELIVERY_AGENT_CONTACT_NAME"),
    ({"CWC_DELIVERY_AGENT_PHONE": "1"}, "CWC_DELIVERY_AGENT_PHONE"),
    ({"CWC_DELIVERY_AGENT_PHONE": ""}, "CWC_DELIVERY_AGENT_PHONE"),
    ({"CWC_DELIVERY_AGENT": "Ops"}, "CWC_DELIVERY_AGENT "),
    ({"ORG_LEGAL_NAME": "LAWG"}, "ORG_LEGAL_NAME"),
]


@pytest.mark.parametrize("bad,name", BAD_SETTINGS)
def test_each_bad_setting_is_named_at_start_up(app, other_app, cwc_server, caplog, bad, name):
    """Item 1: the log names the setting when the app starts with CWC configured."""
    settings = {key: app.config[key] for key in (
        "CWC_BASE_URL", "CWC_API_KEY", "CWC_DELIVERY_AGENT", "CWC_DELIVERY_AGENT_EMAIL",
        "CWC_DELIVERY_AGENT_CONTACT_NAME", "CWC_DELIVERY_AGENT_PHONE")}
    with caplog.at_level("ERROR", logger="campaign_app.delivery.cwc"):
        other_app({**settings, "ORG_LEGAL_NAME": ""})
    assert not caplog.records  # good settings: nothing to say
    with caplog.at_level("ERROR", logger="campaign_app.delivery.cwc"):
        other_app({**settings, **bad})
    [record] = caplog.records
    assert name in record.getMessage() and "CWC is off" in record.getMessage()


def test_default_settings_are_reported(app, other_app, caplog):
    """Item 1: the embedded defaults with only an endpoint and key set: each gap named."""
    import config

    defaults = {key: getattr(config.Config, key) for key in (
        "CWC_DELIVERY_AGENT", "CWC_DELIVERY_AGENT_EMAIL", "CWC_DELIVERY_AGENT_CONTACT_NAME",
        "CWC_DELIVERY_AGENT_PHONE", "ORG_LEGAL_NAME")}
    with caplog.at_level("ERROR", logger="campaign_app.delivery.cwc"):
        other_app({**defaults, "CWC_BASE_URL": "https://cwc.example.org", "CWC_API_KEY": "k"})
    logged = " ".join(record.getMessage() for record in caplog.records)
    for name in ("CWC_DELIVERY_AGENT_EMAIL", "CWC_DELIVERY_AGENT_CONTACT_NAME",
                 "CWC_DELIVERY_AGENT_PHONE"):
        assert name in logged


@pytest.mark.parametrize("bad,name", BAD_SETTINGS[:4])
def test_bad_setting_shows_on_staff_pages_and_keeps_cwc_off(app, login, cwc_server, monkeypatch,
                                                            bad, name, db_session):
    """Item 1: every staff page names it; supporters get the contact form until it is
    fixed, so nothing is refused later; once fixed, messages go through CWC."""
    alert = add_alert()
    for key, value in bad.items():
        monkeypatch.setitem(app.config, key, value)
    staff = login("viewer")
    for url in ("/staff/", f"/staff/alerts/{alert.slug}", "/staff/account/password"):
        page = html.unescape(staff.get(url).text)
        assert 'id="cwc-settings"' in page and name in page, url
    staff.post("/logout", data={"csrf_token": form_for(
        staff.get("/staff/").text, action="/logout")["fields"]["csrf_token"]})
    supporter = app.test_client()
    assert _send(supporter, alert, prefix="").status_code == 302
    assert set(db.session.scalars(select(Action.channel))) == {"contact_form"}
    assert db.session.scalars(select(Delivery).where(
        Delivery.kind == "congress_email")).first() is None
    monkeypatch.undo()  # fixed (the stand-in's settings again)
    from tests.services import CWC_SETTINGS
    for key, value in {**CWC_SETTINGS, "CWC_BASE_URL": cwc_server.url}.items():
        monkeypatch.setitem(app.config, key, value)
    again = app.test_client()
    assert _send(again, alert, {**ANA, "email": "bo@example.org"}).status_code == 302
    assert _deliver_all() == ["delivered"] * 3


def test_flask_cwc_check_gives_the_verdict_and_the_offices(app, cwc_server, monkeypatch):
    """Item 1: `flask cwc check` names each bad setting, and lists CWC's offices."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cwc", "check"])
    assert result.exit_code == 0, result.output
    assert "Settings: OK" in result.output
    assert "Offices on CWC (3): HWY00 SWY01 SWY02" in result.output
    monkeypatch.setitem(app.config, "CWC_DELIVERY_AGENT_EMAIL", "cwc@localhost")
    monkeypatch.setitem(app.config, "CWC_DELIVERY_AGENT_PHONE", "1")
    result = runner.invoke(args=["cwc", "check"])
    assert result.exit_code == 1
    bad = [line for line in result.output.splitlines() if line.startswith("BAD SETTING")]
    assert len(bad) == 2 and "CWC_DELIVERY_AGENT_EMAIL" in bad[0] and \
        "CWC_DELIVERY_AGENT_PHONE" in bad[1]
    assert "Offices on CWC (3)" in result.output


# --- Item 11: refusals, clearly ------------------------------------------------------------

def test_staff_see_each_refusal_with_office_reason_and_what_to_do(client, login, cwc_server):
    """Item 11: the dashboard lists each refused message and counts refusals per reason."""
    alert = add_alert()
    assert _send(client, alert).status_code == 302
    cwc_server.offices = {"HWY00"}  # the senators' offices left CWC after the page
    assert sorted(_deliver_all()) == ["delivered", "failed", "failed"]
    staff = login("viewer")
    page = html.unescape(staff.get(f"/staff/alerts/{alert.slug}").text)
    reasons = re.search(r'<table id="refusal-reasons">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(\d+)</td><td>(.*?)</td></tr>", reasons)
    assert [(reason, count) for reason, count, _ in rows] == [
        ("MemberOffice SWY01 is not an active office", "1"),
        ("MemberOffice SWY02 is not an active office", "1")]
    assert all("contact form" in what_to_do for _, _, what_to_do in rows)
    each = re.search(r'<table id="refusals">(.*?)</table>', page, re.S).group(1)
    assert "<code>SWY01</code> Sen. John Barrasso" in each
    assert "<code>SWY02</code> Sen. Cynthia M. Lummis" in each


def test_the_stand_in_judges_what_was_delivered(client, cwc_server):
    """Every message delivered in this file met every rule (the stand-in said so)."""
    _send(client, add_alert())
    _deliver_all()
    for root in cwc_server.received:
        assert cwc_rule_errors(ET.tostring(root)) == []


def test_a_queued_message_waits_while_a_setting_is_bad(client, app, cwc_server, monkeypatch):
    """Item 1: a message queued before a restart with a bad setting is not sent to be
    refused: it is retried, with the setting named, and nothing reaches CWC."""
    assert _send(client, add_alert()).status_code == 302
    monkeypatch.setitem(app.config, "CWC_DELIVERY_AGENT_PHONE", "1")
    monkeypatch.setitem(app.config, "DELIVERY_MAX_ATTEMPTS", 2)
    delivery = db.session.scalars(select(Delivery).where(
        Delivery.kind == "congress_email")).first()
    send_delivery.apply(args=[delivery.id])
    db.session.refresh(delivery)
    assert delivery.attempt_count == 2  # retried, not refused at the first try
    assert "CWC is off until its settings are fixed" in delivery.last_error
    assert "CWC_DELIVERY_AGENT_PHONE" in delivery.last_error
    assert cwc_server.received == []
