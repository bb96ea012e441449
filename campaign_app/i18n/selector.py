"""Which language a supporter's page is in.

In order: the link (`?lang=es`, or `/es/…`, which redirects to `?lang=es`), the switch (a
link too: the choice is remembered in the session, so it sticks on the next page), the
supporter's stored preference (when the page knows who they are), the browser's
Accept-Language, the organization's default. A page of an alert offers only the alert's
languages; staff pages stay in the source language.
"""

from urllib.parse import urlencode

from flask import g, has_request_context, redirect, request, session, url_for
from flask_babel import get_locale, refresh
from werkzeug.exceptions import NotFound

from .languages import SOURCE_LANGUAGE, default_language, offered_languages

#: The session remembers the language the supporter chose by a link or the switch.
SESSION_KEY = "language"
#: The query parameter of a link or the switch.
PARAMETER = "lang"
#: Blueprints whose pages supporters read (None: no blueprint, e.g. a 404).
SUPPORTER_BLUEPRINTS = frozenset({"actions", "supporters", "public_signons", "frontdoor",
                                  "telephony", None})


def is_supporter_page() -> bool:
    return request.blueprint in SUPPORTER_BLUEPRINTS


def page_languages() -> tuple[str, ...]:
    """The languages this page can be read in: the alert's, when the page is an alert's."""
    limited = g.get("page_languages")
    offered = offered_languages()
    return tuple(language for language in offered if limited is None or language in limited) \
        or offered


def limit_languages(languages) -> None:
    """Called by a page that exists in only some languages (an alert's texts)."""
    g.page_languages = tuple(languages)
    refresh()  # chosen again, within these languages


def prefer_language(language: str | None) -> None:
    """The stored preference of the supporter the page knows (third in the order)."""
    g.stored_language = language
    refresh()


def select_language() -> str:
    """Flask-Babel's locale selector."""
    if not has_request_context():  # a task: its emails force the recipient's language
        return default_language()
    if not is_supporter_page():
        return SOURCE_LANGUAGE
    languages = page_languages()
    for candidate in (request.args.get(PARAMETER), session.get(SESSION_KEY),
                      g.get("stored_language")):
        if candidate in languages:
            return candidate
    best = request.accept_languages.best_match(languages)
    if best:
        return best
    return default_language() if default_language() in languages else languages[0]


def start_request() -> None:
    """before_request: nothing chosen yet (an app context may outlive one request, as in
    tests); a link's `?lang=` sticks for the next pages (the switch is such a link)."""
    g.pop("page_languages", None)
    g.pop("stored_language", None)
    refresh()
    language = request.args.get(PARAMETER)
    if language in offered_languages() and session.get(SESSION_KEY) != language:
        session[SESSION_KEY] = language


def switch_links() -> list[dict]:
    """The page in each other language it can be read in: a plain link (no script needed)."""
    if not is_supporter_page() or request.url_rule is None \
            or "GET" not in (request.url_rule.methods or ()):
        return []
    current = str(get_locale())
    args = {key: value for key, value in request.args.items() if key != PARAMETER}
    links = []
    for language in page_languages():
        if language != current:
            args[PARAMETER] = language
            links.append({"language": language,
                          "url": url_for(request.endpoint, **(request.view_args or {}),
                                         **args)})
    return links


def language_prefix(language: str, path: str):
    """`/es/a/<slug>`: the page at `/a/<slug>` in Spanish (the choice sticks, as a link's)."""
    if language not in offered_languages():
        raise NotFound()
    session[SESSION_KEY] = language
    # Never "//host": a path that starts with slashes would leave the site.
    target = "/" + path.lstrip("/\\")
    args = {key: value for key, value in request.args.items() if key != PARAMETER}
    query = urlencode({**args, PARAMETER: language})
    return redirect(f"{target}?{query}")
