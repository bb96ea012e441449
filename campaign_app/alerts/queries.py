"""Reads of alerts, and of the sign-ons on their letters that pages below signons/ show."""

from dataclasses import dataclass

from flask import g
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..core.db import db
from ..text.merge import FIELD_FORMS
from .models import Alert, AlertRevision, AlertTranslation, MergeFieldDefault
from .signons import APPROVED, MEMBER, ORGANIZATION, SignOn


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
    revisions = select(func.max(AlertRevision.id)).where(
        AlertRevision.alert_id == Alert.id).scalar_subquery()
    languages = select(func.count()).select_from(AlertTranslation).where(
        AlertTranslation.alert_id == Alert.id).scalar_subquery()
    defaults = select(func.max(MergeFieldDefault.updated_at)).scalar_subquery()
    statement = select(Alert.id, Alert.updated_at, revisions, languages, defaults).where(
        Alert.slug == slug)
    if outside_transaction and db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            row = connection.execute(statement).first()
    else:
        row = db.session.execute(statement).first()
    if row is None:
        return None
    return row[0], ":".join(str(part) for part in row[1:])


def list_alerts() -> list[Alert]:
    return list(db.session.scalars(select(Alert).order_by(Alert.created_at.desc())))


def merge_defaults() -> dict[str, str]:
    """Field key → the organization's default (empty ones left out), a field's forms sharing
    its default. Read once per request or task (kept in `g`; `set_merge_defaults` forgets
    it), as a page renders many texts."""
    if "merge_defaults" not in g:
        defaults = {row.field: row.fallback
                    for row in db.session.scalars(select(MergeFieldDefault)) if row.fallback}
        defaults.update({form: defaults[field] for form, field in FIELD_FORMS.items()
                         if field in defaults})
        g.merge_defaults = defaults
    return g.merge_defaults


def merge_default_rows() -> dict[str, MergeFieldDefault]:
    """Every stored default by field key, empty ones included (for the staff page)."""
    return {row.field: row for row in db.session.scalars(select(MergeFieldDefault))}


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
