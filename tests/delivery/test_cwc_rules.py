"""CWC 2.0's field rules: the strict stand-in refuses what CWC refuses, and the builder's
messages meet every rule, whatever a supporter types (issue 13)."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from campaign_app.actions.forms import ActionForm, EmailForm
from campaign_app.delivery import cwc
from tests.delivery.conftest import ANA, LETTER
from tests.services import CWC_TOPICS, CwcServer, cwc_rule_errors

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")



def _build(constituent=ANA, letter=LETTER, office="HWY00") -> bytes:
    return cwc.build_message(delivery_key="cwc:1", campaign="c" * 64, office=office,
                             constituent=constituent, letter=letter,
                             today=date(2026, 11, 30))


def _with(xml: bytes, path: str, value: str | None) -> bytes:
    """The message with one element's text changed (None: the element removed)."""
    root = ET.fromstring(xml)
    parent_path, _, tag = path.rpartition("/")
    parent = root.find(parent_path) if parent_path else root
    element = parent.find(tag)
    if element is None:
        element = ET.SubElement(parent, tag)
    if value is None:
        parent.remove(element)
    else:
        element.text = value
    return ET.tostring(root, encoding="utf-8")


def test_topics_are_the_data_files_topics():
    """Item 8: cwc.TOPICS, the app's one list of topics, is the 32 of the data file."""
    assert len(cwc.TOPICS) == 32 and set(cwc.TOPICS) == CWC_TOPICS


def test_a_well_built_message_is_accepted(cwc_app):
    assert cwc_rule_errors(_build()) == []


@pytest.mark.parametrize("path,value,error", [
    ("Delivery/DeliveryId", "ABC", "DeliveryId"),
    ("Delivery/DeliveryDate", "2026-11-30", "DeliveryDate"),
    ("Delivery/DeliveryAgent", "Ops", "DeliveryAgent must be 4–500"),
    ("Delivery/DeliveryAgentAckEmailAddress", "cwc@localhost", "DeliveryAgentAckEmailAddress"),
    ("Delivery/DeliveryAgentContact/DeliveryAgentContactName", "Ops",
     "DeliveryAgentContactName must be 6–500"),
    ("Delivery/DeliveryAgentContact/DeliveryAgentContactPhone", "1",
     "DeliveryAgentContactPhone"),
    ("Delivery/Organization", "LAWG", "Organization must be 6–500"),
    ("Delivery/CampaignId", "c", "CampaignId"),
    ("Recipient/MemberOffice", "HWY0", "MemberOffice"),
    ("Recipient/MemberOffice", "SWY1", "MemberOffice"),
    ("Recipient/MemberOffice", "HXX00", "names no state"),
    ("Recipient/IsResponseRequested", "Yes", "IsResponseRequested"),
    ("Constituent/Prefix", None, "Prefix is required"),
    ("Constituent/Address1", "12", "Address1 must be 3–500"),
    ("Constituent/City", "NY", "City must be 3–500"),
    ("Constituent/StateAbbreviation", "XX", "StateAbbreviation"),
    ("Constituent/Zip", "8200", "Zip"),
    ("Constituent/Phone", "(307) 555-0100", "Phone"),
    ("Constituent/Email", "ana@localhost", "Constituent/Email"),
    ("Constituent/AddressValidation", "maybe", "AddressValidation"),
    ("Message/Subject", "Hello", "Subject must be 6–500"),
    ("Message/Subject", "x" * 501, "Subject must be 6–500"),
    ("Message/LibraryOfCongressTopics/LibraryOfCongressTopic", "Human Rights",
     "Unknown LibraryOfCongressTopic"),
    ("Message/ProOrCon", "maybe", "ProOrCon"),
    ("Message/MoreInfo", "not a link", "MoreInfo"),
    ("Message/OrganizationStatement", "x" * 10_001, "OrganizationStatement must be"),
    ("Message/OrganizationStatement", None, "needs an OrganizationStatement or a"),
    ("Message/ConstituentMessage", "  ok  ", "ConstituentMessage must be 6"),
])
def test_the_stand_in_refuses_each_broken_rule_as_cwc_does(cwc_app, path, value, error):
    """Item 10: one 400 with CWC's <Errors><Error>…</Error></Errors> per broken rule."""
    import urllib.error
    import urllib.request

    body = _with(_build(), path, value)
    with CwcServer(offices={"HWY00"}) as server:
        request = urllib.request.Request(f"{server.url}/v2/message?apikey=test-key",
                                         data=body, method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 400
        reply = ET.fromstring(refused.value.read())
        assert reply.tag == "Errors"
        errors = [element.text for element in reply.iter("Error")]
        assert any(error in message for message in errors), errors
        assert server.received == []


def test_bills_are_checked_one_by_one(cwc_app):
    letter = cwc.Letter(**{**LETTER.__dict__, "bills": (cwc.Bill(119, "hr", 1234),
                                                        cwc.Bill(-1, "hb", 5))})
    errors = cwc_rule_errors(_build(letter=letter))
    assert errors == ["BillCongress must be a positive integer",
                      "Unknown BillTypeAbbreviation: hb"]


def test_malformed_xml_is_refused_whole():
    """Item 4: a raw vertical tab makes the XML malformed: CWC refuses the message."""
    xml = b"<CWC><CWCVersion>2.0</CWCVersion><Message>a\x0bb</Message></CWC>"
    [error] = cwc_rule_errors(xml)
    assert error.startswith("Malformed XML")


def test_control_characters_are_cleaned_out_of_every_element(cwc_app):
    """Item 4: a vertical tab (Word's soft line break), form feed, NUL and other characters
    XML 1.0 forbids, in any element, never reach the XML; line breaks stay line breaks."""
    constituent = cwc.Constituent("Ms.\x00", "A\x01na", "Gó\x1fmez", "2020\x0bCarey Ave",
                                  "Chey\x08enne", "WY", "82001", "ana@example.org")
    letter = cwc.Letter(subject="Sign\x0bthe letter \U0001F600",
                        topic="International Affairs",
                        organization_statement="Dear Rep.,\x0bplease\x0csign.\ufffe\uffff",
                        constituent_message="My words\x0b\x0bwith emoji \U0001F30E\x00")
    xml = _build(constituent, letter)
    assert cwc_rule_errors(xml) == []
    root = ET.fromstring(xml)
    assert root.findtext("Constituent/FirstName") == "Ana"
    assert root.findtext("Constituent/Address1") == "2020\nCarey Ave"
    assert root.findtext("Message/OrganizationStatement") == "Dear Rep.,\nplease\nsign."
    assert root.findtext("Message/ConstituentMessage") == \
        "My words\n\nwith emoji \U0001F30E"


@pytest.mark.parametrize("raw,sent", [
    ("(307) 555-0100", "307-555-0100"),
    ("307.555.0100", "307-555-0100"),
    ("+1 307 555 0100", "307-555-0100"),
    ("1-787-555-0100", "787-555-0100"),  # Puerto Rico: NANP, like the states
    ("555-0100", None),  # no area code
    ("+44 20 7946 0958", None),  # not a U.S. number
    ("000-000-0000", None),
])
def test_supporters_phones_are_normalized_or_left_out(cwc_app, raw, sent):
    """Item 2: a number CWC can't take is left out, not sent broken."""
    xml = _build(cwc.Constituent(**{**ANA.__dict__, "phone": raw}))
    assert cwc_rule_errors(xml) == []
    assert ET.fromstring(xml).findtext("Constituent/Phone") == sent


@pytest.mark.parametrize("org_name,legal_name,sent", [
    ("LAWG", "", None),
    ("EFF", "Electronic Frontier Foundation", "Electronic Frontier Foundation"),
    ("Latin America Working Group", "", "Latin America Working Group"),
])
def test_organization_is_the_full_name_or_left_out(cwc_app, org_name, legal_name, sent):
    """Item 5: an acronym CWC refuses (under 6 characters) is not sent as Organization."""
    cwc_app.config.update(ORG_NAME=org_name, ORG_LEGAL_NAME=legal_name)
    try:
        xml = _build()
    finally:
        cwc_app.config.update(ORG_NAME="Alerta", ORG_LEGAL_NAME="")
    assert cwc_rule_errors(xml) == []
    assert ET.fromstring(xml).findtext("Delivery/Organization") == sent


def test_senate_and_territory_offices_are_accepted(cwc_app):
    """A Senate office (S + state + 0 + class) and the delegates' House offices."""
    for office, state, zip_code in (("SWY01", "WY", "82001"), ("HPR00", "PR", "00901"),
                                    ("HDC00", "DC", "20001"), ("HVI00", "VI", "00802")):
        constituent = cwc.Constituent(**{**ANA.__dict__, "state": state, "zip_code": zip_code})
        assert cwc_rule_errors(_build(constituent, office=office), {office}) == []


# --- Property: what the forms let through, the builder sends as CWC accepts it ----------

#: Text as people paste it: letters of any script, digits, spaces, punctuation, emoji,
#: line breaks, and the control characters Word and web pages leave behind.
PASTED = st.lists(st.one_of(
    st.characters(categories=("L", "N", "Zs", "P", "S", "M")),
    st.sampled_from(["\n", "\r\n", "\t", "\x0b", "\x0c", "\x00", "\u2028", "\ufeff",
                     "\U0001F600", "[[Target_Name]]"]))).map("".join)
ANYTHING = st.text()  # every code point but lone surrogates


def _form(form_class, data: dict, **kwargs):
    return form_class(formdata=MultiDict(data), meta={"csrf": False}, **kwargs)


def _check_through_forms_and_builder(first, last, street, city, subject, body, email):
    """The supporter's forms decide; what they accept must build into an accepted message."""
    person = _form(ActionForm, {"first_name": first, "last_name": last, "email": email,
                                "zip_code": "82001"})
    letter_form = _form(EmailForm, {"prefix": "Mx.", "street": street, "city": city,
                                    "subject": subject, "body": body,
                                    "submission_key": "k" * 20},
                        max_length=20_000, through_cwc=True,
                        longest_target_names={"[[Target_Name]]": 40})
    accepted = person.validate() & letter_form.validate()
    event("the forms accepted it" if accepted else "a form refused it first")
    if not accepted:
        return False  # the form refused the input first, with a message
    name = "Rep. " + "N" * 35  # as long as the form was told
    xml = _build(cwc.Constituent(
        prefix=letter_form.prefix.data, first_name=person.first_name.data,
        last_name=person.last_name.data, address1=letter_form.street.data,
        city=letter_form.city.data, state="WY", zip_code=person.zip_code.data[:5],
        email=person.email.data), cwc.Letter(
        subject=letter_form.subject.data.replace("[[Target_Name]]", name),
        topic="International Affairs",
        organization_statement="Please sign the letter on human rights.",
        constituent_message=letter_form.body.data.replace("[[Target_Name]]", name)))
    ET.fromstring(xml)  # never malformed
    assert cwc_rule_errors(xml) == []
    return True


@settings(deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(["first_name", "last_name", "street", "city", "subject",
                               "body"]), value=ANYTHING)
def test_any_unicode_the_forms_accept_is_accepted_by_cwc(cwc_app, field, value):
    """Hypothesis, arbitrary Unicode in each field a supporter types (issue 13)."""
    typed = {"first_name": "Ana", "last_name": "Gómez", "street": "2020 Carey Ave",
             "city": "Cheyenne", "subject": "Sign the letter, [[Target_Name]]",
             "body": "Dear [[Target_Name]], please sign.", field: value}
    with cwc_app.test_request_context():
        _check_through_forms_and_builder(*typed.values(), "ana@example.org")


def _typed(*extra: str, min_size=1):
    """Text of any script as people type it in a one-line field, with `extra` characters."""
    return st.lists(st.one_of(st.characters(categories=("L", "M", "N", "Zs")),
                              st.sampled_from(extra)), min_size=min_size).map("".join)


NAME = _typed("'", "-", ".", " ")
ADDRESS = _typed(".", ",", "#", "'", "-", "/", " ", "\U0001F3E0", min_size=3)
SUBJECT = _typed("!", "?", ",", ":", "\U0001F600", "[[Target_Name]]", "\u00a0", min_size=6)


@settings(deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=NAME, last=NAME, street=ADDRESS, city=ADDRESS, subject=SUBJECT, body=PASTED,
       repeat=st.integers(1, 2000), email=st.emails())
def test_pasted_text_within_the_forms_limits_is_accepted_by_cwc(cwc_app, first, last, street,
                                                                city, subject, body, repeat,
                                                                email):
    """Hypothesis, text as typed and pasted (emoji, vertical tabs, NUL, [[Target_Name]]) up
    to the forms' limits: CWC accepts every message built from what the forms accept."""
    with cwc_app.test_request_context():
        _check_through_forms_and_builder(first[:100], last[:100], street[:200], city[:100],
                                         subject[:500], (body * repeat)[:10_000], email)
