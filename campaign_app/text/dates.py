"""Dates written in organizer text ("Friday, July 15", "Dec. 18", "12/18"), found and read.

What is recognized, and nothing else (false positives cost an organizer's trust in the
warnings more than a missed date does):
- month-first dates: "July 15", "Dec. 18", "December 18th, 2026";
- day-first dates: "18 December", "the 18th of December", "18 de diciembre de 2026";
- US numeric dates: "12/18", "12/18/2026", "12/18/26" (month first), and ISO "2026-12-18";
- a weekday tied to one of those: before it ("Friday, July 15", "**Fri.** Dec. 18") or in
  parentheses after it ("July 15 (a Friday)");
- a weekday alone ("until Friday"), reported only where it reads like a deadline (below).

A date without a year is read in the year (before, of, or after the reference's, the alert's
deadline) that puts it nearest to the reference — "Jan. 4" near a December deadline is next
January — preferring a year where the written weekday is right ("Tuesday, March 3" may be last
March): a weekday tied to a yearless date is wrong only if it is wrong in all three years.

A date or weekday *reads like a deadline* when a cue stands right before it — "deadline (is)",
"until", "till", "by", "before", "no later than", "due", "through", "ends", "closes" (Spanish
"hasta", "antes de", "fecha límite") — with only filler between: "on", "this", "next", "the",
"midnight", "noon", "end of day", a time of day ("5 p.m.", "17:00") and a time zone ("ET",
"Eastern"). A full date also reads like a deadline when the word "deadline" comes earlier in its
sentence ("The deadline to sign is Friday, July 15").

Month and weekday names come from the CLDR locale data that Babel ships: English (full and
abbreviated names, plus the US "Sept.", "Tues.", "Thurs." CLDR lacks) and Spanish (full names
only: its abbreviations "mar", "ago", "dic" are English words or collide with English ones).
Libraries that search free text for dates (dateparser, datefinder) were tried and not used: they
read "we", "may" and "five minutes today" as dates, split "Friday, December 18th, 2026" into
four, and don't tie a weekday to its date.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import get_day_names, get_month_names


def _names(getter, widths_by_locale, extra) -> dict[str, int]:
    names = {}
    for locale, widths in widths_by_locale.items():
        for width in widths:
            for number, name in getter(width, locale=locale).items():
                names[name.lower().rstrip(".")] = number
    names.update(extra)
    return names


_LOCALES = {"en": ("wide", "abbreviated"), "es": ("wide",)}
#: Lower-case name → month number (1–12).
MONTHS = _names(get_month_names, _LOCALES, {"sept": 9})
#: Lower-case name → weekday (0 = Monday, as date.weekday()).
WEEKDAYS = _names(get_day_names, _LOCALES, {"tues": 1, "weds": 2, "thur": 3, "thurs": 3})


def _alternation(names) -> str:
    # Longest first, so "july" wins over "jul"; \b so "mar" never matches inside "march".
    return "(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b"


_MONTH = _alternation(MONTHS)
_WEEKDAY = _alternation(WEEKDAYS)
_EMPHASIS = r"[*_]{0,3}"  # Markdown bold/italic around a part: "**Friday**, July 15"
_ORDINAL = r"(?:st|nd|rd|th)?"

_DATE = re.compile(rf"""
    (?<![\w/.-])
    (?:(?P<weekday_before>{_WEEKDAY})\.?{_EMPHASIS},?\s+{_EMPHASIS}(?:the\s+)?)?
    (?:
        (?P<month1>{_MONTH})\.?\s+(?P<day1>\d{{1,2}}){_ORDINAL}\b(?!:\d)
            (?:,?\s+(?P<year1>\d{{4}})\b)?
      | (?P<day2>\d{{1,2}}){_ORDINAL}\s+(?:of\s+|de\s+)?(?P<month2>{_MONTH})\.?
            (?:,?\s+(?:de\s+)?(?P<year2>\d{{4}})\b)?
      | (?P<month3>\d{{1,2}})/(?P<day3>\d{{1,2}})(?:/(?P<year3>\d{{4}}|\d{{2}}))?(?![\w/])
      | (?P<year4>\d{{4}})-(?P<month4>\d{{2}})-(?P<day4>\d{{2}})(?![\w-])
    )
    (?:{_EMPHASIS}\s*\(\s*(?:an?\s+|un\s+)?(?P<weekday_after>{_WEEKDAY})\.?\s*\))?
    """, re.IGNORECASE | re.VERBOSE)

_LONE_WEEKDAY = re.compile(rf"(?<![\w-]){_WEEKDAY}\.?", re.IGNORECASE)

_FILLER = (r"(?:(?:on|this|next|the|el|midnight|noon|end\s+of(?:\s+the)?\s+day"
           r"|close\s+of\s+business|et|est|edt|ct|cst|cdt|mt|mst|mdt|pt|pst|pdt"
           r"|(?:eastern|central|mountain|pacific)(?:\s+time)?)\b"
           r"|\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\b\.?)?)")
#: A cue right before the date, with only filler between (see the module's docstring).
_CUE_BEFORE = re.compile(rf"""
    \b(?:deadline(?:\s+(?:is|was|of))?|until|till|by|before|no\s+later\s+than
        |due(?:\s+(?:on|by))?|through|ends?|closes?|hasta|antes\s+del?|fecha\s+l[ií]mite)
    (?:[\s,:*_]+{_FILLER})*
    [\s,:*_]*\Z""", re.IGNORECASE | re.VERBOSE)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")
_DEADLINE_WORD = re.compile(r"\b(?:deadline|fecha\s+l[ií]mite)\b", re.IGNORECASE)


@dataclass(frozen=True)
class WrittenDate:
    """A date or weekday as written in a text, and what it says."""

    text: str
    #: Offset of its first character in the text.
    start: int
    #: The calendar date; None for a weekday alone, or a date no calendar has ("Feb. 30").
    day: date | None
    #: The written weekday (0 = Monday), if any.
    weekday: int | None
    has_year: bool
    reads_like_deadline: bool


def _year_near(month: int, day: int, reference: date, weekday: int | None) -> date | None:
    """The date in the year before, of, or after the reference's: the nearest one whose weekday
    is the written one ("Tuesday, March 3" may be last March), else the nearest."""
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # Feb. 29 outside leap years, Feb. 30, 13/45 …
            continue
    candidates.sort(key=lambda d: abs(d - reference))
    matching = [d for d in candidates if d.weekday() == weekday]
    return (matching or candidates or [None])[0]


def _calendar_date(match: re.Match, reference: date,
                   weekday: int | None) -> tuple[date | None, bool]:
    for n in "1234":
        if match.group(f"day{n}"):
            break
    month_text, day_text, year_text = (match.group(f"month{n}"), match.group(f"day{n}"),
                                       match.group(f"year{n}"))
    month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
    day = int(day_text)
    if year_text is None:
        if not 1 <= month <= 12:
            return None, False
        return _year_near(month, day, reference, weekday), False
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    try:
        return date(year, month, day), True
    except ValueError:
        return None, True


def find_dates(text: str, reference: date) -> list[WrittenDate]:
    """Every date the text writes, and each lone weekday that reads like a deadline, in order."""
    # Where sentences start and where "deadline" is written, found once: a long text with many
    # dates is then still read in one pass.
    sentence_starts = [0, *(m.end() for m in _SENTENCE_END.finditer(text))]
    deadline_words = [m.start() for m in _DEADLINE_WORD.finditer(text)]

    def _reads_like_deadline(start: int, *, full_date: bool) -> bool:
        if _CUE_BEFORE.search(text[max(0, start - 80):start]):
            return True
        if not full_date:
            return False
        sentence_start = sentence_starts[bisect_right(sentence_starts, start) - 1]
        last_word = bisect_right(deadline_words, start) - 1
        return last_word >= 0 and deadline_words[last_word] >= sentence_start

    found = []
    spans: list[tuple[int, int]] = []  # the dates' (start, end), in order
    for match in _DATE.finditer(text):
        weekday_text = match.group("weekday_before") or match.group("weekday_after")
        weekday = WEEKDAYS[weekday_text.lower()] if weekday_text else None
        day, has_year = _calendar_date(match, reference, weekday)
        found.append(WrittenDate(
            text=match.group(0).strip("*_ "), start=match.start(), day=day, weekday=weekday,
            has_year=has_year,
            reads_like_deadline=_reads_like_deadline(match.start(), full_date=True)))
        spans.append((match.start(), match.end()))
    for match in _LONE_WEEKDAY.finditer(text):
        index = bisect_right(spans, (match.start(), len(text) + 1)) - 1
        if index >= 0 and match.start() < spans[index][1]:
            continue  # part of a date found above
        if _reads_like_deadline(match.start(), full_date=False):
            name = match.group(0).rstrip(".")
            found.append(WrittenDate(
                text=name, start=match.start(), day=None,
                weekday=WEEKDAYS[name.lower()], has_year=False,
                reads_like_deadline=True))
    return sorted(found, key=lambda written: written.start)


def same_day(written: date, deadline_day: date, *, at_midnight: bool) -> bool:
    """Whether a written date names the deadline's day; a deadline at 00:00 is also written
    as the day before ("until midnight, July 15" for July 16, 00:00)."""
    return written == deadline_day or (at_midnight and written == deadline_day - timedelta(1))
