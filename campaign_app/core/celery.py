"""Celery made from the Flask app, so that every task runs inside an app context; its queues."""

import functools

import click
from celery import Celery, Task, bootsteps
from celery.worker.consumer import Consumer
from flask import Flask
from kombu import Exchange, Queue

#: Work a person waits for, or that keeps the system healthy: confirmations, emails to
#: Congress, the outbox sweep, mailing housekeeping (reminders due, lost claims), dashboard
#: snapshots. Every task goes here unless it says otherwise.
TRANSACTIONAL = "transactional"
#: Mailing batches: minutes of sending at MAIL_RATE_LIMIT. They get worker processes of their
#: own (see campaign_app/workers.py), so a supporter's mail never waits behind a blast.
BULK = "bulk"
#: In this order a worker started without -Q consumes them.
QUEUES = (TRANSACTIONAL, BULK)
#: Tasks that don't go to the transactional queue (tests/core/test_queues.py lists them all).
ROUTES = {"campaign_app.mailings.tasks.send_mailing_batch": {"queue": BULK}}


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.conf.task_default_queue = TRANSACTIONAL
    celery_app.conf.task_queues = [Queue(name, Exchange(name), routing_key=name)
                                   for name in QUEUES]
    celery_app.conf.task_routes = ROUTES
    celery_app.steps["worker"].add(BeatThread)
    celery_app.user_options["worker"].add(click.Option(
        ["--beat-thread"], is_flag=True, default=False,
        help="Run beat in a thread of this node (instead of --beat's process of its own)."))
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


class PromptReconnectConsumer(Consumer):
    """A worker's consumer that tries to reach a lost broker every 2 s at most.

    Celery's own waits 2, 4, 6 … up to 30 s between attempts: after a one-minute outage the
    worker came back up to 16 s after the broker, after a longer one up to 30 s, before any
    delivery could go out. The number of attempts stays broker_connection_max_retries; past
    it the worker exits, for the process manager to start it again."""

    def ensure_connected(self, conn):
        conn.ensure_connection = functools.partial(
            conn.ensure_connection, interval_start=0.5, interval_step=0.5, interval_max=2)
        return super().ensure_connected(conn)


class BeatThread(bootsteps.StartStopStep):
    """`celery worker --beat-thread`: beat runs in a thread of the worker node.

    Celery's own `--beat` forks beat off the node: a second process holding the whole app
    (79 MB PSS in the embedded default, issue 20) to publish a few tasks a minute. As a
    thread it shares the node's memory; it stops with the node, and its schedule file is
    --schedule's, as with --beat. Exactly one node may be started with it."""

    label = "Beat thread"
    conditional = True

    def __init__(self, w, beat_thread=False, **kwargs):
        self.enabled = bool(beat_thread)
        super().__init__(w, **kwargs)

    def create(self, w):
        from celery.beat import EmbeddedService

        return EmbeddedService(w.app, thread=True, schedule_filename=w.schedule_filename,
                               scheduler_cls=w.scheduler)
