"""Whether this worker process was asked to stop, so a long task ends early and cleanly.

A mailing batch runs for MAILING_BATCH_SIZE / MAIL_RATE_LIMIT seconds; a warm shutdown
(SIGTERM) waits for it, and a process manager kills what is still running after its grace
period (Heroku's 30 s, flask worker's 25 s). Then the batch's unsent recipients stay claimed
until MAILING_CLAIM_TIMEOUT. Checking this between messages lets the batch hand them back and
queue the rest for the next worker at once.

Where the task runs decides who hears the signal. The solo and thread pools run it in the
worker's main process, where Celery's own SIGTERM handler sets its shutdown flags. A prefork
pool process (`flask worker`'s default) exits on SIGTERM (billiard's handler), its claims held;
so while it runs a task it catches SIGTERM instead (the task sees it and ends cleanly), and
billiard's handler is back between tasks. A process manager signals the whole process group
(systemd, Heroku, honcho); a container's init signals only the main process, which therefore
passes its warm shutdown on to its pool processes.
"""

import contextlib
import os
import signal
import threading

from billiard.process import active_children, current_process
from celery import signals
from celery.worker import state

#: Set in a pool process by SIGTERM while it runs a task.
_signalled = False
#: The pool process's own SIGTERM handler, put back when its task ends.
_previous_handler = None


def stop_requested() -> bool:
    # Celery's warm- and cold-shutdown flags hold an exit code, 0 included, and are None
    # until the main process is told to stop.
    return _signalled or state.should_stop is not None or state.should_terminate is not None


def _on_sigterm(signum, frame) -> None:
    global _signalled
    _signalled = True


@signals.task_prerun.connect
def _task_starts(**kwargs) -> None:
    """In a pool process (not the main one, whose handler is Celery's, nor a thread):
    SIGTERM asks the task to stop. Installed here, not at the process's start, because
    billiard sets its own handlers after Celery's initializer."""
    global _previous_handler
    # A signal seen during an earlier task still counts: the process is stopping, and a
    # task the main process handed it meanwhile should not start a long batch.
    if current_process().name != "MainProcess" \
            and threading.current_thread() is threading.main_thread():
        _previous_handler = signal.signal(signal.SIGTERM, _on_sigterm)


@signals.task_postrun.connect
def _task_ends(**kwargs) -> None:
    global _previous_handler
    if _previous_handler is not None:
        signal.signal(signal.SIGTERM, _previous_handler)
        _previous_handler = None


@signals.worker_shutting_down.connect
def _pass_shutdown_to_pool_processes(how=None, **kwargs) -> None:
    """In the main process: a warm shutdown reaches the running tasks of its pool processes
    (a cold one terminates them anyway). Only those running a task: an idle one would exit
    under the pool's feet, and the pool's close would wait for it."""
    if how != "Warm":
        return
    children = {child.pid for child in active_children()}
    for pid in {request.worker_pid for request in list(state.active_requests)} & children:
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.kill(pid, signal.SIGTERM)
