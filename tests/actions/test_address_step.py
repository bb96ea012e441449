"""ZIPs that span districts: the address step, the geocoder, and picking one's representative."""

import html
import time

import pytest
from sqlalchemy import select

from campaign_app.core.db import db
from campaign_app.supporters.models import Supporter
from tests.factories import add_alert
from tests.helpers import form_for, forms_on, submit_form
from tests.services import census_answer

pytestmark = pytest.mark.full_data

ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
       "zip_code": "10001"}  # NY-10 and NY-12
ADDRESS = {"street": "350 5th Ave Apt 4", "city": "New York"}


def _supporter() -> Supporter:
    return db.session.scalars(select(Supporter)).one()


def _start(client, alert, person=ANA):
    """Fill in the alert's form; returns the page it leads to."""
    response = submit_form(client, f"/a/{alert.slug}", person)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def _send_address(client, url, values=ADDRESS):
    return submit_form(client, url, values, field="street")


def _pick(client, page_html, label):
    form = next(f for f in forms_on(page_html) if f["fields"].get("district") == label)
    return client.post(form["action"], data=form["fields"])


def test_ambiguous_zip_asks_for_the_address(client, geocoder, full_data):
    alert = add_alert()
    url = _start(client, alert)
    assert url.endswith(f"/a/{alert.slug}/district")
    page = client.get(url)
    assert "lies in more than one congressional district" in page.text
    assert 'name="street"' in page.text
    assert "This is my representative" not in page.text  # the geocoder gets its chance first
    supporter = _supporter()
    assert (supporter.district, supporter.district_source) == (None, "zip-ambiguous")
    # The call page isn't shown with a guess: it sends the supporter back to this step.
    response = client.get(f"/a/{alert.slug}/call")
    assert response.status_code == 302 and response.headers["Location"].endswith("/district")


def test_geocoder_match_shows_just_that_representative(client, geocoder, full_data):
    geocoder.reply = census_answer("36", "12")
    alert = add_alert(target_rule="all")
    response = _send_address(client, _start(client, alert))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/a/{alert.slug}/call")
    page = client.get(response.headers["Location"]).text
    assert "NY-12" in page and "NY-10" not in page
    assert "We found your district from your address" in page
    assert page.count("Report my call") == 3  # the representative and two senators
    supporter = _supporter()
    assert (supporter.state, supporter.district, supporter.district_source) == \
        ("NY", 12, "geocoder")
    assert (supporter.street, supporter.city) == ("350 5th Ave Apt 4", "New York")
    # The geocoder's point picks the nearest district office for each member.
    assert (supporter.latitude, supporter.longitude) == (40.75, -73.98)
    assert page.count("Or call the district office in New York") == 3
    [request] = geocoder.requests
    assert request["address"] == "350 5th Ave Apt 4, New York, NY 10001"
    assert (request["benchmark"], request["vintage"], request["format"]) == \
        ("Public_AR_Current", "Current_Current", "json")


def test_geocoder_with_a_later_congress_layer_name_still_matches(client, geocoder, full_data):
    geocoder.reply = census_answer("36", "10", congress=120)
    alert = add_alert()
    response = _send_address(client, _start(client, alert))
    assert response.status_code == 302
    assert _supporter().district == 10


@pytest.mark.parametrize("reply, message", [
    (census_answer(None), "couldn't find that address"),
    (b'{"result": {"addressMatches": [{"geographies": "nonsense"}]}}',
     "couldn't look up your address just now"),
    (b"<html>Service Unavailable</html>", "couldn't look up your address just now"),
    (b'{"result": {"addressMatches": [{"geographies": {"States": []}}]}}',
     "couldn't look up your address just now"),
    (b'{"result": {"addressMatches": [{"geographies": {"119th Congressional Districts":'
     b' [{"STATE": "36", "CD119": "ZZ"}]}}]}}', "couldn't look up your address just now"),
    (census_answer("36", "7"), "lies in NY-7, which isn't part of ZIP 10001"),
    (1.5, "couldn't look up your address just now"),
], ids=["no match", "malformed", "not json", "no district layer", "unknown district code",
        "another district", "too slow"])
def test_geocoder_failure_offers_the_candidates(client, geocoder, full_data, reply, message):
    geocoder.reply = reply
    alert = add_alert()
    url = _start(client, alert)
    started = time.monotonic()
    response = _send_address(client, url)
    assert time.monotonic() - started < 1.4  # the timeout (0.5 s) cut the slow answer short
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert message in page
    assert page.count("This is my representative") == 2
    assert 'value="350 5th Ave Apt 4"' in page  # the address stays in the form
    supporter = _supporter()
    assert (supporter.district, supporter.district_source, supporter.street) == \
        (None, "zip-ambiguous", None)

    picked = _pick(client, response.text, "NY-10")
    assert picked.status_code == 302 and picked.headers["Location"].endswith("/call")
    call_page = client.get(picked.headers["Location"]).text
    assert "NY-10" in call_page and "NY-12" not in call_page
    assert "You chose this district" in call_page
    assert (_supporter().district, _supporter().district_source) == (10, "self-selected")


def test_without_a_geocoder_the_candidates_are_offered_at_once(client, full_data):
    alert = add_alert()
    page = client.get(_start(client, alert)).text
    assert 'name="street"' not in page
    assert page.count("This is my representative") == 2
    response = _pick(client, page, "NY-12")
    assert response.status_code == 302
    assert _supporter().district_source == "self-selected"


def test_picking_a_district_outside_the_zip_is_refused(client, full_data):
    alert = add_alert()
    page = client.get(_start(client, alert)).text
    form = form_for(page, containing="district")
    for forged in ("NY-7", "CA-1", "<script>", "NY-123456"):
        response = client.post(form["action"], data={**form["fields"], "district": forged})
        assert response.status_code == 422, forged
        assert "Please choose one of the districts" in response.text
        assert "<script>" not in response.text.replace("&lt;script&gt;", "")
    response = client.post(form["action"], data={"district": "NY-12"})  # no CSRF token
    assert response.status_code == 422
    assert "form expired" in response.text
    assert _supporter().district is None


def test_senate_only_alert_needs_no_address_in_a_one_state_zip(client, full_data):
    alert = add_alert(target_rule="senate")
    url = _start(client, alert)
    assert url.endswith("/call")
    assert client.get(url).text.count("Report my call") == 2


def test_po_box_zip_asks_for_the_address_when_a_geocoder_is_set(client, geocoder, full_data):
    geocoder.reply = census_answer("48", "37", matched="110 E 11TH ST, AUSTIN, TX, 78701")
    alert = add_alert()
    url = _start(client, alert, {**ANA, "zip_code": "73301"})  # IRS Austin: no ZCTA
    page = client.get(url).text
    assert "has no residential area on the map" in page
    response = _send_address(client, url, {"street": "110 E 11th St", "city": "Austin"})
    assert response.status_code == 302
    supporter = _supporter()
    assert (supporter.state, supporter.district, supporter.district_source) == \
        ("TX", 37, "geocoder")
    assert "TX-37" in client.get(f"/a/{alert.slug}/call").text


def test_po_box_zip_with_no_match_says_so_clearly(client, geocoder, full_data):
    alert = add_alert()
    url = _start(client, alert, {**ANA, "zip_code": "73301"})
    page = html.unescape(_send_address(client, url).text)
    assert "couldn't find that address" in page
    assert "enter the ZIP code of your home address" in page


BAD_ADDRESSES = {
    "empty": ({"street": ""}, "Please enter your street address."),
    "too long": ({"street": "1 Main St " * 30}, "under 200 characters"),
    "city too long": ({"city": "x" * 101}, "under 100 characters"),
    "control characters": ({"street": "1 Main St\x00\x07"}, "control characters"),
    "line break": ({"street": "1 Main St\r\nBcc: x@evil.test"}, "line breaks"),
    "script tag": ({"street": "<script>alert(1)</script>"}, "only letters, numbers"),
    "markup in city": ({"city": '"><img src=x onerror=alert(1)>'}, "only letters, numbers"),
}


@pytest.mark.parametrize("case", BAD_ADDRESSES, ids=list(BAD_ADDRESSES))
def test_bad_address_is_refused_with_input_kept(client, geocoder, full_data, case):
    changes, message = BAD_ADDRESSES[case]
    alert = add_alert()
    url = _start(client, alert)
    response = _send_address(client, url, {**ADDRESS, **changes})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert message.lower() in page.lower()
    assert "Please check the form" in page
    for value in {**ADDRESS, **changes}.values():
        if value and not any(ch in value for ch in "\x00\r\n"):
            assert value.strip() in page
    assert "<script>alert(1)</script>" not in response.text
    assert "<img src=x" not in response.text
    assert geocoder.requests == []
    supporter = _supporter()
    assert (supporter.street, supporter.district) == (None, None)


def test_address_without_csrf_token_is_refused(client, geocoder, full_data):
    alert = add_alert()
    url = _start(client, alert)
    response = submit_form(client, url, ADDRESS, field="street", drop=["csrf_token"])
    assert response.status_code == 422
    assert "form expired" in response.text
    assert 'value="350 5th Ave Apt 4"' in response.text
    assert geocoder.requests == []
    assert _supporter().street is None


def test_address_step_without_a_supporter_goes_back_to_the_form(client):
    alert = add_alert()
    response = client.get(f"/a/{alert.slug}/district")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/a/{alert.slug}")
