"""Whether this worker process was asked to stop, so a long task ends early and cleanly.

A mailing batch runs for MAILING_BATCH_SIZE / MAIL_RATE_LIMIT seconds; a warm shutdown
(SIGTERM) waits for it, and a process manager kills what is still running after its grace
period (Heroku's 30 s, flask worker's 25 s). Then the batch's unsent recipients stay claimed
until MAILING_CLAIM_TIMEOUT. Checking this between messages lets the batch hand them back and
queue the rest for the next worker at once.
"""

from celery.worker import state


def stop_requested() -> bool:
    # Celery's warm- and cold-shutdown flags, set by its SIGTERM / SIGQUIT handler in the
    # worker's main process, where the solo and thread pools run tasks; they hold an exit
    # code, 0 included, and are None until then. A prefork pool process never sees them
    # (see README, "Broker outages and stopping").
    return state.should_stop is not None or state.should_terminate is not None
