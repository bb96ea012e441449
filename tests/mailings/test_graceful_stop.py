"""Graceful stop (issue 19 item 8): SIGTERM to the worker in the middle of a mailing batch,
then a restart: every recipient gets the message exactly once, and nothing waits for a claim
to expire (MAILING_CLAIM_TIMEOUT is ten minutes here), because the batch hands its unsent
recipients back and queues the rest before the worker exits. Under the solo pool (the task
runs in the main process) and the prefork pool (`flask worker`'s), whether the signal reaches
the main process only (a container's init) or every process of the group (systemd, Heroku)."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.mailings.test_mailing_worker import _start_mailing, _statuses, _wait_until_sent
from tests.services import WorkerProcess

pytestmark = pytest.mark.e2e

#: A batch of 500 at 50 messages a second takes 10 s: SIGTERM comes 2 s into it.
WORKER_ENV = {"MAIL_RATE_LIMIT": "50", "MAILING_BATCH_SIZE": "500",
              "MAILING_CLAIM_TIMEOUT": "600", "MAILING_RETRY_SECONDS": "1"}


@pytest.fixture
def worker_config(app):
    keys = ("MAIL_RATE_LIMIT", "MAILING_BATCH_SIZE", "MAILING_CLAIM_TIMEOUT",
            "MAILING_RETRY_SECONDS")
    saved = {key: app.config[key] for key in keys}
    app.config.update({key: float(value) if key == "MAIL_RATE_LIMIT" else int(value)
                       for key, value in WORKER_ENV.items()})
    yield
    app.config.update(saved)


PREFORK = [sys.executable, "-m", "celery", "-A", "worker", "worker", "--loglevel", "INFO",
           "--pool", "prefork", "--concurrency", "2", "--without-heartbeat", "--without-gossip",
           "--without-mingle"]


def _pool_processes(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return [int(child) for child in children.read().split()]


@pytest.mark.parametrize(("command", "whole_group"), [
    (None, False), (PREFORK, False), (PREFORK, True)], ids=["solo", "prefork", "prefork-group"])
def test_sigterm_mid_batch_then_restart_mails_everyone_exactly_once(app, committed_data,
                                                                    worker_config, smtp,
                                                                    command, whole_group):
    mailing_id = _start_mailing(app, 1000)
    worker = WorkerProcess(WORKER_ENV, command=command).start()
    try:
        smtp.wait_for(100, timeout=60)
        pool = _pool_processes(worker.process.pid) if whole_group else []
        assert pool or not whole_group
        signalled = time.monotonic()
        for pid in [worker.process.pid, *pool]:
            os.kill(pid, signal.SIGTERM)
        try:
            exit_code = worker.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            exit_code = None
        stop_seconds = time.monotonic() - signalled
    finally:
        worker.stop()
    stopped_at = len(smtp.messages)
    output = "".join(worker.output[-30:])
    assert exit_code == 0, output  # a warm shutdown, not a crash
    assert stopped_at < 500, "the batch ended before the signal"
    # Well within the grace a process manager gives (25 s) on this loaded test machine; the
    # batch alone would run 10 s more (and stopped_at would reach 1,000).
    assert stop_seconds < 15, f"the worker took {stop_seconds:.1f} s to stop\n{output}"
    # Nothing is left claimed by the stopped worker: the next one can take everything.
    assert "sending" not in _statuses(app, mailing_id)

    # The restarted worker sends the rest at full speed: only which messages go out matters now.
    worker = WorkerProcess({**WORKER_ENV, "MAIL_RATE_LIMIT": "0"}).start()
    try:
        _wait_until_sent(app, mailing_id, 1000, timeout=90)
    finally:
        worker.stop()
    recipients = [to for tos, _ in smtp.messages for to in tos]
    assert len(recipients) == len(set(recipients)) == 1000, \
        f"{len(recipients) - len(set(recipients))} sent twice (stopped after {stopped_at})"
    assert _statuses(app, mailing_id) == {"sent": 1000}
