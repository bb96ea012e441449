"""What a parent process does just before it forks children that run the same app (gunicorn's
master under --preload, gunicorn.conf.py; a Celery node before its pool processes or its
embedded beat, worker/__init__.py).

A forked child shares its parent's memory pages until it writes to one. So the parent loads
now what every child would otherwise load for itself on first use: the lookup index, the
compiled templates, the ORM's mapper configuration, the catalogs of each language. Then it
freezes its heap: CPython's cyclic garbage collector writes into every object it tracks each
time it walks the oldest generation, so without `gc.freeze()` each child copies most of the
parent's heap within minutes. (Issue 20: four web workers took 138 MB each, 662 MB in all.)
"""

import ctypes
import gc
import logging

from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


def prepare_to_fork(app, *, pages: bool = False) -> None:
    """Load the per-process caches in this process, then exempt everything alive from later
    collections (here and in the children forked from here). With `pages`, in a web server's
    master, serve the supporter pages a few times first (_warm_pages)."""
    from flask_babel import force_locale, get_translations
    from sqlalchemy.orm import configure_mappers

    from .congress.index import warm_index
    from .i18n.staff import _staff

    configure_mappers()
    _import_what_requests_import(app)
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    with app.test_request_context():
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                get_translations()
                _staff.get_translations()
    try:
        warm_index(app)
        if pages:
            _warm_pages(app)
    except SQLAlchemyError as error:  # a database not ready yet: each child loads its own
        log.warning("lookup index or pages not loaded before the fork: %s",
                    error.__class__.__name__)
    freeze_heap()


def _import_what_requests_import(app) -> None:
    """The modules a child would import on its first form post (publishing a task, checking
    an email address): imported in each child, their code and data were each child's own
    (~1,000 objects; issue 20). Nothing connects here: the broker's transport is only
    chosen."""
    import email_validator  # noqa: F401 (imported by WTForms' Email on first use)
    from celery.events import dispatcher  # noqa: F401

    celery = app.extensions["celery"]
    celery.loader  # noqa: B018 (each is made and imported on first use)
    celery.amqp.router  # noqa: B018
    celery.backend  # noqa: B018
    celery.events  # noqa: B018
    with celery.connection_for_write() as connection:
        connection.transport  # noqa: B018


#: Times each page is served here: CPython 3.11 rewrites a function's bytecode in place as it
#: specializes it over its first runs, and each child doing so copies the pages of all the
#: code a request runs.
WARM_RUNS = 10


def _warm_pages(app) -> None:
    """Serve the pages every supporter reads (GETs only: nothing is written) a few times,
    so the children inherit the code specialized and the first-use caches filled: the
    anonymous page of each live alert in each language, the front door, the login page."""
    from .core.db import db
    from .frontdoor.queries import live_alerts

    with app.app_context():
        slugs = [alert.slug for alert in live_alerts()[:3]]
        db.session.remove()
    # The default language's page is /a/<slug> (its /<language>/ address redirects there).
    paths = ["/", "/healthz", "/login"] + [
        f"/{language}/a/{slug}" for slug in slugs for language in app.config["LANGUAGES"]]
    client = app.test_client()
    requests_log = logging.getLogger("campaign_app.requests")
    level = requests_log.level
    requests_log.setLevel(logging.WARNING)  # not served to anyone: not in the access log
    try:
        for _ in range(WARM_RUNS):
            for path in paths:
                client.get(path, follow_redirects=True)
    finally:
        requests_log.setLevel(level)


def freeze_heap() -> None:
    """No collection first: it would free objects all over the parent's pages, and the
    children's new objects would then fill those holes, copying the pages.

    The C heap's free pages are given back to the system (glibc's malloc_trim): what loading
    freed stayed resident, ~8 MB that every child inherited and none reads."""
    gc.freeze()
    _trim_c_heap()


def _trim_c_heap() -> None:
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        return
    trim(0)
