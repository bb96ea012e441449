"""Dates written in organizer text (issue 12, item 5): what is read as a date, and what isn't."""

from datetime import date

import pytest

from campaign_app.text.dates import find_dates, same_day

DECEMBER = date(2026, 12, 18)  # a Friday


def _one(text, reference=DECEMBER):
    [found] = find_dates(text, reference)
    return found


@pytest.mark.parametrize("text,written,day,weekday", [
    ("sign until **Friday, July 15**.", "Friday, July 15", date(2026, 7, 15), 4),
    ("The deadline is Dec. 18 at 5pm.", "Dec. 18", date(2026, 12, 18), None),
    ("Sign by 12/18!", "12/18", date(2026, 12, 18), None),
    ("before Friday, December 18th, 2026.", "Friday, December 18th, 2026", DECEMBER, 4),
    ("until July 15 (a Friday).", "July 15 (a Friday)", date(2026, 7, 15), 4),
    ("by 5 p.m. ET on Thurs., Dec. 17", "Thurs., Dec. 17", date(2026, 12, 17), 3),
    ("hasta el viernes 18 de diciembre", "viernes 18 de diciembre", DECEMBER, 4),
    ("until 12/18/2026", "12/18/2026", DECEMBER, None),
    ("until 2026-12-18", "2026-12-18", DECEMBER, None),
])
def test_written_deadlines_are_read(text, written, day, weekday):
    found = _one(text)
    assert (found.text, found.day, found.weekday) == (written, day, weekday)
    assert found.reads_like_deadline


def test_a_date_without_a_year_is_the_one_nearest_the_deadline():
    assert _one("Kickoff Jan. 4").day == date(2027, 1, 4)
    assert _one("Hearing on March 3", date(2026, 7, 1)).day == date(2026, 3, 3)


@pytest.mark.parametrize("text", [
    "Introduced by Rep. Smith on March 3, with 5 cosponsors.",
    "The hearing on Tuesday, March 3 went well.",
    "Last year's letter reached 82 signers on July 15.",
    "The deadline is near! The hearing was on March 3.",  # "deadline" in another sentence
])
def test_other_dates_are_read_but_not_as_the_deadline(text):
    assert not _one(text).reads_like_deadline


@pytest.mark.parametrize("text", [
    "can you take five minutes today?",  # what date-search libraries read as a date
    "we may sign this year, and you may too",
    "Call 202-225-1234 now.",
    "see https://example.org/2022/07/15/letter",
    "The March 2026 report",
    "Friday night lights, a Friday tradition",  # weekdays alone that aren't deadlines
])
def test_no_date_is_made_up(text):
    assert find_dates(text, DECEMBER) == []


def test_a_lone_weekday_counts_only_where_it_reads_like_a_deadline():
    found = _one("Please sign until Friday.")
    assert (found.text, found.day, found.weekday, found.reads_like_deadline) == \
        ("Friday", None, 4, True)


def test_a_date_no_calendar_has_is_not_a_day():
    assert _one("until Feb. 30").day is None


def test_a_midnight_deadline_is_also_written_as_the_day_before():
    assert same_day(date(2026, 12, 17), DECEMBER, at_midnight=True)
    assert not same_day(date(2026, 12, 17), DECEMBER, at_midnight=False)


def test_a_weekday_picks_the_year_it_is_right_in():
    # March 3 is a Wednesday in 2027 (nearest the deadline) but was a Tuesday in 2026.
    assert _one("We met on Tuesday, March 3.").day == date(2026, 3, 3)
    # No year near the deadline has July 15 on a Friday: the nearest is kept.
    assert _one("until Friday, July 15").day == date(2026, 7, 15)
