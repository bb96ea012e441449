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


@worker_init.connect
def _before_the_pool_forks(sender, **kwargs):
    """In the node's main process, before it forks its pool processes (and beat, with
    --beat): what they all read, loaded once and shared (campaign_app/prefork.py)."""
    prepare_to_fork(flask_app)
