"""The languages the organization offers, read from its settings, and their names."""

from babel import Locale
from babel.numbers import format_decimal
from flask import current_app
from flask_babel import get_locale

from ..core.time import us_locale

#: The catalogs' source language: staff pages and message ids are written in it.
SOURCE_LANGUAGE = "en"


def offered_languages() -> tuple[str, ...]:
    """LANGUAGES, e.g. ('en', 'es'): adding a third is a catalog and this setting."""
    return tuple(current_app.config["LANGUAGES"])


def default_language() -> str:
    return current_app.config["DEFAULT_LANGUAGE"]


def language_name(language: str) -> str:
    """The language's name in itself ('English', 'Español'): what a reader looks for."""
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]


def parse_languages(value: str) -> tuple[str, ...]:
    """'en,es' → ('en', 'es'); each must be a locale Babel knows (a typo stops the start)."""
    languages = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    for language in languages:
        Locale.parse(language)  # raises UnknownLocaleError
    return languages



def format_count(number: int) -> str:
    """A count in the page's language ('1,234')."""
    locale = get_locale()
    return format_decimal(number, locale=us_locale(locale.language if locale else "en"))
