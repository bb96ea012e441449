"""`flask worker`: one Celery worker node per queue, so transactional work never waits for bulk.

Why not one node consuming both queues: each pool process takes a task and keeps it to the
end, and mailing batches run for minutes (MAILING_BATCH_SIZE / MAIL_RATE_LIMIT seconds each,
MAILING_PARALLEL of them per mailing). Once they hold every pool process, a confirmation
waits for a batch to end whatever the queue order; and kombu's SQLAlchemy transport (the
embedded default) reads its queues round-robin, with no priority setting. A node of its own
for the transactional queue always has a free process for it.
"""

import sys

import click
from flask.cli import with_appcontext

from .core.celery import QUEUES
from .supervisor import supervise


def worker_node_commands(concurrency: dict[str, int],
                         extra: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """The `celery worker` command of each queue's node, with its number of processes."""
    return {f"worker-{queue}": [sys.executable, "-m", "celery", "-A", "worker", "worker",
                                "--queues", queue, "--hostname", f"{queue}@%h",
                                "--concurrency", str(processes), *extra]
            for queue, processes in concurrency.items()}


def mailing_timing_warning(config) -> str | None:
    """A batch must be sent before its claim expires, or a second worker sends it again."""
    rate, size = config["MAIL_RATE_LIMIT"], config["MAILING_BATCH_SIZE"]
    if rate and config["MAILING_CLAIM_TIMEOUT"] <= size / rate:
        return (f"MAILING_CLAIM_TIMEOUT ({config['MAILING_CLAIM_TIMEOUT']} s) must exceed "
                f"MAILING_BATCH_SIZE / MAIL_RATE_LIMIT ({size} / {rate:g} = "
                f"{size / rate:g} s, the time one batch takes to send): otherwise a batch "
                "still being sent is taken for a dead worker's and sent a second time.")
    return None


@click.command("worker", context_settings={"ignore_unknown_options": True})
@click.option("--queues", envvar="WORKER_QUEUES", default=",".join(QUEUES), show_default=True,
              help="Queues to start a node for; WORKER_QUEUES=transactional when dedicated "
                   "bulk workers run elsewhere.")
@click.option("--concurrency", envvar="WORKER_CONCURRENCY", default=2, show_default=True,
              type=click.IntRange(1), help="Processes of each node.")
@click.argument("celery_options", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def worker_command(queues, concurrency, celery_options):
    """Celery workers: one node for the transactional queue (confirmations, Congress,
    housekeeping) and one for bulk mailings, so a supporter's mail never waits behind a
    blast. Other options (e.g. --loglevel INFO) go to each `celery worker`."""
    names = [name.strip() for name in queues.split(",") if name.strip()]
    unknown = sorted(set(names) - set(QUEUES))
    if unknown or not names:
        raise click.BadParameter(f"choose among {', '.join(QUEUES)}", param_hint="--queues")
    sys.exit(supervise(worker_node_commands(dict.fromkeys(names, concurrency),
                                            celery_options)))
