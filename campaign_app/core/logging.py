"""Logs: one JSON line per event in production (LOG_FORMAT=json), plain text for development.

Every line carries the request id of the request it serves: taken from a valid incoming
X-Request-ID (the load balancer's), else made here, sent back in the response, and handed to
the Celery tasks the request queues in a message header, so a request and the confirmation it
caused are found together. Each request ends with one line (method, route pattern, status,
duration, remote address as the proxy rule sees it) and each task with one (name, id,
duration, outcome, retries).

No supporter data goes into a log line (DESIGN.md, Security): operations log ids, never
emails, names, phones or addresses; routes are logged as patterns (`/u/<token>`), never as
paths; the database hides statement parameters in its errors (hide_parameters); errors
from elsewhere are scrubbed of the supporter's data before they are logged (core.scrub); and,
in case a message still quotes one, every line has its email addresses and phone numbers
masked.
"""

import contextvars
import logging
import re
import sys
import time
import uuid

from celery import signals
from flask import Flask, g, request
from pythonjsonlogger.json import JsonFormatter

from .scrub import mask_patterns

log = logging.getLogger("campaign_app.requests")
task_log = logging.getLogger("campaign_app.tasks")

#: The request (or the task, with its request's id) this thread is serving.
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None)
#: An incoming X-Request-ID is kept only if it looks like an id: no log injection.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
HEADER = "X-Request-ID"
#: The Celery message header that carries it.
TASK_HEADER = "alerta_request_id"
_HANDLER_NAME = "alerta"


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is logged (a test runner swaps it)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


class _MaskedJson(JsonFormatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_patterns(super().format(record))


class _MaskedText(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_patterns(super().format(record))


def make_formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return _MaskedJson("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                           rename_fields={"asctime": "time", "levelname": "level",
                                          "name": "logger"})
    return _MaskedText("%(asctime)s %(levelname)s [%(name)s] %(message)s")


def configure_logging(log_format: str, level: str = "INFO", stream=None) -> logging.Handler:
    """One handler on the root logger, in the format asked for; called again (a second app
    in the same process), it replaces its own handler and leaves others alone."""
    if log_format not in ("json", "text"):
        raise ValueError("LOG_FORMAT must be json or text")
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(make_formatter(log_format))
    handler.addFilter(_RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level)
    # Ours too, in case something reconfigures the root logger later (Alembic's env.py).
    logging.getLogger("campaign_app").setLevel(level)
    # A Python warning (Celery's, a library's) becomes a line of the log, in its format.
    logging.captureWarnings(log_format == "json")
    # Celery's own line per task repeats ours, with the task's return value; aiosmtpd (the
    # embedded mail catcher) logs every SMTP command, recipients' addresses included.
    for chatty in ("celery.app.trace", "mail.log"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    return handler


def init_request_logging(app: Flask) -> None:
    app.before_request(_start_request)
    app.after_request(_end_request)
    app.teardown_request(_forget_request)


def _start_request() -> None:
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
    g.request_token = request_id_var.set(g.request_id)
    g.request_started = time.perf_counter()


def _end_request(response):
    started = g.get("request_started")
    if started is None:
        return response
    response.headers[HEADER] = g.request_id
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    # The route's pattern: a path can hold a personal token (/u/<token>).
    route = request.url_rule.rule if request.url_rule is not None else "(no route)"
    log.info("%s %s %s %.1f ms", request.method, route, response.status_code, duration_ms,
             extra={"event": "request", "method": request.method, "route": route,
                    "status": response.status_code, "duration_ms": duration_ms,
                    "remote_addr": request.remote_addr})
    return response


def _forget_request(exc=None) -> None:
    token = g.pop("request_token", None)
    if token is not None:
        request_id_var.reset(token)


# --- Celery: the request id travels with the message; one line per task --------------------

@signals.before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers[TASK_HEADER] = request_id


@signals.task_prerun.connect
def _start_task(task_id=None, task=None, **kwargs):
    task.request.alerta_started = time.perf_counter()
    task.request.alerta_token = request_id_var.set(
        getattr(task.request, TASK_HEADER, None) or f"task-{task_id}")


@signals.task_postrun.connect
def _end_task(task_id=None, task=None, state=None, **kwargs):
    started = getattr(task.request, "alerta_started", None)
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    outcome = (state or "unknown").lower()
    retries = task.request.retries or 0
    task_log.info("task %s %s in %s ms (retries %d)", task.name, outcome, duration_ms, retries,
                  extra={"event": "task", "task": task.name, "task_id": task_id,
                         "duration_ms": duration_ms, "outcome": outcome, "retries": retries})
    token = getattr(task.request, "alerta_token", None)
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:  # set in another context (an eager task inside a request)
            request_id_var.set(None)


@signals.setup_logging.connect
def _keep_our_logging(loglevel=None, **kwargs):
    """A receiver here tells Celery not to configure logging itself: the app did (one
    handler, our format), and Celery's second handler would print each line twice."""
    if loglevel:
        logging.getLogger().setLevel(loglevel)
