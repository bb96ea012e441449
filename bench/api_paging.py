"""Paging through 1,000,000 outreaches with the OSDI API (issue 16), on PostgreSQL.

Builds 1,000,000 call reports by 100,000 supporters (set-based INSERT … SELECT, then
ANALYZE; BENCH_ACTIONS, BENCH_SUPPORTERS), then with a read key (its rate limit counted in
Redis, BENCH_REDIS_URL, default redis://127.0.0.1:6379/14):
  - times the first page and the last page (reached by the next links) of
    /api/v1/outreaches?per_page=100, REPEAT times each: p95 of the last ÷ p95 of the first
    (goal ≤ 1.5);
  - walks every page by its next links: rows per second, as a ratio to streaming the CSV
    export of the same rows in the same run (goal ≥ 0.5). The export is streamed just
    before and just after the walk and the ratio uses the mean of the two rates, so a
    change of the machine's load during the walk weighs on both sides alike. The walk's
    client parses each page with orjson (the export's rows are not parsed at all);
  - for information, the page at the end asked for by number alone (an index-only seek).

    DATABASE_URL=postgresql://postgres@127.0.0.1/alerta_bench .venv/bin/python bench/api_paging.py

With --profile, the walk runs under cProfile on this process's CPU clock (waits on
PostgreSQL and Redis left out) and the functions that cost the most are printed after it.
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import dashboard  # noqa: E402 - sets the environment before the app is imported
import orjson  # noqa: E402

REPEAT = 20
PER_PAGE = 100
FILL = """
INSERT INTO supporters (email, first_name, last_name, zip_code, state, district,
                        district_source, is_subscribed, is_undeliverable, created_at,
                        updated_at)
SELECT 'bench' || g || '@example.org', 'Ana', 'Gómez', '82001', 'WY', 0, 'zip-unique', true,
       false, now(), now()
FROM generate_series(0, :supporters - 1) AS g;

INSERT INTO actions (alert_id, supporter_id, bioguide_id, kind, outcome, submission_key,
                     is_message_edited, is_response_requested, is_newsletter_opt_in,
                     created_at)
SELECT :alert_id, (SELECT min(id) FROM supporters) + g % :supporters, 'H001096', 'call',
       (ARRAY['talked','voicemail','busy','no_answer'])[g % 4 + 1], 'bench-' || g,
       false, false, false, now() - make_interval(secs => g % 864000)
FROM generate_series(0, :actions - 1) AS g
"""


def build(app) -> str:
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
        for statement in FILL.split(";\n\n"):
            db.session.execute(text(statement), {"alert_id": alert.id,
                                                 "actions": dashboard.ACTIONS,
                                                 "supporters": dashboard.SUPPORTERS})
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        return alert.slug


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]


def timed(client, url: str, headers: dict) -> tuple[float, dict]:
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return elapsed, orjson.loads(response.data)


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    dashboard.reset_schema(url)
    from campaign_app import create_app
    from campaign_app.api.operations import create_api_key
    from campaign_app.core.db import db
    from campaign_app.prefork import prepare_to_fork

    # Limits counted in Redis, as in production (the database store is for the embedded default)
    app = create_app({"API_LIMIT_PER_KEY": 10_000_000, "RATELIMIT_STORAGE_URL": os.environ.get(
        "BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")})
    slug = build(app)
    with app.app_context():
        _, token = create_api_key("bench", "read", by=None)
        db.session.commit()
    headers = {"OSDI-API-Token": token}
    # This process now holds what a web worker has (the app, its caches) and the build's
    # leftovers. A worker's heap is frozen before it serves (gunicorn's master calls
    # prepare_to_fork): do the same, or each full collection walks ~400,000 objects (0.3 s
    # a time on this machine) while the walk and the export run.
    prepare_to_fork(app)
    client = app.test_client()
    first_url = f"/api/v1/outreaches?per_page={PER_PAGE}"
    export_url = f"/staff/alerts/{slug}/exports/actions.csv"
    staff = app.test_client()
    dashboard.login(staff)
    load_before = os.getloadavg()[0]  # the machine may be shared: say how busy it was
    cpu = time.process_time()
    _, csv_before, _, _ = dashboard.stream_export(staff, export_url)
    csv_cpu = time.process_time() - cpu

    # the whole walk, by next links
    profile = cProfile.Profile(time.process_time) if "--profile" in sys.argv[1:] else None
    if profile:
        profile.enable()
    started, cpu = time.perf_counter(), time.process_time()
    rows, url, last_url, pages = 0, first_url, first_url, 0
    while url:
        _, page = timed(client, url, headers)
        rows += len(page["_embedded"]["osdi:outreaches"])
        pages += 1
        last_url, url = url, page["_links"].get("next", {}).get("href")
    walk, walk_cpu = time.perf_counter() - started, time.process_time() - cpu
    if profile:
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(40)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
    total_pages = page["total_pages"]

    first = [timed(client, first_url, headers)[0] for _ in range(REPEAT)]
    last = [timed(client, last_url, headers)[0] for _ in range(REPEAT)]
    by_number = [timed(client, f"{first_url}&page={total_pages}", headers)[0]
                 for _ in range(5)]

    cpu = time.process_time()
    size, csv_after, _, _ = dashboard.stream_export(staff, export_url)
    csv_cpu = (csv_cpu + time.process_time() - cpu) / 2
    csv_rows = rows  # every action is an outreach: the export holds the same rows

    print(f"outreaches: {rows:,} rows in {pages:,} pages of {PER_PAGE}; load average "
          f"{load_before:.1f} before the walk, {os.getloadavg()[0]:.1f} at the end")
    print(f"first page p95 {p95(first):.1f} ms; last page (next link) p95 {p95(last):.1f} ms; "
          f"ratio {p95(last) / p95(first):.2f} (goal ≤ 1.5)")
    print(f"last page by number alone (index-only seek): median "
          f"{statistics.median(by_number):.1f} ms")
    api_rate = rows / walk
    csv_rate = (csv_rows / csv_before + csv_rows / csv_after) / 2
    print(f"walk {walk:.1f} s = {api_rate:,.0f} rows/s; CSV export {size / 1e6:.0f} MB in "
          f"{csv_before:.1f} s before the walk, {csv_after:.1f} s after = {csv_rate:,.0f} "
          f"rows/s (mean); ratio {api_rate / csv_rate:.2f} (goal ≥ 0.5)")
    # What waits on other processes (PostgreSQL, Redis) is not here: on a busy machine the
    # walk's 2,000 round trips wait for a core far more than the export's few.
    print(f"CPU of this process (app and client): walk {walk_cpu / pages * 1000:.2f} ms a page, "
          f"export {csv_cpu / csv_rows * PER_PAGE * 1000:.2f} ms per {PER_PAGE} rows; "
          f"ratio {rows * csv_cpu / (walk_cpu * csv_rows):.2f}")


if __name__ == "__main__":
    main()
