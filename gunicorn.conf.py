"""gunicorn's own settings, read from the working directory: with LOG_FORMAT=json its own
lines (starting, booting a worker, a worker timing out) are JSON too, like the app's."""

import os

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
    """With --preload the app is loaded here, in the master: load the lookup index too, so the
    workers share its pages and no supporter waits for a worker to build it. The connection
    it used is dropped in each worker after the fork (core/db.py). Then freeze the heap, so
    the workers' garbage collections do not copy the pages they share (core/prefork.py)."""
    if server.cfg.preload_app:
        from campaign_app.congress.index import warm_index
        from campaign_app.core.prefork import freeze_heap

        warm_index(server.app.wsgi())
        freeze_heap()
