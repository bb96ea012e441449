"""Dashboard, whip list and CSV export of one alert with 1,000,000 actions and 100,000 supporters.

Runs on PostgreSQL only (DATABASE_URL; the database's name must contain 'test' or 'bench': its
schema is dropped). Rows are made by set-based INSERT … SELECT generate_series, then ANALYZE.
Prints the median time to render each page (the dashboard counted on the spot, and from the
snapshot the beat keeps for big alerts; goal < 300 ms, shown as a ratio to the goal), the web
process's RSS after the first and the last request (flat?), and the RSS growth while streaming
the full CSV of actions (constant memory?).

    DATABASE_URL=postgresql://postgres@127.0.0.1/alerta_bench .venv/bin/python bench/dashboard.py
"""

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

SUPPORTERS = int(os.environ.get("BENCH_SUPPORTERS", 100_000))
ACTIONS = int(os.environ.get("BENCH_ACTIONS", 1_000_000))
GOAL_MS = 300
REPEAT = 7
REPO = Path(__file__).resolve().parent.parent

os.environ.setdefault("ALERTA_INSTANCE_DIR", tempfile.mkdtemp(prefix="alerta-bench-"))
os.environ.setdefault("ALERTA_ENV", "testing")
sys.path.insert(0, str(REPO))

import common  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_schema(url: str) -> None:
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if not url.startswith("postgres") or not ("test" in name or "bench" in name):
        sys.exit("bench/dashboard.py needs DATABASE_URL of a PostgreSQL database whose name "
                 "contains 'test' or 'bench' (its schema is dropped)")
    common.reset_schema(url)


FILL = """
WITH reps AS (
    SELECT bioguide_id, state, district,
           (row_number() OVER (ORDER BY bioguide_id)) - 1 AS n
    FROM legislators WHERE chamber = 'house' AND is_current
), k AS (SELECT count(*) AS k FROM reps)
INSERT INTO supporters (email, first_name, last_name, zip_code, state, district,
                        district_source, is_subscribed, created_at, updated_at)
SELECT 'bench' || g || '@example.org', 'Ana', 'Gómez', '10001', reps.state, reps.district,
       'zip-unique', g % 3 <> 0, now(), now()
FROM generate_series(0, :supporters - 1) AS g
JOIN reps ON reps.n = g % (SELECT k FROM k);

WITH senators AS (
    SELECT bioguide_id, state, row_number() OVER (PARTITION BY state ORDER BY bioguide_id) AS seat
    FROM legislators WHERE chamber = 'senate' AND is_current
)
INSERT INTO actions (alert_id, supporter_id, bioguide_id, kind, outcome, status,
                     submission_key, referral_code, created_at)
SELECT :alert_id, a.supporter_id, a.bioguide_id, a.kind,
       CASE WHEN a.kind = 'call' THEN (ARRAY['talked','voicemail','busy','no_answer'])[a.g % 4 + 1]
       END,
       CASE WHEN a.kind = 'email' THEN 'delivered' END,
       'bench-' || a.g,
       CASE WHEN a.g % 7 = 0 THEN 'ref' || (a.g % 50) END,
       now() - make_interval(secs => (a.g::bigint * 7919) % 864000)
FROM (
    SELECT g, s.id AS supporter_id,
           CASE WHEN e.is_email THEN 'email' WHEN g % 20 = 19 THEN 'thank' ELSE 'call' END AS kind,
           CASE WHEN e.is_email AND g / :supporters > 0 THEN sen.bioguide_id
                ELSE l.bioguide_id END AS bioguide_id
    FROM generate_series(0, :actions - 1) AS g
    JOIN supporters s ON s.id = (SELECT min(id) FROM supporters) + g % :supporters
    JOIN legislators l ON l.chamber = 'house' AND l.is_current AND l.state = s.state
                       AND l.district = s.district
    LEFT JOIN senators sen ON sen.state = s.state AND sen.seat = g / :supporters
    -- One email per supporter, office and alert (the unique index holds it): in its first
    -- three rounds, three supporters in four email their representative, then each senator.
    CROSS JOIN LATERAL (SELECT g / :supporters < 3 AND g % :supporters % 4 <> 0
                               AND (g / :supporters = 0 OR sen.bioguide_id IS NOT NULL)
                        AS is_email) AS e
) AS a;

INSERT INTO deliveries (idempotency_key, kind, status, alert_id, supporter_id, attempt_count,
                        last_error, created_at, updated_at)
SELECT 'bench:' || s.id, 'confirmation',
       CASE WHEN s.id % 50 = 0 THEN 'failed' ELSE 'delivered' END, :alert_id, s.id, 1,
       CASE WHEN s.id % 50 = 0 THEN '550 mailbox unavailable' END, now(), now()
FROM supporters s;

INSERT INTO signons (alert_id, kind, signer_key, bioguide_id, status, signed_at, source,
                     created_at)
SELECT :alert_id, 'member', bioguide_id, bioguide_id, 'approved', now(), 'Letter text', now()
FROM legislators WHERE chamber = 'house' AND is_current ORDER BY bioguide_id LIMIT 47;
"""


def build(app):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from campaign_app.alerts.demo import demo_alert_data
    from campaign_app.alerts.operations import create_alert
    from campaign_app.auth.operations import create_user
    from campaign_app.congress.operations import sync_congress
    from campaign_app.congress.sources import CongressFiles
    from campaign_app.core.db import db

    with app.app_context():
        upgrade()
        data = os.environ.get("ALERTA_CONGRESS_DATA") or str(REPO.parent / "shared" / "data")
        sync_congress(CongressFiles.from_location(data))
        alert = create_alert(demo_alert_data())
        create_user("bench@example.org", "correct horse battery", "organizer")
        db.session.commit()
        started = time.perf_counter()
        for statement in FILL.split(";\n\n"):
            db.session.execute(text(statement), {"alert_id": alert.id, "actions": ACTIONS,
                                                 "supporters": SUPPORTERS})
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        count = db.session.scalar(text("SELECT count(*) FROM actions"))
        print(f"data: {count:,} actions, {SUPPORTERS:,} supporters "
              f"in {time.perf_counter() - started:.1f} s")
        return alert.slug


def login(client):
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": "bench@example.org",
                                           "password": "correct horse battery"})
    assert response.status_code == 302, response.status_code


def time_page(client, url: str) -> tuple[float, float, float]:
    timings = []
    first_rss = None
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        first_rss = first_rss or rss_mb()
    return statistics.median(timings), first_rss, rss_mb()


def stream_export(client, url: str) -> tuple[int, float, float, float]:
    before = rss_mb()
    peak = before
    size = 0
    started = time.perf_counter()
    response = client.get(url, buffered=False)
    for chunk in response.response:
        size += len(chunk)
        peak = max(peak, rss_mb()) if size % 50 == 0 else peak
    response.close()
    return size, time.perf_counter() - started, before, peak


def refresh_snapshots(app) -> float:
    from campaign_app.core.db import db
    from campaign_app.dashboard.operations import refresh_big_alerts

    with app.app_context():
        started = time.perf_counter()
        refresh_big_alerts(app.config["DASHBOARD_SNAPSHOT_MIN_ACTIONS"])
        db.session.commit()
        return time.perf_counter() - started


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    reset_schema(url)
    from campaign_app import create_app

    app = create_app()
    slug = build(app)
    client = app.test_client()
    login(client)
    print(f"{'page':<34}{'median ms':>10}{'÷ goal':>8}{'RSS first':>11}{'RSS last':>10}")
    for name, path in [("dashboard, counted live (day)", f"/staff/alerts/{slug}"),
                       ("dashboard, counted live (hour)", f"/staff/alerts/{slug}?by=hour"),
                       ("whip list, counted live", f"/staff/alerts/{slug}/signons/whip")]:
        median, first, last = time_page(client, path)
        print(f"{name:<34}{median:>10.0f}{median / GOAL_MS:>8.2f}{first:>10.0f}M{last:>9.0f}M")
    seconds = refresh_snapshots(app)
    print(f"snapshot refresh by the beat (every minute, in the worker): {seconds:.2f} s")
    for name, path in [("dashboard, snapshot (day)", f"/staff/alerts/{slug}"),
                       ("dashboard, snapshot (hour)", f"/staff/alerts/{slug}?by=hour"),
                       ("whip list, snapshot", f"/staff/alerts/{slug}/signons/whip"),
                       ("whip list, NY, not signed", f"/staff/alerts/{slug}/signons/whip"
                                                     "?state=NY&signed=no")]:
        median, first, last = time_page(client, path)
        print(f"{name:<34}{median:>10.0f}{median / GOAL_MS:>8.2f}{first:>10.0f}M{last:>9.0f}M")
    size, seconds, before, peak = stream_export(client, f"/staff/alerts/{slug}/exports/"
                                                        "actions.csv")
    print(f"actions.csv: {size / 1e6:.0f} MB in {seconds:.1f} s; RSS {before:.0f} MB before, "
          f"peak {peak:.0f} MB while streaming (growth {peak - before:+.0f} MB for "
          f"{ACTIONS:,} rows)")


if __name__ == "__main__":
    main()
