"""Whether this worker process was asked to stop, so a long task ends early and cleanly.

A mailing batch runs for MAILING_BATCH_SIZE / MAIL_RATE_LIMIT seconds; a warm shutdown
(SIGTERM) waits for it, and a process manager kills what is still running after its grace
period (Heroku's 30 s, flask worker's 25 s). Then the batch's unsent recipients stay claimed
until MAILING_CLAIM_TIMEOUT. Checking this between messages lets the batch hand them back and
queue the rest for the next worker at once.

Where the task runs decides who hears the signal. The solo and thread pools run it in the
worker's main process, where Celery's own SIGTERM handler sets its shutdown flags. A prefork
pool process (`flask worker`'s default) resets SIGTERM to its default, dying at once with its
claims held; so here it catches SIGTERM while a task runs (the task sees it and ends cleanly)
and keeps the default when idle. A process manager signals the whole process group (systemd,
Heroku, honcho); a container's init signals only the main process, which therefore passes
its warm shutdown on to its pool processes.
"""

import contextlib
import os
import signal

from billiard.process import active_children
from celery import signals
from celery.worker import state

#: Set in a pool process by SIGTERM while it runs a task.
_signalled = False
#: A pool process is running a task (SIGTERM then only asks it to stop).
_busy = False


def stop_requested() -> bool:
    # Celery's warm- and cold-shutdown flags hold an exit code, 0 included, and are None
    # until the main process is told to stop.
    return _signalled or state.should_stop is not None or state.should_terminate is not None


def _on_sigterm(signum, frame) -> None:
    global _signalled
    if not _busy:  # nothing to hand back: stop as a pool process always did
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    _signalled = True


@signals.worker_process_init.connect
def _hear_sigterm_in_pool_process(**kwargs) -> None:
    signal.signal(signal.SIGTERM, _on_sigterm)


@signals.task_prerun.connect
def _task_starts(**kwargs) -> None:
    global _busy
    _busy = True


@signals.task_postrun.connect
def _task_ends(**kwargs) -> None:
    global _busy
    _busy = False


@signals.worker_shutting_down.connect
def _pass_shutdown_to_pool_processes(how=None, **kwargs) -> None:
    """In the main process: a warm shutdown reaches the running tasks of its pool processes
    (a cold one terminates them anyway)."""
    if how != "Warm":
        return
    for child in active_children():
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.kill(child.pid, signal.SIGTERM)
