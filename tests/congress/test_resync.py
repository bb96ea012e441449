"""Syncing again: a member replaced, old actions still readable, the new member targeted."""

import textwrap
from datetime import UTC, datetime

from sqlalchemy import select

from campaign_app.actions.models import Action
from campaign_app.congress.freshness import (
    elections_between,
    general_election_day,
    staleness_warnings,
)
from campaign_app.congress.models import Legislator
from campaign_app.congress.operations import sync_congress
from campaign_app.congress.sources import CongressFiles
from campaign_app.core.db import db
from tests.factories import add_alert
from tests.helpers import form_for, submit_form

SENATORS = textwrap.dedent("""\
    - id: {bioguide: T000002}
      name: {first: Sam, last: Senator}
      terms:
      - {type: sen, start: '2025-01-03', end: '2031-01-03', state: WY, class: 1,
         party: Republican, phone: 202-224-0002}
    - id: {bioguide: T000003}
      name: {first: Sue, last: Senator}
      terms:
      - {type: sen, start: '2021-01-03', end: '2027-01-03', state: WY, class: 2,
         party: Republican, phone: 202-224-0003}
    """)
TESS = textwrap.dedent("""\
    - id: {bioguide: T000001}
      name: {first: Tess, last: Tester, official_full: Tess Tester}
      terms:
      - {type: rep, start: '2025-01-03', end: '2027-01-03', state: WY, district: 0,
         party: Republican, phone: 202-225-0001}
    """)
# Tess resigned; Nina won the special election and was sworn in.
NINA = textwrap.dedent("""\
    - id: {bioguide: N000009}
      name: {first: Nina, last: Newcomer}
      terms:
      - {type: rep, start: '2026-09-01', end: '2027-01-03', state: WY, district: 0,
         party: Democrat, phone: 202-225-0009}
    """)
ANA = {"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.org",
       "zip_code": "82001"}


def write_data(folder, members: str) -> CongressFiles:
    """A data folder in the upstream formats (congress-legislators YAML, zccd CSV)."""
    folder.mkdir(exist_ok=True)
    (folder / "legislators-current.yaml").write_text(members)
    (folder / "legislators-district-offices.yaml").write_text(textwrap.dedent("""\
        - id: {bioguide: N000009}
          offices:
          - {id: N000009-casper, city: Casper, state: WY, zip: '82601', phone: 307-555-0109}
        """))
    (folder / "zccd.csv").write_text("state_fips,state_abbr,zcta,cd\n56,WY,82001,0\n")
    return CongressFiles.from_location(str(folder))


def test_resync_with_a_member_replaced_keeps_old_actions(client, login, db_session, tmp_path):
    sync_congress(write_data(tmp_path / "june", TESS + SENATORS))
    alert = add_alert(target_rule="house")
    call_url = submit_form(client, f"/a/{alert.slug}", ANA).headers["Location"]
    page = client.get(call_url).text
    assert "Rep. Tess Tester" in page
    form = form_for(page, containing="submission_key")
    assert client.post(form["action"], data={**form["fields"], "outcome": "talked"}) \
        .status_code == 302
    assert "Reported: Talked to staff" in client.get(call_url).text

    sync = sync_congress(write_data(tmp_path / "september", NINA + SENATORS))
    assert (sync.added_count, sync.retired_count) == (1, 1)

    page = client.get(call_url).text
    assert "Rep. Nina Newcomer" in page and "Tess Tester" not in page
    assert "Or call the district office in Casper" in page
    form = form_for(page, containing="submission_key")
    assert form["fields"]["bioguide_id"] == "N000009"
    assert client.post(form["action"], data={**form["fields"], "outcome": "voicemail"}) \
        .status_code == 302

    old, new = db.session.scalars(select(Action).order_by(Action.id)).all()
    assert (old.bioguide_id, old.legislator.display_name) == ("T000001", "Tess Tester")
    assert db.session.get(Legislator, "T000001").is_current is False
    assert new.bioguide_id == "N000009"
    staff = login("viewer")
    dashboard = staff.get(f"/staff/alerts/{alert.slug}")
    assert dashboard.status_code == 200
    assert '<span class="number" id="call-count">2</span>' in dashboard.text


def test_general_election_days():
    assert [general_election_day(year) for year in (2024, 2026, 2028)] == [
        datetime(2024, 11, 5).date(), datetime(2026, 11, 3).date(),
        datetime(2028, 11, 7).date()]
    assert elections_between(datetime(2026, 6, 1).date(), datetime(2028, 12, 1).date()) == [
        datetime(2026, 11, 3).date(), datetime(2028, 11, 7).date()]
    assert elections_between(datetime(2027, 1, 1).date(), datetime(2027, 12, 1).date()) == []


def _synced_on(tmp_path, when: datetime, members=TESS + SENATORS):
    sync = sync_congress(write_data(tmp_path, members))
    sync.finished_at = when
    db.session.flush()
    return sync


def test_fresh_data_gives_no_warning(db_session, tmp_path):
    _synced_on(tmp_path, datetime(2026, 6, 16, tzinfo=UTC))
    assert staleness_warnings(30, now=datetime(2026, 6, 20, tzinfo=UTC)) == []


def test_stale_data_gives_each_warning(db_session, tmp_path):
    short_term = TESS.replace("end: '2027-01-03'", "end: '2026-11-03'")
    _synced_on(tmp_path, datetime(2026, 6, 16, tzinfo=UTC), members=short_term + SENATORS)
    warnings = staleness_warnings(30, now=datetime(2026, 11, 10, tzinfo=UTC))
    assert len(warnings) == 3
    ended, election, age = warnings
    assert "1 member term(s) have ended" in ended and "Tess Tester" in ended
    assert "general election of November 3, 2026" in election
    assert "147 days ago" in age


def test_staff_pages_and_cli_show_the_warnings(app, login, db_session, tmp_path):
    _synced_on(tmp_path, datetime(2026, 1, 2, tzinfo=UTC))
    alert = add_alert()
    staff = login("viewer")
    for url in ("/staff/", f"/staff/alerts/{alert.slug}"):
        page = staff.get(url).text
        assert "may be out of date" in page, url
        assert "run `flask congress sync`" in page
    result = app.test_cli_runner().invoke(args=["congress", "status"])
    assert result.exit_code == 0, result.output
    assert "Congress 119" in result.output
    assert "WARNING: The congress data was last synced" in result.output
