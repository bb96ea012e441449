"""Benchmark: what one supporter request costs, counted rather than timed (issue 20).

bench/action_load.py measures throughput, which on a shared 2-core machine swings with
whatever else runs. This counts what does not swing: the round trips each request makes to
PostgreSQL (statements, plus BEGIN, COMMIT, ROLLBACK and the pool's ping on checkout) and
to Redis, the statements SQLAlchemy compiles (none once warm: each one is a statement its
cache missed), and the CPU time of the request in this process (the app's own work; the
database's is not in it). The requests go through the app in process (Flask's test client),
on the same data as action_load.py:
  get      GET /a/<slug>, anonymous (the stored page)
  getme    GET /a/<slug>?t=… (a personal link)
  form     POST /a/<slug>, a new supporter each time
  call     POST /a/<slug>/call, a call report
  callpage GET /a/<slug>/call

Needs PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1/
alerta_bench_cost, wiped), Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/14) and the
congress data (ALERTA_CONGRESS_DATA, default ../shared/data).
Run: .venv/bin/python bench/request_cost.py [--requests 200]
"""

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def count_round_trips(counter: Counter) -> None:
    """Count what psycopg and redis-py send: each query and each command (BEGIN, COMMIT,
    ROLLBACK) waits for the server's answer; so does a Redis command or pipeline. And the
    statements SQLAlchemy compiles, which should be none once a process is warm."""
    import psycopg
    import redis.client
    from sqlalchemy.sql.compiler import SQLCompiler

    def counting(owner, name, key):
        original = getattr(owner, name)

        def wrapper(self, *args, **kwargs):
            counter[key] += 1
            return original(self, *args, **kwargs)
        setattr(owner, name, wrapper)

    counting(SQLCompiler, "__init__", "compiled")  # a statement SQLAlchemy did not cache
    counting(psycopg.Cursor, "execute", "postgresql")
    counting(psycopg.Connection, "_exec_command", "postgresql")
    counting(redis.client.Redis, "execute_command", "redis")
    counting(redis.client.Pipeline, "execute", "redis")  # its commands go in one trip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", metavar="SCENARIO",
                        help="also profile one scenario (cProfile): where its CPU goes")
    parser.add_argument("--top", type=int, default=30, help="functions the profile lists")
    parser.add_argument("--dump", metavar="FILE",
                        help="with --profile: also save the profile (pstats) to FILE")
    args = parser.parse_args()
    import action_load

    action_load.bench_environment("alerta_bench_cost",
                                  Path(tempfile.mkdtemp(prefix="alerta-cost-")))
    setup = action_load.prepare(1000)

    from campaign_app import create_app

    app = create_app()
    client = app.test_client()
    slug, run = setup["slug"], secrets.token_hex(4)

    def form(n):
        client.set_cookie("session", setup["cookies"][1])
        return client.post(f"/a/{slug}", data={
            "csrf_token": setup["token"], "first_name": "Ana", "last_name": "Bench",
            "email": f"cost{run}{n}@example.org", "zip_code": "82001", "phone": "",
            "website": ""})

    def call(n):
        client.set_cookie("session", setup["cookies"][n % len(setup["cookies"])])
        return client.post(f"/a/{slug}/call", data={
            "csrf_token": setup["token"], "bioguide_id": setup["bioguide"],
            "outcome": "talked", "note": "", "submission_key": f"cost{run}{n:012d}"})

    def get(n):
        client.delete_cookie("session")
        return client.get(f"/a/{slug}")

    def getme(n):
        client.delete_cookie("session")
        return client.get(f"/a/{slug}?t=" + setup["links"][n % len(setup["links"])])

    def callpage(n):
        client.set_cookie("session", setup["cookies"][n % len(setup["cookies"])])
        return client.get(f"/a/{slug}/call")

    counter: Counter = Counter()
    count_round_trips(counter)
    expected = {"form": 302, "call": 302, "get": 200, "getme": 200, "callpage": 200}
    print(f"{args.requests} requests each, in process, load average "
          f"{os.getloadavg()[0]:.1f}")
    for name, request in (("get", get), ("getme", getme), ("form", form), ("call", call),
                          ("callpage", callpage)):
        for n in range(10):  # warm: caches, prepared statements
            status = request(10_000_000 + n).status_code
            if status != expected[name]:
                raise SystemExit(f"{name}: answered {status}, not {expected[name]}")
        counter.clear()
        cpu, wall = time.process_time(), time.perf_counter()
        for n in range(args.requests):
            request(n)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        each = args.requests
        print(f"{name:9}: PostgreSQL round trips {counter['postgresql'] / each:5.1f}  "
              f"Redis {counter['redis'] / each:4.1f}  "
              f"compiled {counter['compiled'] / each:4.1f}  CPU {cpu / each * 1000:6.2f} ms  "
              f"wall {wall / each * 1000:6.2f} ms")
        if name == args.profile:
            profile(request, args.requests, args.top, args.dump)


def profile(request, requests: int, top: int, dump: str | None = None) -> None:
    """The scenario again under cProfile: the functions that cost most of their own time,
    then the most costly by time spent inside them, per request (CPU time)."""
    import cProfile
    import pstats

    # CPU time, not wall time: what the app spends, not what it waits for.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for n in range(requests):
        request(20_000_000 + n)
    profiler.disable()
    if dump:
        profiler.dump_stats(dump)
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(f"  profile: {total / requests * 1000:.2f} ms per request under the profiler")
    rows = []
    for (path, line, function), (_, calls, own, inside, _) in stats.stats.items():
        where = f"{Path(path).name}:{line}({function})" if line else function
        if "site-packages" in path:
            where = path.split("site-packages/")[1].split("/")[0] + ": " + where
        rows.append((own, inside, calls, where))
    for heading, key in (("own time", 0), ("time inside", 1)):
        print(f"  by {heading} (ms per request, calls per request):")
        for own, inside, calls, where in sorted(rows, key=lambda row: -row[key])[:top]:
            print(f"    {own / requests * 1000:6.3f} {inside / requests * 1000:7.3f} "
                  f"{calls / requests:6.1f}  {where}")


if __name__ == "__main__":
    main()
