"""The lookup against the full public data of ../shared/data."""

import pytest

from campaign_app.congress.queries import lookup_zip

pytestmark = pytest.mark.full_data


def test_zip_inside_one_district_gives_its_member_and_two_senators(full_data, db_session):
    result = lookup_zip("82001")  # Cheyenne, WY: an at-large state
    assert [d.label for d in result.districts] == ["WY-AL"]
    [representative] = result.representatives
    assert (representative.state, representative.district) == ("WY", 0)
    assert representative.chamber == "house"
    assert len(result.senators) == 2
    assert {s.state for s in result.senators} == {"WY"}
    assert all(s.phone and s.phone.startswith("202-22") for s in result.members)


def test_single_district_zip_in_a_multi_district_state(full_data, db_session):
    result = lookup_zip("60601")  # Chicago Loop: IL-7 only in the file
    assert not result.is_ambiguous
    [district] = result.districts
    assert district.number == 7
    [representative] = result.representatives
    assert (representative.state, representative.district) == (district.state, district.number)
    assert district.state == "IL"
    assert sorted(s.senate_class for s in result.senators) == [2, 3]


def test_at_large_state_gives_district_zero(full_data, db_session):
    for zip_code, state in [("82001", "WY"), ("05401", "VT"), ("99501", "AK")]:
        result = lookup_zip(zip_code)
        assert [(d.state, d.number) for d in result.districts] == [(state, 0)]
        assert result.representatives[0].district == 0


def test_unknown_zip_finds_nothing(full_data, db_session):
    result = lookup_zip("00000")
    assert not result.found
    assert result.members == ()


def test_vacant_seat_is_reported(full_data, db_session):
    # TX-23 is vacant in the snapshot; find a ZIP that lies only in it.
    from sqlalchemy import func, select

    from campaign_app.congress.models import ZipDistrict
    from campaign_app.core.db import db

    single = (select(ZipDistrict.zcta).group_by(ZipDistrict.zcta)
              .having(func.count() == 1).subquery())
    zcta = db.session.scalars(
        select(ZipDistrict.zcta).where(ZipDistrict.state == "TX", ZipDistrict.district == 23,
                                       ZipDistrict.zcta.in_(select(single.c.zcta))).limit(1)
    ).one()
    result = lookup_zip(zcta)
    assert [d.label for d in result.vacant] == ["TX-23"]
    assert result.representatives == ()
    assert len(result.senators) == 2
