"""Warnings about an alert's texts, shown on save and on publish (they never stop either).

- A merge field without a fallback of its own in a text that visitors we don't know read:
  they see the organization's default for it, or nothing when there is none.
- A written date or weekday that disagrees with the alert's deadline (texts copied from last
  year's alert). The rule, with `text.dates` for what counts as a date:
  * a weekday tied to a date must be that date's weekday ("Friday, July 15" when July 15 is a
    Wednesday), whether or not the date is the deadline;
  * a date that reads like a deadline ("until July 15", "The deadline is Friday, July 15") must
    be the deadline's day in the alert's time zone (or the day before a deadline at midnight);
  * a weekday alone that reads like a deadline ("sign until Friday") must be the deadline's.
  Any other date is left alone: an alert may well name a hearing or last year's vote.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..core.time import utcnow
from ..i18n.languages import language_name
from ..text.dates import WrittenDate, find_dates, same_day
from ..text.merge import CATALOGUE, blank_fields, field_uses, position
from .models import Alert
from .personalize import known_to_anyone
from .queries import merge_defaults
from .texts import ORGANIZER_TEXTS
from .translations import TRANSLATED_TEXTS

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class TextWarning:
    """Something to check in one of the alert's texts, and where (1-based line and column)."""

    attribute: str
    label: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.label}, line {self.line}, column {self.column}: {self.message}"


def text_warnings(alert: Alert) -> list[TextWarning]:
    return missing_fallbacks(alert) + stale_dates(alert)


def missing_fallbacks(alert: Alert) -> list[TextWarning]:
    """Each field without its own fallback in a text visitors we don't know read."""
    known = known_to_anyone(alert)
    defaults = merge_defaults()
    warnings = []
    for attribute, label, source in _texts(alert):
        spec = ORGANIZER_TEXTS.get(attribute)
        if spec is None or not spec.is_seen_anonymously:
            continue
        for use in field_uses(source):
            if use.fallback or use.key not in CATALOGUE or use.key in known:
                continue
            name = CATALOGUE[use.key]
            default = defaults.get(use.key)
            if default:
                message = (f"{use.written} has no fallback: visitors we don't know yet will "
                           f"read “{default}”, the organization's default for {name}.")
            else:
                message = (f"{use.written} has no fallback, and the organization has no default "
                           f"for {name}: visitors we don't know yet will read nothing there. "
                           f"Write [[{name}|…]] with a fallback, or set a default for {name}.")
            warnings.append(TextWarning(attribute, label, use.line, use.column, message))
    return warnings


def _texts(alert: Alert):
    """(attribute, label, text) of every text the alert has, in each of its languages."""
    yield "title", "Title", alert.title or ""
    for attribute, spec in ORGANIZER_TEXTS.items():
        yield attribute, spec.label, getattr(alert, attribute) or ""
    for row in alert.translations:
        for attribute in TRANSLATED_TEXTS:
            label = "Title" if attribute == "title" else ORGANIZER_TEXTS[attribute].label
            if getattr(row, attribute):
                yield attribute, f"{label} ({language_name(row.language)})", \
                    getattr(row, attribute)


def _long_date(day: date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]}, {day:%B} {day.day}, {day.year}"


def _date_problems(written: WrittenDate, deadline: datetime | None) -> list[str]:
    problems = []
    if written.day is not None and written.weekday is not None \
            and written.day.weekday() != written.weekday:
        problems.append(f"{written.day:%B} {written.day.day}, {written.day.year} is a "
                        f"{WEEKDAY_NAMES[written.day.weekday()]}, not a "
                        f"{WEEKDAY_NAMES[written.weekday]}.")
    if deadline is None or not written.reads_like_deadline:
        return problems
    at_midnight = deadline.hour == 0 and deadline.minute == 0
    if written.day is not None:
        if not same_day(written.day, deadline.date(), at_midnight=at_midnight):
            problems.insert(0, f"it reads like the deadline, but the alert's deadline is "
                               f"{_long_date(deadline.date())}.")
    elif written.weekday is not None and written.weekday != deadline.weekday():
        problems.insert(0, f"it reads like the deadline, but the alert's deadline is on a "
                           f"{WEEKDAY_NAMES[deadline.weekday()]} "
                           f"({_long_date(deadline.date())}).")
    return problems


def stale_dates(alert: Alert) -> list[TextWarning]:
    """Written dates and weekdays that disagree with the deadline (see the module's rule)."""
    zone = ZoneInfo(alert.time_zone or "America/New_York")
    deadline = alert.deadline_at.astimezone(zone) if alert.deadline_at else None
    reference = deadline.date() if deadline else utcnow().astimezone(zone).date()
    warnings = []
    for attribute, label, source in _texts(alert):
        # Fields are blanked: [[Deadline]] is always right, and a fallback isn't prose.
        text = blank_fields(source)
        for written in find_dates(text, reference):
            problems = _date_problems(written, deadline)
            if problems:
                line, column = position(text, written.start)
                message = f"“{written.text}”: " + " Also, ".join(problems)
                warnings.append(TextWarning(attribute, label, line, column, message))
    return warnings
