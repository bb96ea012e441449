"""What the CWC builder writes, value by value (issue 21: each test names the mutants of
delivery/cwc.py it kills, as bench/mutation.py lists them). The stand-in's rules
(test_cwc_rules.py) accept many wrong values (an N for a Y); these tests read the values."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from campaign_app.delivery import cwc
from tests.delivery.conftest import ANA, LETTER
from tests.services import CWC_SETTINGS


@pytest.fixture
def cwc_app(cwc_app, monkeypatch):
    """The shared CWC app (conftest), with the organization's name the builder writes."""
    monkeypatch.setitem(cwc_app.config, "ORG_NAME", "Latin America Working Group")
    return cwc_app


def _root(constituent=ANA, letter=LETTER, **kwargs) -> ET.Element:
    kwargs.setdefault("today", date(2026, 11, 30))
    return ET.fromstring(cwc.build_message(delivery_key="cwc:1", campaign="c" * 64,
                                           office="HWY00", constituent=constituent,
                                           letter=letter, **kwargs))


def _letter(**changes) -> cwc.Letter:
    return cwc.Letter(**{**LETTER.__dict__, **changes})


@pytest.mark.parametrize("response,newsletter,validated", [
    (True, False, False), (False, True, False), (False, False, True), (False, False, False)])
def test_each_yes_no_flag_says_what_the_supporter_chose(cwc_app, response, newsletter,
                                                        validated):
    """A reply asked for, the newsletter opt-in and a geocoded address are each Y only when
    true, and one flag never stands for another (kills _yes_no's and build_message's flag
    mutants)."""
    root = _root(cwc.Constituent(**{**ANA.__dict__, "is_address_validated": validated}),
                 _letter(is_response_requested=response, is_newsletter_opt_in=newsletter))
    yes = {True: "Y", False: "N"}
    assert root.findtext("Recipient/IsResponseRequested") == yes[response]
    assert root.findtext("Recipient/NewsletterOptIn") == yes[newsletter]
    assert root.findtext("Constituent/AddressValidation") == yes[validated]


def test_every_element_carries_its_own_value(cwc_app):
    """Each element holds the value it is named for: agent, contact, office, constituent,
    subject, topic (kills the mutants that drop or swap an element's text)."""
    root = _root(cwc.Constituent(**{**ANA.__dict__, "phone": "(307) 555-0100"}))
    values = {
        "CWCVersion": "2.0",
        "Delivery/DeliveryDate": "20261130",
        "Delivery/DeliveryAgent": CWC_SETTINGS["CWC_DELIVERY_AGENT"],
        "Delivery/DeliveryAgentAckEmailAddress": CWC_SETTINGS["CWC_DELIVERY_AGENT_EMAIL"],
        "Delivery/DeliveryAgentContact/DeliveryAgentContactName":
            CWC_SETTINGS["CWC_DELIVERY_AGENT_CONTACT_NAME"],
        "Delivery/DeliveryAgentContact/DeliveryAgentContactEmail":
            CWC_SETTINGS["CWC_DELIVERY_AGENT_EMAIL"],
        "Delivery/DeliveryAgentContact/DeliveryAgentContactPhone":
            CWC_SETTINGS["CWC_DELIVERY_AGENT_PHONE"],
        "Delivery/Organization": "Latin America Working Group",
        "Delivery/CampaignId": "c" * 64,
        "Recipient/MemberOffice": "HWY00",
        "Constituent/Prefix": "Ms.", "Constituent/FirstName": "Ana",
        "Constituent/LastName": "Gómez", "Constituent/Address1": "2020 Carey Ave",
        "Constituent/City": "Cheyenne", "Constituent/StateAbbreviation": "WY",
        "Constituent/Zip": "82001", "Constituent/Phone": "307-555-0100",
        "Constituent/Email": "ana@example.org",
        "Message/Subject": "Sign the Dear Colleague letter",
        "Message/LibraryOfCongressTopics/LibraryOfCongressTopic": "International Affairs",
        "Message/OrganizationStatement": "Please sign the letter on human rights.",
    }
    assert {path: root.findtext(path) for path in values} == values
    assert root.find("Message/ConstituentMessage") is None  # not edited: not sent
    assert root.find("Message/Bills") is None and root.find("Message/ProOrCon") is None
    assert root.find("Message/MoreInfo") is None


def test_delivery_date_is_today_when_not_given(cwc_app):
    """Without `today`, DeliveryDate is the day of sending, YYYYMMDD (kills build_message's
    date mutants)."""
    before = date.today().strftime("%Y%m%d")
    sent = _root(today=None).findtext("Delivery/DeliveryDate")
    assert sent in (before, date.today().strftime("%Y%m%d"))


def test_bills_position_own_words_and_more_info_are_written_as_given(cwc_app):
    """Each bill's congress, type and number, a missing part left out; the position as
    CWC spells it; the supporter's words; MoreInfo last (kills the Bills, ProOrCon,
    ConstituentMessage and MoreInfo mutants)."""
    letter = _letter(bills=cwc.bills_from([{"congress": 119, "type": "hr", "number": 1234},
                                            {"type": "s", "number": 7}]),
                     position="con", constituent_message="My own words, please.",
                     more_info="https://example.org/more")
    root = _root(letter=letter)
    bills = [{child.tag: child.text for child in bill} for bill in root.iter("Bill")]
    assert bills == [{"BillCongress": "119", "BillTypeAbbreviation": "hr", "BillNumber": "1234"},
                     {"BillTypeAbbreviation": "s", "BillNumber": "7"}]
    assert root.findtext("Message/ProOrCon") == "Con"
    assert root.findtext("Message/ConstituentMessage") == "My own words, please."
    assert [child.tag for child in root.find("Message")][-1] == "MoreInfo"
    assert root.findtext("Message/MoreInfo") == "https://example.org/more"
    assert cwc.bills_from(None) == () and cwc.bills_from([]) == ()


def test_a_bill_without_congress_or_number_leaves_them_out(cwc_app):
    """A bill known only by its type sends no empty BillCongress or BillNumber."""
    root = _root(letter=_letter(bills=(cwc.Bill(None, "hres", None), cwc.Bill(118, None, 0))))
    bills = [{child.tag: child.text for child in bill} for bill in root.iter("Bill")]
    assert bills == [{"BillTypeAbbreviation": "hres"}, {"BillCongress": "118"}]


def test_delivery_and_campaign_ids_are_stable_and_distinct():
    """The same delivery key gives the same DeliveryId on every retry (CWC drops the repeat);
    another key another id; 32 upper-case alphanumerics. A campaign's id depends on both the
    alert's id and slug (kills delivery_id's and campaign_id's mutants)."""
    assert cwc.delivery_id("cwc:1") == cwc.delivery_id("cwc:1")
    assert cwc.delivery_id("cwc:1") != cwc.delivery_id("cwc:2")
    ident = cwc.delivery_id("cwc:1")
    assert len(ident) == 32 and ident == ident.upper() and ident.isalnum()
    import hashlib
    assert ident == hashlib.sha256(b"cwc:1").hexdigest()[:32].upper()
    assert cwc.campaign_id("a", 1) == hashlib.sha256(b"alerta:1:a").hexdigest()
    assert len({cwc.campaign_id("a", 1), cwc.campaign_id("a", 2), cwc.campaign_id("b", 1)}) == 3


def test_at_large_house_office_without_a_district_is_00():
    assert cwc.office_code("house", "WY", None, None) == "HWY00"


@pytest.mark.parametrize("legal,org,sent", [
    ("", "x" * 6, "x" * 6), ("", "x" * 500, "x" * 500), ("", "x" * 501, None),
    ("", "x" * 5, None), ("y" * 6, "x" * 10, "y" * 6), ("y" * 501, "x" * 10, "x" * 10),
    (None, None, None)])
def test_organization_name_takes_6_to_500_characters_legal_name_first(legal, org, sent):
    """The edges of CWC's 6–500 rule, and ORG_LEGAL_NAME before ORG_NAME (kills
    organization_name's comparison mutants)."""
    assert cwc.organization_name({"ORG_LEGAL_NAME": legal, "ORG_NAME": org}) == sent


def test_text_cleaning_and_phone_edges():
    """None stays None; a form feed is a line break; an empty or unparsable phone is None
    (kills clean_text's and us_phone's guards)."""
    assert cwc.clean_text(None) is None
    assert cwc.clean_text("a\fb\vc\x00") == "a\nb\nc"
    assert cwc.clean_text("") == ""
    assert cwc.us_phone(None) is None and cwc.us_phone("") is None
    assert cwc.us_phone("not a phone") is None
    assert cwc.us_phone("+1 202 555 0143") == "202-555-0143"
    assert cwc.us_phone("+52 55 1234 5678") is None  # valid, but not NANP


def test_cwc_reply_errors_are_read_whatever_their_form():
    """Namespaced Error elements, text split over children joined with single spaces, empty
    errors skipped; a non-XML reply is its own text cut at 500; an empty reply no error
    (kills parse_errors' mutants)."""
    body = (b'<r:Response xmlns:r="urn:cwc"><r:Error>  Missing\n <b> Zip </b> </r:Error>'
            b"<r:Error> </r:Error><r:Errors><r:Error>Bad Prefix</r:Error></r:Errors>"
            b"<r:NotAnError>x</r:NotAnError></r:Response>")
    assert cwc.parse_errors(body) == ["Missing Zip", "Bad Prefix"]
    assert cwc.parse_errors(b"  " + b"x" * 600 + b"  ") == ["x" * 500]
    assert cwc.parse_errors(b"   ") == []
    assert cwc.parse_errors(b"\xff down") == ["\ufffd down"]


def test_the_message_is_utf8_with_its_declaration(cwc_app):
    """The bytes sent are UTF-8 and say so in the XML declaration, as the CWC example
    message does; non-ASCII letters travel as themselves, not as character references
    (kills build_message_385, _386, _388, _389, _391 and _392: tostring's encoding and
    declaration)."""
    xml = cwc.build_message(delivery_key="cwc:1", campaign="c" * 64, office="HWY00",
                            constituent=ANA, letter=LETTER, today=date(2026, 11, 30))
    assert xml.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<CWC>")
    assert "Gómez".encode() in xml and b"&#" not in xml
