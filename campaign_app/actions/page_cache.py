"""The alert page as an anonymous browser sees it, rendered once per alert version and language
in each process, and answered again from memory.

Most clicks from an alert email land on the same page: no personal link, nothing submitted
yet. Rendering it is most of what a GET costs, so each process keeps the rendered page and
checks it with one light query (`page_version`): a stamp that changes whenever staff save
the alert, close it, edit a translation or the organization's merge defaults. A page saved
by one process is seen at once by every other, with no timer to wait out.

The page carries the browser's CSRF token (the form posts with it), so the stored page has a
mark in its place, filled per request; for the same reason it is `private` to a browser.
Pages whose content moves with every signature (a sign-on alert, a public count) are not
stored. The clock moves one value, [[Days_Left]]: a page rendered with another count than
today's is rendered again.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from flask import Response, current_app, make_response, request, session
from flask_wtf.csrf import generate_csrf

from ..alerts.live import alert_version, version_read
from ..alerts.models import Alert
from ..alerts.personalize import days_left
from ..alerts.translations import alert_languages, current_language
from ..core.stamped import StampedCache
from ..i18n.selector import PARAMETER, limit_languages
from ..supporters.proof import last_proven_id
from .visitor import SESSION_KEY

#: Stands for the browser's CSRF token in a stored page.
CSRF_MARK = "\x00csrf\x00"
#: Alerts whose pages one process keeps (the most recently served).
MAX_ALERTS = 64


@dataclass
class CachedAlert:
    languages: tuple[str, ...]
    deadline_at: datetime | None
    #: language → (the days left it was rendered with, the page with CSRF_MARK)
    pages: dict[str, tuple[str | None, str]] = field(default_factory=dict)

    def days_left(self) -> str | None:
        return days_left(self.deadline_at) if self.deadline_at is not None else None


def _cache() -> StampedCache:
    """The app's cache (one app per process in production; tests make several)."""
    return current_app.extensions.setdefault("alert_pages", StampedCache(MAX_ALERTS))


def _may_be_anonymous() -> bool:
    """What `is_anonymous_view` can tell before the alert is known."""
    return (request.method == "GET" and set(request.args) <= {PARAMETER}
            and "_flashes" not in session and last_proven_id() is None)


def is_anonymous_view(alert_id: int) -> bool:
    """The request sees the page everyone sees: a plain GET (a `?lang=` switch at most), no
    personal link, nothing submitted or proven in this browser, no message to flash."""
    return _may_be_anonymous() and str(alert_id) not in session.get(SESSION_KEY, {})


def etag(stamp: str, language: str, days: str | None) -> str:
    return hashlib.sha256(f"{stamp}|{language}|{days}".encode()).hexdigest()[:20]


def _answer(page: str, tag: str) -> Response:
    response = make_response(page.replace(CSRF_MARK, generate_csrf()))
    response.set_etag(tag)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Cookie", "Accept-Language"))
    return response.make_conditional(request)


def cached_page(slug: str) -> Response | None:
    """The stored anonymous page for this request, or None (render it, then `keep_page`)."""
    if not current_app.config["PAGE_STORE"] or not _may_be_anonymous():
        return None  # a personal link: no stamp to read
    # Read before any rendering: a page stored under it is never newer than its stamp.
    version = alert_version(slug, outside_transaction=True)
    if version is None or not is_anonymous_view(version[0]):
        return None
    cached = _cache().get(*version)
    if cached is None:
        return None
    limit_languages(cached.languages)
    language = current_language()
    days, page = cached.pages.get(language, (None, None))
    if page is None or days != cached.days_left():
        return None
    return _answer(page, etag(version[1], language, days))


def is_cacheable(alert: Alert) -> bool:
    """Its page holds nothing that changes without a new stamp (signatures do not make one)."""
    return "signon" not in alert.channels and not alert.is_signon_count_public


def keep_page(alert: Alert, page: str, days: str | None) -> Response:
    """Store the anonymous page just rendered (CSRF token marked) and answer it; `days`: the
    [[Days_Left]] it was rendered with."""
    version = version_read(alert.slug)
    language = current_language()
    if version is None or version[0] != alert.id or not current_app.config["PAGE_STORE"]:
        return make_response(page)
    stored = page.replace(generate_csrf(), CSRF_MARK)
    languages = alert_languages(alert)
    cached = _cache().get_or_put(alert.id, version[1],
                                 lambda: CachedAlert(languages, alert.deadline_at))
    cached.pages[language] = (days, stored)
    return _answer(stored, etag(version[1], language, days))
