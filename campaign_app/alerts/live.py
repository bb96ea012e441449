"""The alert as its public pages read it: kept in each process, checked by its version stamp.

Every supporter request (the page, the form, each call report, each email) reads the alert
with its translations and the organization's merge defaults, the widest rows it reads. Each
process keeps them per alert and checks one light query (`page_version`) instead: a stamp
that changes whenever staff save, close or translate the alert or edit the defaults, so a
change made in one process is seen by the next request in every other, with no timer.

The kept alert is a copy detached from every session and never handed out: each request
gets its own, merged into its session without a query, which it may read, lazy-load and
expire as any loaded row.
"""

from dataclasses import dataclass

from flask import current_app, g, request
from sqlalchemy.orm import Session

from ..core.db import db
from ..core.stamped import StampedCache
from .models import Alert
from .queries import get_alert_by_slug, merge_defaults_by_language, page_version

#: Alerts one process keeps (the most recently read).
MAX_ALERTS = 64


@dataclass(frozen=True)
class KeptAlert:
    alert: Alert  # detached, loaded with its translations
    defaults: dict[str, dict[str, str]]  # language → field → default (merge_defaults)


def _kept() -> StampedCache:
    """The app's (one app per process in production; tests make several)."""
    return current_app.extensions.setdefault("live_alerts", StampedCache(MAX_ALERTS))


#: Where a request keeps the stamps it read (its WSGI environ: `g` can outlive a request,
#: as in tests that hold an app context across several).
VERSIONS = "alerta.alert_versions"


def alert_version(slug: str, *, outside_transaction: bool = False) -> tuple[int, str] | None:
    """(alert id, stamp), read once per request (the page cache reads it first, outside the
    session's transaction, as a page answered from memory needs nothing else)."""
    versions = request.environ.setdefault(VERSIONS, {})
    if slug not in versions:
        version = page_version(slug, outside_transaction=outside_transaction)
        if version is None and outside_transaction:
            # Not committed yet, or not at all: the session says which (it may hold rows of
            # its own transaction that no other connection sees).
            version = page_version(slug)
        versions[slug] = version
    return versions[slug]


def version_read(slug: str) -> tuple[int, str] | None:
    """The stamp this request read for `slug`, if it read one."""
    return request.environ.get(VERSIONS, {}).get(slug)


def read_alert(slug: str) -> Alert | None:
    """The alert at `slug` in this request's session, with its translations and the merge
    defaults of every offered language in place (`merge_defaults`), from this process's copy
    when its stamp holds."""
    version = alert_version(slug)
    if version is None:
        return None
    kept = _kept().get(*version)
    if kept is None:
        # Read after the stamp: a copy is never older than the stamp it is kept under.
        alert = get_alert_by_slug(slug)
        if alert is None or alert.id != version[0]:  # the slug moved in between: don't keep
            return alert
        _kept().put(alert.id, version[1], KeptAlert(_detached_copy(alert),
                                                    _copied(merge_defaults_by_language())))
        return alert
    g.merge_defaults = _copied(kept.defaults)
    return db.session.merge(kept.alert, load=False)


def _copied(defaults: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {language: dict(by_field) for language, by_field in defaults.items()}


def _detached_copy(alert: Alert) -> Alert:
    """A copy of the loaded alert and its translations that belongs to no session, so that no
    commit expires it; made without a query (merged into a session that is then let go)."""
    scratch = Session()
    try:
        copy = scratch.merge(alert, load=False)
        scratch.expunge_all()
    finally:
        scratch.close()
    return copy
