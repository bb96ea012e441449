"""The Celery entry point: `celery -A worker worker` and `celery -A worker beat`."""

import logging

from celery.signals import celeryd_after_setup, worker_init
from sqlalchemy.exc import SQLAlchemyError

from campaign_app import create_app
from campaign_app.congress.index import warm_index
from campaign_app.core.prefork import freeze_heap
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


@worker_init.connect
def _before_the_pool_forks(sender, **kwargs):
    """In the node's main process, before it forks its pool processes: the lookup index loaded
    once for them all, and the heap frozen so that they keep sharing its pages (as gunicorn's
    master does, gunicorn.conf.py). A database not reachable yet only means each process
    loads the index when it first needs it."""
    try:
        warm_index(flask_app)
    except SQLAlchemyError as error:
        logging.getLogger("campaign_app.workers").warning(
            "lookup index not loaded before the fork: %s", error.__class__.__name__)
    freeze_heap()
