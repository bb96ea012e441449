"""The alert page as a personal link (?t=…) shows it: rendered once per alert version,
language and link, with marks where the supporter's values go, then filled in per request.

A personal link is what the alert email carries, so most clicks land here, each from another
supporter. Rendering the template and its form is most of what such a GET costs, and all of
the page but a few values is the same for everyone. So the page is rendered once for a
stand-in whose values are marks, and each request puts its supporter's values in place of the
marks, escaped as the template escapes them.

No supporter's data is ever in a stored page: it is rendered for the stand-in only, and the
link's token, which the language links repeat, is marked like the CSRF token. A value the
appeal would have replaced by its fallback (an empty field) has no mark to fill: that request
renders its page in full.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request, session
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from ..alerts.live import version_read
from ..alerts.models import Alert
from ..alerts.translations import current_language
from ..core.stamped import StampedCache
from ..core.tokensession import current_token_session
from .forms import ActionForm
from .page_cache import CSRF_MARK, is_cacheable

#: The form fields a personal link fills in (the view's `ActionForm(data=…)`).
FORM_FIELDS = ("first_name", "last_name", "email", "zip_code")
#: Stands for the personal link's token in a stored page.
LINK_MARK = "\x00link\x00"
#: Pages one process keeps, one per alert, language and query (a link's query is part of
#: the page: the language links repeat it), the most recently served: any query can be
#: sent, and 256 pages of ~12 KB are 3 MB a process, whatever queries arrive.
MAX_PAGES = 256


def _form_mark(name: str) -> str:
    return f"\x00form:{name}\x00"


def _value_mark(key: str) -> str:
    return f"\x00value:{key}\x00"


@dataclass
class StoredPage:
    page: str
    #: The merge values whose marks are in the page: each must have a value to fill in.
    value_keys: frozenset[str]


def _pages() -> StampedCache:
    """The app's (one app per process in production; tests make several): (alert id,
    language, query) → StoredPage, under the alert's stamp."""
    return current_app.extensions.setdefault("personal_pages", StampedCache(MAX_PAGES))


def personal_page(alert: Alert, form: ActionForm, values: dict,
                  render: Callable[[ActionForm, dict], str]) -> str | None:
    """The page of a personal link's GET, filled in from its stored marked page (rendered
    with `render(form, values)` first if need be); None when this request must render its
    own (a value the page needs is empty, the page is not one to store)."""
    version = version_read(alert.slug)
    token = request.args.get("t", "")
    if not current_app.config["PAGE_STORE"] or version is None or version[0] != alert.id \
            or not is_cacheable(alert) or "_flashes" in session \
            or current_token_session() is not None:
        return None
    key = (alert.id, current_language(), tuple(sorted(
        (name, value) for name, value in request.args.items(multi=True) if name != "t")))
    stored = _pages().get(key, version[1])
    if stored is None:
        stored = _marked_page(form, values, token, render)
        if stored is None:
            return None
        _pages().put(key, version[1], stored)
    return _filled(stored, form, values, token)


def _marked_page(form: ActionForm, values: dict, token: str,
                 render: Callable[[ActionForm, dict], str]) -> StoredPage | None:
    marked_form = ActionForm(data={name: _form_mark(name) for name in FORM_FIELDS})
    page = render(marked_form, {key: _value_mark(key) for key in values})
    page = page.replace(generate_csrf(), CSRF_MARK)
    if token:
        page = page.replace(token, LINK_MARK)
    # Defence in depth: were anything of this supporter's to reach the page outside the
    # marks (a template reading the session, say), the page would be kept for no one.
    own = [token, *(str(form[name].data or "") for name in FORM_FIELDS)]
    if any(len(value) >= 3 and value in page for value in own):
        return None
    return StoredPage(page, frozenset(key for key in values if _value_mark(key) in page))


def _filled(stored: StoredPage, form: ActionForm, values: dict, token: str) -> str | None:
    page = stored.page
    for key in stored.value_keys:
        value = values.get(key)
        if value is None or value == "":  # the appeal would show its fallback
            return None
        page = page.replace(_value_mark(key), escape(str(value)))
    for name in FORM_FIELDS:
        page = page.replace(_form_mark(name), escape(form[name]._value()))
    return page.replace(LINK_MARK, token).replace(CSRF_MARK, generate_csrf())
