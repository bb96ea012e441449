"""An alert's texts in each of its languages, and which language a reader gets.

The alert's own columns hold its texts in `alert.language`; an AlertTranslation row holds the
same texts in one more language. A text the translation leaves empty is read in the alert's
own language, so a half-translated alert still shows every part.
"""

from flask_babel import get_locale

from ..i18n.languages import default_language
from .models import Alert, AlertTranslation

#: The alert's texts a supporter reads, which each language has its own of.
TRANSLATED_TEXTS = ("title", "appeal", "call_script", "thank_script", "email_subject",
                    "email_body", "thank_you_text", "share_text", "alert_email_subject",
                    "alert_email_body")


def alert_languages(alert: Alert) -> tuple[str, ...]:
    """The languages the alert is written in, its own first."""
    return (alert.language,
            *(row.language for row in alert.translations if row.language != alert.language))


def translation(alert: Alert, language: str) -> AlertTranslation | None:
    return next((row for row in alert.translations if row.language == language), None)


def current_language() -> str:
    """The language of the page being rendered (or forced for an email)."""
    locale = get_locale()
    return locale.language if locale is not None else default_language()


def text_in(alert: Alert, attribute: str, language: str | None = None) -> str:
    """One of the alert's texts in the language (the current one unless given)."""
    language = language or current_language()
    if language != alert.language and attribute in TRANSLATED_TEXTS:
        row = translation(alert, language)
        if row is not None and (getattr(row, attribute) or "").strip():
            return getattr(row, attribute)
    return getattr(alert, attribute) or ""


def reading_language(alert: Alert, wanted: str | None) -> str:
    """The language a reader who wants `wanted` gets: it when the alert has it, else the
    organization's default when the alert has that, else the alert's own."""
    languages = alert_languages(alert)
    if wanted in languages:
        return wanted
    return default_language() if default_language() in languages else alert.language
