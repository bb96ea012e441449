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
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from flask_babel import format_date, get_locale

from ..core.time import utcnow
from ..i18n.languages import language_name
from ..i18n.staff import lazy_staff_gettext, staff_gettext
from ..text.dates import WrittenDate, find_dates, same_day
from ..text.merge import CATALOGUE, base_field, blank_fields, field_uses, position
from .models import Alert
from .personalize import known_to_anyone
from .queries import merge_defaults
from .texts import ORGANIZER_TEXTS
from .translations import TRANSLATED_TEXTS

TITLE_LABEL = lazy_staff_gettext("Title")


@dataclass(frozen=True)
class TextWarning:
    """Something to check in one of the alert's texts, and where (1-based line and column)."""

    attribute: str
    label: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return staff_gettext("%(text)s, line %(line)s, column %(column)s: %(message)s",
                             text=self.label, line=self.line, column=self.column,
                             message=self.message)


def text_warnings(alert: Alert) -> list[TextWarning]:
    return missing_fallbacks(alert) + stale_dates(alert)


def missing_fallbacks(alert: Alert) -> list[TextWarning]:
    """Each field without its own fallback in a text visitors we don't know read."""
    known = known_to_anyone(alert)
    warnings = []
    for attribute, label, source, language in _texts(alert):
        defaults = merge_defaults(language)  # the text's own language's
        spec = ORGANIZER_TEXTS.get(attribute)
        if spec is None or not spec.is_seen_anonymously:
            continue
        for use in field_uses(source):
            if use.fallback or use.key not in CATALOGUE or use.key in known:
                continue
            # A field's form (A_Rep_Name) shows its field's default (Rep_Name's).
            name, field = CATALOGUE[use.key], CATALOGUE[base_field(use.key)]
            default = defaults.get(use.key)
            if default:
                message = staff_gettext(
                    "%(field)s has no fallback: visitors we don't know yet will read "
                    "“%(default)s”, the organization's default for %(name)s.",
                    field=use.written, default=default, name=field)
            else:
                message = staff_gettext(
                    "%(field)s has no fallback, and the organization has no default for "
                    "%(default_field)s: visitors we don't know yet will read nothing there. "
                    "Write [[%(name)s|…]] with a fallback, or set a default for "
                    "%(default_field)s.",
                    field=use.written, name=name, default_field=field)
            warnings.append(TextWarning(attribute, label, use.line, use.column, message))
    return warnings


def _texts(alert: Alert):
    """(attribute, label, text, language) of every text the alert has, in each of its
    languages."""
    yield "title", TITLE_LABEL, alert.title or "", alert.language
    for attribute, spec in ORGANIZER_TEXTS.items():
        yield attribute, spec.label, getattr(alert, attribute) or "", alert.language
    for row in alert.translations:
        for attribute in TRANSLATED_TEXTS:
            label = TITLE_LABEL if attribute == "title" else ORGANIZER_TEXTS[attribute].label
            if getattr(row, attribute):
                yield attribute, staff_gettext("%(text)s (%(language)s)", text=label,
                                               language=language_name(row.language)), \
                    getattr(row, attribute), row.language


def _weekday(number: int) -> str:
    """Monday is 0, as `date.weekday()` counts, named in the staff page's language."""
    return get_day_names("wide", locale=get_locale() or "en")[number]


def _date_problems(written: WrittenDate, deadline: datetime | None) -> list[str]:
    problems = []
    if written.day is not None and written.weekday is not None \
            and written.day.weekday() != written.weekday:
        problems.append(staff_gettext("%(date)s is a %(weekday)s, not a %(written)s.",
                                      date=format_date(written.day, "long"),
                                      weekday=_weekday(written.day.weekday()),
                                      written=_weekday(written.weekday)))
    if deadline is None or not written.reads_like_deadline:
        return problems
    at_midnight = deadline.hour == 0 and deadline.minute == 0
    if written.day is not None:
        if not same_day(written.day, deadline.date(), at_midnight=at_midnight):
            problems.insert(0, staff_gettext(
                "it reads like the deadline, but the alert's deadline is %(deadline)s.",
                deadline=format_date(deadline.date(), "full")))
    elif written.weekday is not None and written.weekday != deadline.weekday():
        problems.insert(0, staff_gettext(
            "it reads like the deadline, but the alert's deadline is on a %(weekday)s "
            "(%(deadline)s).", weekday=_weekday(deadline.weekday()),
            deadline=format_date(deadline.date(), "full")))
    return problems


def _date_message(written: WrittenDate, problems: list[str]) -> str:
    """The written date, then its one or two problems (a wrong weekday, not the deadline)."""
    if len(problems) == 1:
        return staff_gettext("“%(written)s”: %(problem)s", written=written.text,
                             problem=problems[0])
    return staff_gettext("“%(written)s”: %(problem)s Also, %(other)s", written=written.text,
                         problem=problems[0], other=problems[1])


def stale_dates(alert: Alert) -> list[TextWarning]:
    """Written dates and weekdays that disagree with the deadline (see the module's rule)."""
    zone = ZoneInfo(alert.time_zone or "America/New_York")
    deadline = alert.deadline_at.astimezone(zone) if alert.deadline_at else None
    reference = deadline.date() if deadline else utcnow().astimezone(zone).date()
    warnings = []
    for attribute, label, source, _language in _texts(alert):
        # Fields are blanked: [[Deadline]] is always right, and a fallback isn't prose.
        text = blank_fields(source)
        for written in find_dates(text, reference):
            problems = _date_problems(written, deadline)
            if problems:
                line, column = position(text, written.start)
                warnings.append(TextWarning(attribute, label, line, column,
                                            _date_message(written, problems)))
    return warnings
