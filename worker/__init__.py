"""The Celery entry point: `celery -A worker worker` and `celery -A worker beat`."""

import logging

from celery.signals import celeryd_after_setup

from campaign_app import create_app
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
