"""`flask congress sync`: loads the public formats, idempotent, keeps retired members."""

import textwrap

import pytest
from sqlalchemy import func, select

from campaign_app.congress.models import CongressSync, Legislator, ZipDistrict
from campaign_app.congress.operations import sync_congress
from campaign_app.congress.sources import CongressFiles, SourceError
from campaign_app.core.db import db


def _write_fixture(folder, members_yaml, zccd="state_fips,state_abbr,zcta,cd\n56,WY,82001,0\n"):
    (folder / "legislators-current.yaml").write_text(textwrap.dedent(members_yaml))
    (folder / "legislators-district-offices.yaml").write_text(textwrap.dedent("""\
        - id: {bioguide: T000001}
          offices:
          - {id: T000001-cheyenne, city: Cheyenne, state: WY, phone: 307-555-0100}
        """))
    (folder / "zccd.csv").write_text(zccd)
    return CongressFiles.from_location(str(folder))


MEMBERS = """\
    - id: {bioguide: T000001}
      name: {first: Tess, last: Tester, official_full: Tess Tester}
      terms:
      - {type: rep, start: '2025-01-03', end: '2027-01-03', state: WY, district: 0,
         party: Republican, phone: 202-225-0001}
    - id: {bioguide: T000002}
      name: {first: Sam, last: Senator}
      terms:
      - {type: sen, start: '2025-01-03', end: '2031-01-03', state: WY, class: 1,
         party: Republican, phone: 202-224-0002}
    """


def test_sync_twice_updates_never_duplicates(db_session, tmp_path):
    files = _write_fixture(tmp_path, MEMBERS)
    first = sync_congress(files)
    second = sync_congress(files)
    assert (first.added_count, second.added_count) == (2, 0)
    bioguides = db.session.scalars(
        select(Legislator.bioguide_id).where(Legislator.bioguide_id.like("T00000%"))).all()
    assert sorted(bioguides) == ["T000001", "T000002"]
    assert db.session.scalar(select(func.count()).select_from(ZipDistrict)) == 1
    assert second.congress == 119
    assert db.session.scalar(select(func.count()).select_from(CongressSync)) >= 2
    senator = db.session.get(Legislator, "T000002")
    assert senator.display_name == "Sam Senator" and senator.senate_class == 1


def test_member_missing_from_new_data_is_kept_but_not_current(db_session, tmp_path):
    sync_congress(_write_fixture(tmp_path, MEMBERS))
    replaced = MEMBERS.replace("T000001", "N000009").replace("Tess", "Nina")
    sync = sync_congress(_write_fixture(tmp_path, replaced))
    assert sync.retired_count >= 1
    assert db.session.get(Legislator, "T000001").is_current is False
    assert db.session.get(Legislator, "N000009").is_current is True


def test_json_format_is_read_too(db_session, tmp_path):
    import json

    import yaml

    _write_fixture(tmp_path, MEMBERS)
    records = yaml.safe_load((tmp_path / "legislators-current.yaml").read_text())
    (tmp_path / "legislators-current.yaml").unlink()
    (tmp_path / "legislators-current.json").write_text(json.dumps(records))
    sync = sync_congress(CongressFiles.from_location(str(tmp_path)))
    assert sync.legislator_count == 2


@pytest.mark.parametrize("zccd", ["zip,district\n1,2\n", "state_fips,state_abbr,zcta,cd\n"
                                  "56,WY,82001,notanumber\n"])
def test_malformed_zip_file_is_refused_and_changes_nothing(db_session, tmp_path, zccd):
    before = db.session.scalar(select(func.count()).select_from(ZipDistrict))
    with pytest.raises(SourceError):
        sync_congress(_write_fixture(tmp_path, MEMBERS, zccd=zccd))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ZipDistrict)) == before


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="is not a folder"):
        CongressFiles.from_location(str(tmp_path / "nowhere"))


def test_sync_cli_reports_counts(app, db_session, tmp_path):
    _write_fixture(tmp_path, MEMBERS)
    result = app.test_cli_runner().invoke(args=["congress", "sync", "--from", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Loaded 2 members" in result.output
