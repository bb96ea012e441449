"""Time helpers: store UTC, show in the alert's time zone, in the reader's language."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime

#: How a deadline is written, per language: the weekday, the date, the time and the zone
#: ("Friday, July 15, 5:00 PM EDT"; "viernes, 18 de diciembre, 5:00 p.m. EST"). A language
#: not listed gets CLDR's full date and short time.
DEADLINE_PATTERNS = {
    "en": "EEEE, MMMM d, h:mm a zzz",
    "es": "EEEE, d 'de' MMMM, h:mm a zzz",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def localize(moment: datetime, time_zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(time_zone))


def us_locale(language: str) -> Locale:
    """The language as written in the United States, where CLDR has it (es_US groups
    thousands with a comma, "1,234", as U.S. readers of Spanish expect)."""
    try:
        return Locale.parse(f"{language}_US")
    except UnknownLocaleError:
        return Locale.parse(language)


def _current_language() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else "en"


def format_deadline(moment: datetime, time_zone: str, language: str | None = None) -> str:
    """'Friday, July 15, 5:00 PM EDT' — how people write deadlines — in the page's language
    (or the one given, for an email)."""
    language = language or _current_language()
    locale = us_locale(language)  # es_US writes "p.m." and "EST"
    pattern = DEADLINE_PATTERNS.get(language)
    if pattern is None:
        pattern = f"{locale.date_formats['full'].pattern}, {locale.time_formats['short'].pattern}"
    written = format_datetime(localize(moment, time_zone), pattern, locale=locale)
    # CLDR puts narrow and plain no-break spaces inside times ("5:00 PM"); emails and
    # screen readers take plain ones better.
    return written.replace("\u202f", " ").replace("\u00a0", " ")
