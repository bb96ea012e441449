"""Mail that matters never waits behind bulk mail: two queues, a worker node for each
(issue 12, item 18)."""

import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.operations import create_alert
from campaign_app.core.celery import BULK, QUEUES, TRANSACTIONAL
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.delivery.operations import enqueue_delivery
from campaign_app.delivery.tasks import queue_deliveries
from campaign_app.embedded import embedded_commands
from campaign_app.mailings import operations
from campaign_app.mailings.models import MailingRecipient
from campaign_app.mailings.tasks import queue_mailing
from campaign_app.supporters.models import Supporter
from campaign_app.workers import mailing_timing_warning, worker_node_commands
from tests.services import REPO, WorkerProcess
from worker.schedule import BEAT_SCHEDULE

#: Where each task must go. A new task fails the test until it is listed here.
INTENDED = {
    "campaign_app.delivery.tasks.send_delivery": TRANSACTIONAL,
    "campaign_app.delivery.tasks.sweep_outbox": TRANSACTIONAL,
    "campaign_app.telephony.tasks.place_call": TRANSACTIONAL,
    "campaign_app.mailings.tasks.mailing_housekeeping": TRANSACTIONAL,
    "campaign_app.dashboard.tasks.refresh_dashboards": TRANSACTIONAL,
    "campaign_app.health.tasks.beat_heartbeat": TRANSACTIONAL,
    "campaign_app.webhooks.tasks.send_webhooks": TRANSACTIONAL,
    "campaign_app.webhooks.tasks.sweep_webhooks": TRANSACTIONAL,
    "campaign_app.privacy.tasks.purge_retained_data": TRANSACTIONAL,
    "campaign_app.mailings.tasks.send_mailing_batch": BULK,
}


def _queue_of(celery, name: str) -> str:
    """The queue a `.delay()` of the task is published to, as apply_async routes it."""
    task = celery.tasks[name]
    route = celery.amqp.router.route(task._get_exec_options(), name, (), {}, task)
    return route["queue"].name


def test_every_task_is_routed_to_its_queue(app):
    """Issue 12, item 18: confirmations, CWC and housekeeping are transactional; mailing
    batches bulk; a worker started without -Q consumes transactional first."""
    celery = app.extensions["celery"]
    celery.loader.import_default_modules()
    ours = sorted(name for name in celery.tasks if name.startswith("campaign_app."))
    assert ours == sorted(INTENDED)
    assert {name: _queue_of(celery, name) for name in ours} == INTENDED
    assert {INTENDED[entry["task"]] for entry in BEAT_SCHEDULE.values()} == {TRANSACTIONAL}
    assert [queue.name for queue in celery.conf.task_queues] == [TRANSACTIONAL, BULK]


def test_every_beat_entry_names_a_registered_task(app):
    """Issue 14, item 7: a renamed or removed task fails here instead of silently dropping
    out of the beat schedule (celery beat only logs an unknown name)."""
    celery = app.extensions["celery"]
    celery.loader.import_default_modules()
    scheduled = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert scheduled, "the beat schedule is empty"
    assert scheduled - set(celery.tasks) == set()


def _consumed(commands: dict[str, list[str]]) -> list[str]:
    return [command[command.index("--queues") + 1] for name, command in commands.items()
            if name.startswith("worker")]


def test_the_procfile_and_flask_start_run_a_worker_node_for_each_queue(tmp_path):
    """Issue 12, item 18: both queues are consumed, each by a node of its own."""
    procfile = dict(line.split(": ", 1) for line in (REPO / "Procfile").read_text().splitlines())
    assert procfile["worker"].split()[:2] == ["flask", "worker"]
    assert _consumed(worker_node_commands(dict.fromkeys(QUEUES, 2))) == [TRANSACTIONAL, BULK]
    assert _consumed(embedded_commands("127.0.0.1", 5000, tmp_path)) == [TRANSACTIONAL, BULK]


def test_the_embedded_default_runs_exactly_one_beat_in_few_processes(tmp_path):
    """Issue 20, item 4: within 512 MB on a laptop. Beat runs inside the one transactional
    node (two beats would queue every periodic task twice), as a thread; the nodes run their
    tasks in threads, and the web server in one worker's threads, not in processes that
    would each hold the whole app."""
    commands = embedded_commands("127.0.0.1", 5000, tmp_path)
    # `celery … beat`, or beat inside a worker node (`--beat`, `-B`, `--beat-thread`).
    beats = [name for name, command in commands.items()
             if {"beat", "--beat", "-B", "--beat-thread"} & set(command)]
    assert beats == [f"worker-{TRANSACTIONAL}"]
    assert "--beat-thread" in commands[f"worker-{TRANSACTIONAL}"]
    assert str(tmp_path / "celerybeat-schedule") in commands[f"worker-{TRANSACTIONAL}"]
    for name, command in commands.items():
        if name.startswith("worker"):
            assert command[command.index("--pool") + 1] == "threads"
    web = commands["web"]
    assert web[web.index("--workers") + 1] == "1" and "--preload" in web


def _descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *_descendants(int(child))]
    return found


@pytest.mark.e2e
def test_the_embedded_transactional_node_runs_beat_in_a_thread(committed_data, tmp_path):
    """Issue 20, item 4: the embedded default's transactional node, as `flask start` runs
    it: beat queues the periodic tasks and the node runs them, with no process forked for
    beat (Celery's --beat forks one, holding a second copy of the app: 79 MB)."""
    command = embedded_commands("127.0.0.1", 5000, tmp_path)[f"worker-{TRANSACTIONAL}"]
    worker = WorkerProcess(command=[*command, "--without-heartbeat", "--without-gossip",
                                    "--without-mingle"]).start()
    try:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and not any(
                "tasks.sweep_outbox success" in line for line in worker.output):
            time.sleep(0.2)
        children = _descendants(worker.process.pid)
    finally:
        worker.stop()
    output = "".join(worker.output)
    assert "Sending due task sweep-outbox" in output, output[-3000:]
    assert any("tasks.sweep_outbox success" in line for line in worker.output), \
        output[-3000:]
    assert children == []
    assert (tmp_path / "celerybeat-schedule.dat").exists() or \
        (tmp_path / "celerybeat-schedule").exists()


@pytest.mark.parametrize(("settings", "warned"), [
    ({"MAIL_RATE_LIMIT": 10, "MAILING_BATCH_SIZE": 200, "MAILING_CLAIM_TIMEOUT": 20}, True),
    ({"MAIL_RATE_LIMIT": 10, "MAILING_BATCH_SIZE": 200, "MAILING_CLAIM_TIMEOUT": 21}, False),
    ({"MAIL_RATE_LIMIT": 0, "MAILING_BATCH_SIZE": 200, "MAILING_CLAIM_TIMEOUT": 1}, False),
])
def test_claim_timeout_shorter_than_a_batch_is_warned_about(settings, warned):
    """Issue 12, item 18: MAILING_CLAIM_TIMEOUT must exceed the time a batch takes."""
    warning = mailing_timing_warning(settings)
    assert (warning is not None) == warned
    if warned:
        assert "MAILING_CLAIM_TIMEOUT (20 s) must exceed" in warning and "= 20 s" in warning


@pytest.mark.e2e
def test_the_worker_logs_the_claim_timeout_warning_at_start_up(committed_data):
    worker = WorkerProcess({"MAIL_RATE_LIMIT": "1", "MAILING_BATCH_SIZE": "100",
                            "MAILING_CLAIM_TIMEOUT": "60"}).start()
    worker.stop()
    assert any("MAILING_CLAIM_TIMEOUT (60 s) must exceed" in line for line in worker.output)


#: 60 recipients at 2 a second, in batches of 30, two chains: the bulk node's two processes
#: are busy for about fifteen seconds each.
SLOW_MAILING = {"MAIL_RATE_LIMIT": "2", "MAILING_BATCH_SIZE": "30", "MAILING_PARALLEL": "2",
                "MAILING_CLAIM_TIMEOUT": "60"}


def _supporters(count: int) -> None:
    now = utcnow()
    db.session.execute(insert(Supporter), [
        {"email": f"bulk{n}@example.org", "first_name": f"Name{n}", "last_name": "Test",
         "zip_code": "82001", "state": "WY", "district": 0, "is_subscribed": True,
         "is_undeliverable": False, "created_at": now, "updated_at": now}
        for n in range(count)])


def _sent(app, mailing_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(MailingRecipient).where(
            MailingRecipient.mailing_id == mailing_id, MailingRecipient.status == "sent"))


@pytest.mark.e2e
def test_a_confirmation_overtakes_a_slow_mailing(app, committed_data, smtp):
    """Issue 12, item 18: `flask worker` (the Procfile's worker) with a slow mailing holding
    every process of its bulk node: a supporter's confirmation still arrives in seconds."""
    with app.app_context():
        alert = create_alert(demo_alert_data())
        _supporters(60)
        mailing = operations.create_mailing(alert, {"type": "all"})
        operations.start_mailing(mailing)
        supporter_id = db.session.scalar(select(MailingRecipient.supporter_id).limit(1))
        db.session.commit()
        alert_id, mailing_id = alert.id, mailing.id
    worker = WorkerProcess(SLOW_MAILING, command=[
        sys.executable, "-m", "flask", "worker", "--concurrency", "2", "--loglevel", "INFO",
        "--without-heartbeat", "--without-gossip", "--without-mingle"], nodes=2).start()
    try:
        with app.app_context():
            queue_mailing(mailing_id, parallel=2)
        deadline = time.monotonic() + 60
        while _sent(app, mailing_id) < 4 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _sent(app, mailing_id) >= 4, "".join(worker.output[-40:])
        # Both batches are being sent now; the confirmation comes in behind them.
        with app.app_context():
            delivery = enqueue_delivery(key="queues-test:confirmation", kind="confirmation",
                                        alert_id=alert_id, supporter_id=supporter_id)
            db.session.commit()
            queued_at = time.monotonic()
            assert queue_deliveries([delivery.id]) == 1
        deadline = queued_at + 30
        while time.monotonic() < deadline and not any(
                message["Subject"].startswith("Thank you for taking action")
                for _, message in list(smtp.messages)):
            time.sleep(0.1)
        waited = time.monotonic() - queued_at
        sent_meanwhile = _sent(app, mailing_id)
    finally:
        worker.stop()
    assert waited < 5, f"the confirmation waited {waited:.1f} s"
    assert sent_meanwhile < 60, "the mailing had finished: nothing was overtaken"
