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

import gc
import logging

from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


def prepare_to_fork(app) -> None:
    """Load the per-process caches in this process, then exempt everything alive from later
    collections (here and in the children forked from here)."""
    from flask_babel import force_locale, get_translations
    from sqlalchemy.orm import configure_mappers

    from .congress.index import warm_index
    from .i18n.staff import _staff

    configure_mappers()
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    with app.test_request_context():
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                get_translations()
                _staff.get_translations()
    try:
        warm_index(app)
    except SQLAlchemyError as error:  # each child loads it when it first needs it
        log.warning("lookup index not loaded before the fork: %s", error.__class__.__name__)
    freeze_heap()


def freeze_heap() -> None:
    gc.collect()
    gc.freeze()
