"""Stale dates (issue 12, item 5): a date or weekday written in the alert's texts that
disagrees with its deadline is a warning on save and on publish."""

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from campaign_app.alerts.checks import stale_dates
from campaign_app.core.db import db
from tests.factories import add_alert
from tests.helpers import form_for

#: The reference scenario's appeal as last year's alert had it (DESIGN.md §1): the date written
#: out instead of [[Deadline]].
SEED_APPEAL = """\
[[First_Name|Friend]], can you take five minutes today to contact your member of the House?

A member of the House is circulating a **Dear Colleague** letter asking the Secretary of State to
put human rights first in our relations with Mexico. Other members of Congress can sign until
**Friday, July 15**. Last year's letter reached 82 signers — this year we can beat that."""

EASTERN = ZoneInfo("America/New_York")


def _deadline(year, month, day, hour=17):
    return datetime(year, month, day, hour, tzinfo=EASTERN).astimezone(ZoneInfo("UTC"))


def test_the_seed_text_against_a_december_deadline(db_session):
    """Item 5: "Friday, July 15" with a deadline of Friday, December 18 said nothing."""
    alert = add_alert(appeal=SEED_APPEAL, deadline_at=_deadline(2026, 12, 18))
    [warning] = stale_dates(alert)
    assert (warning.attribute, warning.line, warning.column) == ("appeal", 5, 3)
    assert str(warning) == (
        "Appeal, line 5, column 3: “Friday, July 15”: it reads like the deadline, but the "
        "alert's deadline is Friday, December 18, 2026. Also, July 15, 2026 is a Wednesday, "
        "not a Friday.")


def test_a_weekday_next_to_a_date_of_another_weekday(db_session):
    """Item 5: "Friday" next to a date that is a Tuesday, even when it isn't the deadline."""
    alert = add_alert(deadline_at=_deadline(2026, 12, 18),
                      call_script="We met them on Friday, December 15.\nThanks, [[Target_Name]].")
    [warning] = stale_dates(alert)
    assert str(warning) == ("Call script, line 1, column 16: “Friday, December 15”: "
                            "December 15, 2026 is a Tuesday, not a Friday.")


def test_a_lone_weekday_deadline_on_the_wrong_day(db_session):
    alert = add_alert(deadline_at=_deadline(2026, 12, 15),
                      thank_you_text="Members can sign until Friday: share it now!")
    [warning] = stale_dates(alert)
    assert warning.label == "Thank-you text"
    assert "“Friday”: it reads like the deadline, but the alert's deadline is on a Tuesday " \
           "(Tuesday, December 15, 2026)." in str(warning)


def test_dates_that_agree_or_are_not_the_deadline_pass(db_session):
    alert = add_alert(
        deadline_at=_deadline(2026, 12, 18, hour=0),
        appeal="Sign until **Friday, Dec. 18**, or by 12/18 — the deadline is December 18th. "
               "We met on Tuesday, March 3; last year's letter closed July 15, 2022.\n\n"
               "Until midnight on Thursday, December 17! [[Deadline|Dec. 1]]",
        email_body="Dear [[Target_Name]], the vote was on Wednesday, July 15.")
    assert stale_dates(alert) == []


def test_save_and_publish_show_the_warning_with_line_and_column(client, login):
    """Item 5: the editor said nothing on save or publish; both still go through."""
    login("organizer")
    alert = add_alert(status="draft", deadline_at=_deadline(2037, 12, 18))
    page = client.get(f"/staff/alerts/{alert.id}/edit")
    fields = form_for(page.text, containing="appeal")["fields"]
    fields.pop("skip_signed", None)
    response = client.post(f"/staff/alerts/{alert.id}/edit", data={
        **fields, "appeal": SEED_APPEAL, "channels": ["call", "email"], "target_rule": "all"})
    assert response.status_code == 302
    expected = ("Check: Appeal, line 5, column 3: “Friday, July 15”: it reads like the deadline,"
                " but the alert's deadline is Friday, December 18, 2037.")
    assert expected in html.unescape(client.get(f"/staff/alerts/{alert.id}/edit").text)
    token = form_for(client.get(f"/staff/alerts/{alert.id}/edit").text,
                     action=f"/staff/alerts/{alert.id}/publish")["fields"]
    client.post(f"/staff/alerts/{alert.id}/publish", data=token)
    db.session.refresh(alert)
    assert alert.status == "live"
    assert expected in html.unescape(client.get(f"/staff/alerts/{alert.id}/edit").text)
