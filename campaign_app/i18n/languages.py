"""The languages the organization offers, read from its settings, and their names."""

from babel import Locale
from flask import current_app

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

