"""Whether this worker process was asked to stop, so a long task ends early and cleanly.

A mailing batch runs for MAILING_BATCH_SIZE / MAIL_RATE_LIMIT seconds; a warm shutdown
(SIGTERM) waits for it, and a process manager kills what is still running after its grace
period (Heroku's 30 s, flask worker's 25 s). Then the batch's unsent recipients stay claimed
until MAILING_CLAIM_TIMEOUT. Checking this between messages lets the batch hand them back and
queue the rest for the next worker at once.
"""

import signal

from celery import signals
from celery.worker import state

_sigterm_received = False


def stop_requested() -> bool:
    # Celery's own flags are set in the worker's main process (where the solo and thread
    # pools run tasks); they hold an exit code, 0 included, and are None until then.
    return (_sigterm_received or state.should_stop is not None
            or state.should_terminate is not None)


def _note_sigterm(signum, frame) -> None:
    global _sigterm_received
    _sigterm_received = True


@signals.worker_process_init.connect
def _pool_process_notes_sigterm(**kwargs):
    """A prefork pool process dies on SIGTERM by default, mid-message: when the process
    manager signals the whole group, let it note the request and finish the message instead
    (the main process's warm shutdown then waits for it)."""
    signal.signal(signal.SIGTERM, _note_sigterm)
