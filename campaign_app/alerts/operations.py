"""Writes on alerts: create, edit, publish, close, duplicate — each save kept as a revision."""

import logging
from datetime import date, datetime

from flask import g
from flask_babel import force_locale
from sqlalchemy import select

from ..audit.operations import record_event
from ..core.db import db
from ..core.time import utcnow
from ..delivery import cwc
from ..i18n.languages import default_language, offered_languages
from ..i18n.staff import staff_gettext
from .defaults import DEFAULTABLE_FIELDS, built_in_defaults
from .models import Alert, AlertRevision, AlertTranslation, MergeFieldDefault
from .queries import merge_default_rows
from .texts import text_errors
from .translations import TRANSLATED_TEXTS, translation

log = logging.getLogger(__name__)

#: Alert attributes an organizer edits; a revision snapshots all of them.
EDITABLE = (
    "slug", "title", "appeal", "target_rule", "target_ids", "skip_signed", "channels",
    "call_script", "thank_script", "email_subject", "email_body", "is_email_editable",
    "email_max_length",
    "deadline_at", "time_zone", "reminder_offsets", "thank_you_text", "share_text", "share_url",
    "signon_goal", "previous_signon_count", "alert_email_subject", "alert_email_body",
    "letter_text", "signature_goal", "public_signer_list", "topic", "bills", "position",
    "more_info_url",
)


class AlertError(ValueError):
    """An alert can't be saved or published as it stands; `errors` maps field → message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(alert: Alert) -> dict:
    return {key: _jsonable(getattr(alert, key)) for key in EDITABLE}


def _translated_snapshot(alert: Alert) -> dict:
    """The texts in the alert's other languages, keyed 'appeal (es)', as the history shows."""
    return {f"{key} ({row.language})": getattr(row, key)
            for row in alert.translations for key in TRANSLATED_TEXTS if getattr(row, key)}


def _record(alert: Alert, user, event: str, changed: list[str]) -> AlertRevision:
    revision = AlertRevision(alert=alert, user_id=getattr(user, "id", None), event=event,
                             status=alert.status, changed_fields=changed,
                             snapshot={**snapshot(alert), "language": alert.language,
                                       **_translated_snapshot(alert)})
    db.session.add(revision)
    return revision


def _check_texts(data: dict) -> None:
    errors = text_errors(data)
    if errors:
        raise AlertError(errors)


def create_alert(data: dict, user=None) -> Alert:
    """A new alert (a draft unless `data` says otherwise). Flushes."""
    _check_texts(data)
    alert = Alert(**data, created_by_id=getattr(user, "id", None))
    if alert.status == "live":
        alert.published_at = utcnow()
    db.session.add(alert)
    db.session.flush()
    _record(alert, user, "created", sorted(data))
    db.session.flush()
    log.info("alert %s created (%s)", alert.slug, alert.status)
    return alert


def update_alert(alert: Alert, data: dict, user=None) -> list[str]:
    """Apply the organizer's changes; returns the names of the fields that changed. Flushes."""
    _check_texts(data)
    changed = [key for key, value in data.items() if getattr(alert, key) != value]
    for key in changed:
        setattr(alert, key, data[key])
    if changed:
        _record(alert, user, "edited", changed)
        db.session.flush()
        log.info("alert %s edited: %s", alert.slug, ", ".join(changed))
    return changed


def publication_problems(alert: Alert) -> dict[str, str]:
    """What stops an alert from going live."""
    problems = {}
    if not alert.appeal.strip():
        problems["appeal"] = staff_gettext("Write the appeal supporters will read.")
    if not alert.channels:
        problems["channels"] = staff_gettext("Choose at least one way to act (call or email).")
    if "call" in alert.channels and not alert.call_script.strip():
        problems["call_script"] = staff_gettext("Calls need a call script.")
    if "email" in alert.channels and not (alert.email_subject.strip()
                                          and alert.email_body.strip()):
        problems["email_body"] = staff_gettext("Emails need a suggested subject and body.")
    if "email" in alert.channels and cwc.is_configured() and alert.topic not in cwc.TOPICS:
        problems["topic"] = staff_gettext("Choose the topic Congress's message system files "
                                          "the emails under.")
    if alert.target_rule == "listed" and not alert.target_ids:
        problems["target_ids"] = staff_gettext("Choose the members to target.")
    if alert.deadline_at is not None and alert.deadline_at <= utcnow():
        problems["deadline"] = staff_gettext("The deadline has passed: set a new one first.")
    problems.update(text_errors(snapshot(alert)))
    return problems


def publish_alert(alert: Alert, user=None) -> None:
    problems = publication_problems(alert)
    if problems:
        raise AlertError(problems)
    alert.status = "live"
    alert.published_at = utcnow()
    alert.closed_at = None
    _record(alert, user, "published", ["status"])
    db.session.flush()
    log.info("alert %s published", alert.slug)


def close_alert(alert: Alert, user=None) -> None:
    alert.status = "closed"
    alert.closed_at = utcnow()
    _record(alert, user, "closed", ["status"])
    db.session.flush()
    log.info("alert %s closed", alert.slug)


def free_slug(base: str) -> str:
    taken = set(db.session.scalars(select(Alert.slug).where(Alert.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def duplicate_alert(alert: Alert, user=None) -> Alert:
    """A draft copy, for next year's letter or a similar alert."""
    data = {key: getattr(alert, key) for key in EDITABLE}
    data["slug"] = free_slug(f"{alert.slug[:70]}-copy")
    data["title"] = f"Copy of {alert.title}"[:200]
    data["status"] = "draft"
    data["language"] = alert.language
    copy = create_alert(data, user)
    # The texts in its other languages come along: next year's letter is bilingual too.
    for row in alert.translations:
        copy.translations.append(AlertTranslation(
            language=row.language, **{key: getattr(row, key) for key in TRANSLATED_TEXTS}))
    db.session.flush()
    log.info("alert %s duplicated as %s", alert.slug, copy.slug)
    return copy


def set_merge_defaults(fallbacks: dict[str, str], user=None, *,
                       language: str | None = None) -> list[str]:
    """Set the organization's default per merge field in one language (the default language
    unless given; key → plain text); returns the keys that changed, audited. Every page,
    preview and mailing in that language uses them from now on. Flushes.

    A row holds only what staff chose: in the default language, the built-in default's own
    text is no row (so the other languages keep their translated built-in one) and "" shows
    nothing; in another language, "" is no row (the default language's is read)."""
    language = language or default_language()
    if language not in offered_languages():
        raise ValueError(f"{language} is not one of the organization's languages")
    unknown = set(fallbacks) - set(DEFAULTABLE_FIELDS)
    if unknown:
        raise ValueError(f"No default can be set for {', '.join(sorted(unknown))}")
    rows = merge_default_rows()
    with force_locale(language):
        built_in = built_in_defaults()
    is_default_language = language == default_language()
    changed = []
    for key, fallback in fallbacks.items():
        row = rows.get((key, language))
        if is_default_language:
            is_staff_choice = fallback != built_in.get(key, "")
        else:
            is_staff_choice = bool(fallback)
        if not is_staff_choice:
            if row is not None:
                db.session.delete(row)
                changed.append(key)
            continue
        if row is None:
            row = MergeFieldDefault(field=key, language=language, fallback="")
            db.session.add(row)
        if row.fallback != fallback or row in db.session.new:
            row.fallback = fallback
            row.updated_by_id = getattr(user, "id", None)
            row.updated_at = utcnow()  # the live pages' stamp (page_version) reads it
            changed.append(key)
    if changed:
        record_event("merge_defaults.changed", f"{language}: {', '.join(changed)}",
                     {key: fallbacks[key] for key in changed}, user=user)
    db.session.flush()
    g.pop("merge_defaults", None)  # this request renders with the new defaults too
    return changed


def save_translation(alert: Alert, language: str, data: dict,
                     user=None) -> AlertTranslation | None:
    """The alert's texts in one more language, checked as the alert's own are (an unknown
    merge field is refused with its line and column); all texts empty removes the language
    from the alert. Returns the row, or None when removed. Flushes."""
    if language == alert.language or language not in offered_languages():
        raise AlertError({"language": staff_gettext("%(language)r is not another language of "
                                                    "this alert.", language=language)})
    texts = {key: (data.get(key) or "") for key in TRANSLATED_TEXTS}
    errors = text_errors({key: value for key, value in texts.items() if key != "title"})
    if len(texts["title"]) > 200:
        errors["title"] = staff_gettext("Please keep the title to 200 characters at most.")
    if errors:
        raise AlertError(errors)
    row = translation(alert, language)
    if not any(value.strip() for value in texts.values()):
        if row is not None:
            alert.translations.remove(row)
            db.session.flush()
        log.info("alert %s: %s texts removed", alert.slug, language)
        return None
    if row is None:
        row = AlertTranslation(language=language)
        alert.translations.append(row)
    changed = [key for key, value in texts.items() if getattr(row, key) != value]
    for key, value in texts.items():
        setattr(row, key, value)
    db.session.flush()
    if changed:
        _record(alert, user, "edited", [f"{key} ({language})" for key in changed])
        db.session.flush()
    log.info("alert %s: %s texts saved (%s)", alert.slug, language, ", ".join(changed))
    return row


def set_alert_language(alert: Alert, language: str, user=None) -> bool:
    """Say which language the alert's own texts are written in; refused while the alert has
    a translation in that language (remove it first). Returns whether it changed. Flushes."""
    if language not in offered_languages():
        raise AlertError({"language": staff_gettext("%(language)r is not one of the offered "
                                                    "languages.", language=language)})
    if language == alert.language:
        return False
    if translation(alert, language) is not None:
        raise AlertError({"language": staff_gettext("The alert already has texts in that "
                                                    "language: empty them first, then choose "
                                                    "it here.")})
    alert.language = language
    db.session.flush()
    _record(alert, user, "edited", ["language"])
    db.session.flush()
    return True
