"""gunicorn's own settings, read from the working directory: with LOG_FORMAT=json its own
lines (starting, booting a worker, a worker timing out) are JSON too, like the app's."""

import gc
import os

# The master collects no garbage: a collection while it loads the app (--preload) would leave
# freed holes in pages the workers share, and their new objects would fill them and copy the
# pages. Each worker turns collection back on (post_fork); the master makes little garbage.
gc.disable()

_format = os.environ.get("LOG_FORMAT", "").strip().lower() or (
    "json" if os.environ.get("ALERTA_ENV", "").lower() == "production" else "text")

if _format == "json":
    _handler = {"class": "logging.StreamHandler", "formatter": "json",
                "stream": "ext://sys.stderr"}
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "campaign_app.core.logging.make_formatter",
                                "log_format": "json"}},
        "handlers": {"console": _handler, "error_console": _handler},
        "root": {"level": "INFO", "handlers": []},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"],
                               "propagate": False, "qualname": "gunicorn.error"},
            # Off: the app logs each request by its route (core/logging); gunicorn's line
            # has the path and query, where personal tokens travel (/u/…, ?t=…).
            "gunicorn.access": {"level": "CRITICAL", "handlers": [],
                                "propagate": False, "qualname": "gunicorn.access"},
        },
    }


def when_ready(server):
    """With --preload the app is loaded here, in the master, before the workers are forked:
    load what each would otherwise load for itself (the lookup index, the templates, the
    catalogs) and freeze the heap, so the workers share those pages (campaign_app/prefork.py).
    The connection used is dropped in each worker after the fork (core/db.py)."""
    if server.cfg.preload_app:
        from campaign_app.prefork import prepare_to_fork

        prepare_to_fork(server.app.wsgi(), pages=True)


def post_fork(server, worker):
    gc.enable()
