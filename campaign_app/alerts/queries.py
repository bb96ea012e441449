"""Reads of alerts, and of the sign-ons on their letters that pages below signons/ show."""

from dataclasses import dataclass

from flask import g
from flask_babel import force_locale
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from ..core.db import db
from ..i18n.languages import default_language, offered_languages
from .defaults import DEFAULTABLE_FIELDS, built_in_defaults, resolve_defaults
from .models import Alert, AlertRevision, AlertTranslation, MergeFieldDefault
from .signons import APPROVED, MEMBER, ORGANIZATION, SignOn
from .translations import current_language


def get_alert_by_slug(slug: str) -> Alert | None:
    """The alert with its translations, which every page of it reads (its languages), in
    one query."""
    return db.session.scalars(select(Alert).options(joinedload(Alert.translations))
                              .where(Alert.slug == slug)).unique().first()


def page_version(slug: str, *, outside_transaction: bool = False) -> tuple[int, str] | None:
    """(alert id, version stamp) of the alert at `slug`, in one light query: the stamp changes
    whenever anything its public page shows from the database does (the alert's columns, a
    staff save recorded as a revision, a language added or removed, the organization's merge
    field defaults). None when there is no such alert.

    `outside_transaction`: on PostgreSQL, read it on a connection of its own in autocommit,
    one round trip where the session's BEGIN, SELECT and ROLLBACK take three (a GET answered
    from the page cache reads nothing else)."""
    statement, parameters = _PAGE_VERSION, {"slug": slug}
    if outside_transaction and db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            row = connection.execute(statement, parameters).first()
    else:
        row = db.session.execute(statement, parameters).first()
    if row is None:
        return None
    return row[0], ":".join(str(part) for part in row[1:])


def _page_version_statement():
    revisions = select(func.max(AlertRevision.id)).where(
        AlertRevision.alert_id == Alert.id).scalar_subquery()
    languages = select(func.count()).select_from(AlertTranslation).where(
        AlertTranslation.alert_id == Alert.id).scalar_subquery()
    # The newest edit and the number of rows: a default set, changed or cleared (its row
    # removed) in any language changes one or the other.
    defaults_edited = select(func.max(MergeFieldDefault.updated_at)).scalar_subquery()
    defaults_count = select(func.count()).select_from(MergeFieldDefault).scalar_subquery()
    return select(Alert.id, Alert.updated_at, revisions, languages, defaults_edited,
                  defaults_count).where(Alert.slug == bindparam("slug"))


#: Built once: every request reads it, and a statement object keeps its cache key, so
#: SQLAlchemy neither builds nor keys it again (0.3 ms of CPU a request, profiled).
_PAGE_VERSION = _page_version_statement()


def list_alerts() -> list[Alert]:
    return list(db.session.scalars(select(Alert).order_by(Alert.created_at.desc())))


def merge_defaults(language: str | None = None) -> dict[str, str]:
    """Field key → the organization's default in `language` (the page's, or the email's
    forced around its rendering, unless given), empty ones left out, a field's forms
    included (alerts.defaults: that language's, else the default language's, else the
    built-in one, translated). Read once per request or task (kept in `g`;
    `set_merge_defaults` forgets it), as a page renders many texts."""
    language = language or current_language()
    by_language = g.setdefault("merge_defaults", {})
    if language not in by_language:
        stored = {(row.field, row.language): row.fallback
                  for row in merge_default_rows().values()}
        with force_locale(language):
            by_language[language] = resolve_defaults(stored, language, default_language())
    return by_language[language]


def merge_defaults_by_language() -> dict[str, dict[str, str]]:
    """`merge_defaults` for every offered language (what the kept live alert carries)."""
    return {language: merge_defaults(language) for language in offered_languages()}


def merge_defaults_page(languages: tuple[str, ...]) -> tuple[dict, dict]:
    """The staff page's boxes: (`<language>_<field>` → what it holds, language → field → what
    an empty box reads). The default language's box shows the built-in default where staff
    set none; another language's is empty then, with what it falls back to as placeholder."""
    rows = merge_default_rows()
    stored = {key: row.fallback for key, row in rows.items()}
    organization_language = default_language()
    values, placeholders = {}, {}
    for language in languages:
        with force_locale(language):
            built_in = built_in_defaults()
            inherited = resolve_defaults(
                {key: value for key, value in stored.items() if key[1] != language},
                language, organization_language)
        for field in DEFAULTABLE_FIELDS:
            row = rows.get((field, language))
            if row is not None:
                values[f"{language}_{field}"] = row.fallback
            elif language == organization_language:
                values[f"{language}_{field}"] = built_in.get(field, "")
        if language != organization_language:
            placeholders[language] = inherited
    return values, placeholders


def merge_default_rows() -> dict[tuple[str, str], MergeFieldDefault]:
    """Every default staff set, by (field key, language), empty ones included."""
    return {(row.field, row.language): row
            for row in db.session.scalars(select(MergeFieldDefault))}


def signed_member_ids(alert_id: int) -> set[str]:
    """The members whose signature on the alert's letter stands (bioguide ids)."""
    return set(db.session.scalars(select(SignOn.bioguide_id).where(
        SignOn.alert_id == alert_id, SignOn.kind == MEMBER, SignOn.withdrawn_at.is_(None))))


@dataclass
class SignOnSummary:
    member_count: int
    goal: int | None
    previous_count: int | None
    organization_count: int


def signon_summary(alert: Alert) -> SignOnSummary:
    counts = dict(db.session.execute(
        select(SignOn.kind, func.count())
        .where(SignOn.alert_id == alert.id, SignOn.status == APPROVED,
               SignOn.withdrawn_at.is_(None))
        .group_by(SignOn.kind)).all())
    return SignOnSummary(member_count=counts.get(MEMBER, 0), goal=alert.signon_goal,
                         previous_count=alert.previous_signon_count,
                         organization_count=counts.get(ORGANIZATION, 0))
