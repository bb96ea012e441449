"""Benchmark: an alert to 100,000 supporters through a real Celery worker into an SMTP sink.

Prints (issue 6): the time to create the recipient rows (goal < 5 s on PostgreSQL); the
worker's messages per second as a ratio to a plain smtplib loop sending the same pre-rendered
messages over one connection, in the same run (goal ≥ 0.8×); the worker's peak RSS (goal flat,
< 200 MB).

Needs its own database (wiped): BENCH_DATABASE_URL, default
postgresql://postgres@127.0.0.1/alerta_bench, and a broker: CELERY_BROKER_URL, default
redis://127.0.0.1:6379/14. Run: .venv/bin/python bench/mailing.py [--count 100000]
"""

import argparse
import os
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import free_port, reset_schema  # noqa: E402


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mb(pid: int) -> tuple[float, float]:
    """The worker's RSS: its largest process's, and all of them together (pool included)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        kids = [int(k) for k in children.read_text().split()]
    except OSError:
        kids = []
    sizes = [rss_mb(pid)] + [rss_mb(k) for k in kids]
    return max(sizes), sum(sizes)


def sink_count(path: Path) -> int:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=20_000,
                        help="messages the plain smtplib loop sends")
    args = parser.parse_args()

    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="alerta-bench-"))
    os.environ.update({
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL",
                                       "postgresql://postgres@127.0.0.1/alerta_bench"),
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14"),
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "ALERTA_INSTANCE_DIR": str(tmp),
        "MAILING_BATCH_SIZE": "500", "SECRET_KEY": "bench",
    })
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from campaign_app import create_app
    from campaign_app.alerts.demo import demo_alert_data
    from campaign_app.alerts.operations import create_alert
    from campaign_app.core.db import db
    from campaign_app.core.time import utcnow
    from campaign_app.mailings import operations
    from campaign_app.mailings.messages import MailingRenderer
    from campaign_app.mailings.queries import progress
    from campaign_app.mailings.tasks import queue_mailing
    from campaign_app.supporters.models import Supporter

    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        reset_schema(url)
    app = create_app()
    with app.app_context():
        upgrade()
        now = utcnow()
        states = ["NY", "CA", "TX", "WY", "VT", "IL", "FL", "PA"]
        for start in range(0, args.count, 20_000):
            db.session.execute(insert(Supporter), [
                {"email": f"s{n}@example.org", "first_name": f"Name{n}", "last_name": "Bench",
                 "zip_code": "10001", "state": states[n % 8], "district": 1,
                 "is_subscribed": True, "is_undeliverable": False, "created_at": now,
                 "updated_at": now}
                for n in range(start, min(start + 20_000, args.count))])
        alert = create_alert(demo_alert_data())
        db.session.commit()
        started = time.perf_counter()
        mailing = operations.create_mailing(alert, {"type": "all"})
        db.session.commit()
        fan_out = time.perf_counter() - started
        mailing_id = mailing.id
        print(f"recipient rows: {mailing.recipient_count:,} created in {fan_out:.2f} s "
              f"(goal < 5 s) on {db.engine.dialect.name}")

        from campaign_app.mailings.messages import Recipient
        renderer = MailingRenderer(mailing, alert)
        prepared = [renderer.render(Recipient(0, n, f"b{n}@example.org", f"Name{n}", "Bench",
                                              "10001", None, "NY", 1))
                    for n in range(args.baseline)]

    count_file = tmp / "sink-count"
    sink = subprocess.Popen([sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(port),  # noqa: S603
                             str(count_file)])
    time.sleep(1.5)
    try:
        smtp = smtplib.SMTP("127.0.0.1", port)
        started = time.perf_counter()
        for message in prepared:
            smtp.sendmail(message.sender, [message.recipient], message.data)
        baseline = len(prepared) / (time.perf_counter() - started)
        smtp.quit()
        del prepared
        print(f"plain smtplib loop, one connection: {baseline:,.0f} messages/s")

        with app.app_context():
            operations.start_mailing(db.session.get(type(mailing), mailing_id))
            db.session.commit()
        # The Procfile's worker: prefork, one process per CPU, each sending one of the
        # mailing's MAILING_PARALLEL (default 2) batch chains.
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "worker", "worker", "--loglevel", "WARNING"],
            cwd=ROOT, env=os.environ.copy())
        time.sleep(3)
        with app.app_context():
            queue_mailing(mailing_id)
        started = time.perf_counter()
        peak, peak_total, samples = 0.0, 0.0, []
        while True:
            time.sleep(1)
            rss, total = tree_rss_mb(worker.pid)
            peak, peak_total = max(peak, rss), max(peak_total, total)
            with app.app_context():
                counts = progress(mailing_id)
                db.session.remove()
            samples.append((time.perf_counter() - started, counts["sent"], rss))
            if counts["sent"] + counts["failed"] + counts["skipped"] >= args.count:
                break
            if time.perf_counter() - started > 1800:
                print("gave up after 30 minutes")
                break
        elapsed = time.perf_counter() - started
        worker.terminate()
        worker.wait(timeout=30)
        rate = counts["sent"] / elapsed
        print(f"worker: {counts['sent']:,} sent in {elapsed:.1f} s = {rate:,.0f} messages/s "
              f"→ {rate / baseline:.2f}× the plain loop (goal ≥ 0.8×)")
        quarter = [s for s in samples if s[1] >= args.count // 4]
        first_rss = quarter[0][2] if quarter else samples[0][2]
        print(f"worker RSS, largest process: {first_rss:.0f} MB at 25% sent, peak "
              f"{peak:.0f} MB (goal flat, < 200 MB); all processes: peak {peak_total:.0f} MB")
        print(f"SMTP sink received {sink_count(count_file):,} messages")
    finally:
        sink.terminate()
        sink.wait(timeout=10)


if __name__ == "__main__":
    main()
