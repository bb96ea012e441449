"""`flask congress lookup`: by ZIP, and by street address through the geocoder."""

import pytest

from tests.services import census_answer

pytestmark = pytest.mark.full_data


def _lookup(app, *args):
    return app.test_cli_runner().invoke(args=["congress", "lookup", *args])


def test_lookup_by_zip(app, db_session, full_data):
    result = _lookup(app, "82001")
    assert result.exit_code == 0, result.output
    assert "ZIP 82001: WY-AL" in result.output
    assert "Rep. Harriet M. Hageman (R-WY-AL) 202-225-2311" in result.output


def test_lookup_of_a_multi_district_zip_says_to_use_the_address(app, db_session, full_data):
    result = _lookup(app, "10001")
    assert "NY-10, NY-12 — more than one district: use --address" in result.output


def test_lookup_by_address_uses_the_geocoder(app, db_session, geocoder, full_data):
    geocoder.reply = census_answer("36", "12")
    result = _lookup(app, "--address", "350 5th Ave, New York, NY 10118")
    assert result.exit_code == 0, result.output
    assert "350 5TH AVE, NEW YORK, NY, 10118: NY-12" in result.output
    assert "(D-NY-12)" in result.output and "NY-10" not in result.output
    assert result.output.count("Sen. ") == 2
    assert geocoder.requests[0]["address"] == "350 5th Ave, New York, NY 10118"


def test_lookup_by_address_without_a_geocoder_says_so(app, db_session):
    result = _lookup(app, "--address", "350 5th Ave, New York, NY 10118")
    assert result.exit_code != 0
    assert "No geocoder is configured" in result.output


def test_lookup_of_territories_says_no_senators(app, db_session, full_data):
    result = _lookup(app, "20001")
    assert "Del. Eleanor Holmes Norton" in result.output
    assert "DC: no U.S. senators" in result.output
