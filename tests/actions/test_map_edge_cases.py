"""The action page at the edges of the map: DC, vacant seats, a member with no phone."""

import html

import pytest

from campaign_app.congress.index import current_index
from campaign_app.congress.queries import District
from tests.factories import add_alert
from tests.helpers import submit_form

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org"}


def _zip_only_in(label: str) -> str:
    district = District.parse(label)
    return next(zcta for zcta, lookup in current_index().by_zip.items()
                if lookup.districts == (district,))


def _call_page(client, alert, zip_code) -> str:
    response = submit_form(client, f"/a/{alert.slug}", {**ANA, "zip_code": zip_code})
    assert response.status_code == 302, response.text
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return html.unescape(page.text)


def test_dc_has_a_delegate_and_no_senators(client, full_data):
    page = _call_page(client, add_alert(target_rule="all"), "20001")
    assert "Del. Eleanor Holmes Norton" in page
    assert "DC is represented in Congress by a delegate, and has no U.S. senators" in page
    assert "Sen. " not in page


def test_senate_alert_tells_dc_residents_why_there_is_no_one(client, full_data):
    alert = add_alert(target_rule="senate")
    response = submit_form(client, f"/a/{alert.slug}", {**ANA, "zip_code": "20001"})
    assert response.status_code == 422
    assert "have no U.S. senators" in html.unescape(response.text)


def test_vacant_seat_is_said_and_the_senators_listed(client, full_data):
    page = _call_page(client, add_alert(target_rule="house"), _zip_only_in("TX-23"))
    assert "The House seat for TX-23 is vacant right now" in page
    assert page.count("Sen. ") >= 2
    assert page.count("Report my call") == 2


def test_member_without_a_phone_gets_no_empty_tel_link(client, full_data):
    page = _call_page(client, add_alert(target_rule="house"), _zip_only_in("CA-1"))
    assert "CA-1" in page
    assert "No phone number" in page
    assert 'href="tel:+1"' not in page
    assert 'href="tel:"' not in page


def test_call_page_offers_a_district_office_as_second_number(client, full_data):
    page = _call_page(client, add_alert(target_rule="house"), "82001")
    assert 'href="tel:+12022252311"' in page  # the DC office first
    assert "Or call the district office in Cheyenne" in page
    assert 'href="tel:+13077722595"' in page
