"""The Celery entry point: `celery -A worker worker` and `celery -A worker beat`."""

import logging

from celery.signals import celeryd_after_setup, worker_init

from campaign_app import create_app
from campaign_app.prefork import prepare_to_fork
from campaign_app.workers import mailing_timing_warning

from .schedule import BEAT_SCHEDULE

flask_app = create_app()
celery = flask_app.extensions["celery"]
celery.conf.beat_schedule = BEAT_SCHEDULE


@celeryd_after_setup.connect
def _check_settings(sender, instance, **kwargs):
    """Said in the worker's log at start-up, where whoever set the settings looks."""
    warning = mailing_timing_warning(flask_app.config)
    if warning:
        logging.getLogger("campaign_app.workers").warning(warning)


def _forks(worker) -> bool:
    """Whether the node forks children that run the app: prefork pool processes, or beat
    with --beat. A threads pool (and --beat-thread) runs everything in the node itself."""
    pool = worker.pool_cls if isinstance(worker.pool_cls, str) else worker.pool_cls.__module__
    return "prefork" in pool or bool(worker.options.get("beat"))


@worker_init.connect
def _before_the_pool_forks(sender, **kwargs):
    """In the node's main process, before it forks its pool processes (and beat, with
    --beat): what they all read, loaded once and shared (campaign_app/prefork.py). A node
    that forks nothing loads each of these when a task first needs it, and only those its
    tasks need (the bulk node of the embedded default, no lookup index nor staff pages)."""
    if _forks(sender):
        prepare_to_fork(flask_app)
