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


def _zccd_rows(full_data):
    import csv

    [path] = sorted(full_data.rglob("zccd.csv"))
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


#: The voting seats empty in the snapshot (data README).
VACANT_SEATS = {"CA-14", "FL-20", "GA-13", "TX-23"}


def test_every_single_district_zcta_resolves_to_its_member_or_vacant(full_data, db_session):
    from collections import defaultdict

    from campaign_app.congress.index import current_index

    districts = defaultdict(set)
    for row in _zccd_rows(full_data):
        districts[row["zcta"].zfill(5)].add((row["state_abbr"], int(row["cd"])))
    single = {zcta: next(iter(found)) for zcta, found in districts.items() if len(found) == 1}
    assert len(single) == 26_475
    vacant_seen = set()
    # The index lookup_zip() serves from, taken once: 26,475 version checks would be slow.
    index = current_index()
    for zcta, (state, number) in single.items():
        result = index.lookup_zip(zcta)
        assert [(d.state, d.number) for d in result.districts] == [(state, number)], zcta
        if result.vacant:
            assert not result.representatives
            vacant_seen.add(result.vacant[0].label)
        else:
            [member] = result.representatives
            assert (member.chamber, member.state, member.district) == ("house", state, number)
    assert vacant_seen <= VACANT_SEATS
    assert "TX-23" in vacant_seen


def test_every_state_has_two_senators_but_dc_and_territories_none(full_data, db_session):
    from campaign_app.congress.queries import District

    zip_by_state = {}
    for row in _zccd_rows(full_data):
        zip_by_state.setdefault(row["state_abbr"], row["zcta"].zfill(5))
    assert len(zip_by_state) == 52
    for state, zcta in zip_by_state.items():
        senators = [s for s in lookup_zip(zcta).senators if s.state == state]
        if state in {"DC", "PR"}:
            assert senators == [], state
        else:
            assert len(senators) == 2, state
            assert sorted(s.senate_class for s in senators) in ([1, 2], [1, 3], [2, 3]), state
    # AS, GU, MP and VI have no ZCTA in the file, but their delegates are loaded.
    for territory in ("AS", "GU", "MP", "VI", "DC", "PR"):
        result = lookup_zip("", District(territory, 0))
        [delegate] = result.representatives
        assert delegate.title in {"Del.", "Res. Comm."}
        assert result.senators == () and result.has_no_senators


def test_members_loaded_equal_members_in_the_file(full_data, db_session):
    from sqlalchemy import func, select

    from campaign_app.congress.index import current_index
    from campaign_app.congress.models import Legislator
    from campaign_app.core.db import db

    [path] = sorted(full_data.rglob("legislators-current.yaml"))
    # One record per member, each starting at the top level with "- id:".
    in_file = sum(1 for line in path.read_text().splitlines() if line.startswith("- id:"))
    assert in_file == 537
    assert len(current_index().members) == in_file
    assert db.session.scalar(select(func.count()).select_from(Legislator)
                             .where(Legislator.is_current.is_(True))) == in_file


def test_member_without_phone_or_name_in_the_data(full_data, db_session):
    from campaign_app.congress.queries import District

    [member] = lookup_zip("", District("CA", 1)).representatives
    assert member.bioguide_id == "G000607"
    assert member.phone is None
    assert member.display_name.strip() and member.display_name != "None None"


def test_index_hands_out_frozen_copies_not_database_rows(full_data, db_session):
    import dataclasses

    result = lookup_zip("82001")
    member = result.representatives[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        member.phone = "202-225-0000"
    # Served from memory, not rebuilt per request: a Lookup is made per call (the index
    # keeps ZIPs compact), but its members are the index's own.
    again = lookup_zip("82001")
    assert again == result and again.representatives[0] is member


def test_district_offices_offer_the_nearest_number(full_data, db_session):
    [member] = lookup_zip("82001").representatives
    assert member.nearest_office(city="casper").city == "Casper"
    assert member.nearest_office(zip_code="82001").city == "Cheyenne"
    # Coordinates win over the city when both sides have them (a point near Casper).
    assert member.nearest_office(city="Cheyenne", latitude=42.85,
                                 longitude=-106.32).city == "Casper"


@pytest.mark.parametrize("zip_code, territory", [("96799", "AS"), ("96910", "GU"),
                                                 ("96950", "MP"), ("00802", "VI")])
def test_territories_missing_from_the_zcta_file_reach_their_delegate(full_data, db_session,
                                                                    zip_code, territory):
    result = lookup_zip(zip_code)
    assert [d.label for d in result.districts] == [f"{territory}-AL"]
    [delegate] = result.representatives
    assert (delegate.state, delegate.title) == (territory, "Del.")
    assert result.senators == () and result.has_no_senators


def test_senators_offer_the_office_nearest_a_zip_code(full_data, db_session):
    """Issue 12 item 10: Long Beach (90802) was given each senator's first-listed office
    (Padilla's in Fresno, Schiff's in San Francisco). With only a ZIP code, its centroid (from
    the `zipcodes` package) places the supporter: Padilla's Los Angeles office, and for
    Schiff, whose offices in the data are San Francisco, Fresno and San Diego, San Diego."""
    senators = {m.last_name: m for m in lookup_zip("90802").senators}
    assert senators["Padilla"].nearest_office(zip_code="90802").city == "Los Angeles"
    assert senators["Schiff"].nearest_office(zip_code="90802").city == "San Diego"
    # A point from the geocoder still wins over the ZIP code (a street in Fresno).
    assert senators["Padilla"].nearest_office(zip_code="90802", latitude=36.74,
                                              longitude=-119.78).city == "Fresno"


def test_zip_centroids_come_from_the_package_and_refuse_what_is_not_a_zip(full_data,
                                                                         db_session):
    """Issue 12 item 10: the centroid of a ZIP code; nothing for malformed or unknown ones.
    Issue 20: the sync copies them into the index (zip_places), for the ZIPs of the ZCTA file
    and the territories' only."""
    from campaign_app.congress.queries import current_index

    places = current_index().places
    latitude, longitude = places.get("90802")
    assert 33.7 < latitude < 33.9 and -118.3 < longitude < -118.1  # Long Beach
    assert places.get("96910") is not None  # Guam: not in the ZCTA file
    assert places.get("00501") is None  # Holtsville's IRS ZIP: in the package, no district
    for bad in ("", None, "9080", "abcde", "00000", "90802-1234"):
        assert places.get(bad) is None
