"""Benchmark: the supporter's action POST under gunicorn, on PostgreSQL + Redis (issue 5).

Serves Alerta with the Procfile's web command (gunicorn, WEB_CONCURRENCY workers ×
WEB_THREADS threads, defaults read from the Procfile) and, the same way, a hello-world Flask
app; loads each with wrk at 32 connections.
Two action scenarios:
  form — POST /a/<slug>: a new supporter each time (CSRF, per-IP limit counted in Redis, ZIP
         lookup, supporter upsert, commit, redirect to the call page);
  call — POST /a/<slug>/call: a call report by one of --supporters supporters (an Action and
         the confirmation in the outbox, commit, the delivery task published to Redis).
Two more floors, served the same way: the write floor (bench/write_floor_app.py), the least any
submission kept for sure can cost, one INSERT committed over plain psycopg; and the form floor
(bench/form_floor_app.py, "formfloor"), the ActionForm under Flask-WTF with CSRF and the session
cookie, with no database: what the issue's own form handling costs.
The combined floor (bench/combined_floor_app.py): the form floor, then the write floor's
committed INSERT: the least any implementation of the form POST can cost here. Two GETs of the
alert page: get (anonymous, the stored page) and getme (a personal link, ?t=…); and the GET
floor (bench/get_floor_app.py, "getfloor"): a stored page of the same size with what the design
requires of each anonymous GET (the version stamp read, the CSRF token and session cookie),
and the same without one of the two (getfloor-nocsrf, getfloor-nostamp): what each rule costs.
The rules floor (bench/rules_floor_app.py, "rules"): the combined floor plus what the other
rules add to every form POST (the rate limit in Redis, the stamp read, the supporter upsert,
the submission and the webhook event in one transaction), each in its least costly form.
Prints requests/s as ratios to hello-world and to the combined floor (goals: form ≥ 0.6× and
call ≥ 0.5× the combined floor, get ≥ 0.7× and getme ≥ 0.5× hello-world), errors (goal 0),
p95 latency (goal < 100 ms); then the PSS (/proc/<pid>/smaps_rollup) of each server's master
and workers after its run (goal: Alerta's web < 250 MB), and of the embedded default's
processes (`flask start`'s web, worker nodes and beat; goal < 512 MB in all).

Needs wrk (Debian: apt-get install wrk), its own database (wiped): BENCH_DATABASE_URL, default
postgresql://postgres@127.0.0.1/alerta_bench_load, created when missing; Redis:
BENCH_REDIS_URL, default redis://127.0.0.1:6379/14 (flushed); the congress data
(ALERTA_CONGRESS_DATA, default ../shared/data).
Run: .venv/bin/python bench/action_load.py [--seconds 15] [--connections 32]
"""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import create_database, free_port, pss_mb, reset_schema, tree_pids  # noqa: E402
from write_floor_app import ROWS as RULES_TABLE  # noqa: E402
from write_floor_app import TABLE as FLOOR_TABLE  # noqa: E402

LUA = r"""
local cookies = %(cookies)s
local paths = {form = "%(form_path)s", formfloor = "%(form_path)s",
               combined = "%(form_path)s", rules = "%(form_path)s", call = "%(call_path)s"}
local links = %(links)s
local token = "%(token)s"
local bioguide = "%(bioguide)s"
local scenario = "%(scenario)s"
local run = "%(run)s"  -- each run its own emails: the warm-up's are taken
local counter = 0
local threads = {}
id = 0  -- a global: setup() gives each wrk thread its own, so emails never repeat

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local n = id * 10000000 + counter
  local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
  local body
  if scenario == "hello" then
    return wrk.format("POST", "/", headers, "x=1")
  elseif scenario == "get" or string.sub(scenario, 1, 8) == "getfloor" then
    return wrk.format("GET", paths.form)
  elseif scenario == "getme" then
    return wrk.format("GET", paths.form .. "?t=" .. links[(n %% #links) + 1])
  elseif scenario == "floor" then
    body = "email=ana" .. run .. n .. "%%40example.org&zip_code=82001"
    return wrk.format("POST", "/", headers, body)
  elseif scenario == "form" or scenario == "formfloor" or scenario == "combined" or
         scenario == "rules" then
    headers["Cookie"] = "session=" .. cookies[1]
    body = "csrf_token=" .. token .. "&first_name=Ana&last_name=Bench&email=ana" .. run .. n ..
           "%%40example.org&zip_code=82001&phone=&website="
  else
    headers["Cookie"] = "session=" .. cookies[(n %% #cookies) + 1]
    body = "csrf_token=" .. token .. "&bioguide_id=" .. bioguide ..
           "&outcome=talked&note=&submission_key=bench" .. string.format("%%012d", n)
  end
  return wrk.format("POST", paths[scenario], headers, body)
end

function done(summary, latency, requests)
  local out = string.format('{"requests": %%d, "seconds": %%f, "p50_ms": %%f, ' ..
    '"p95_ms": %%f, "p99_ms": %%f, "status": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "timeout": %%d}',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout)
  io.write("RESULT " .. out .. "\n")
end
"""


def ensure_database(url: str) -> None:
    create_database(url)
    # The write floor's table: a submission's email and ZIP, with a unique key, as ours have.
    reset_schema(url, f"CREATE TABLE {FLOOR_TABLE} (id bigserial PRIMARY KEY, "
                      "email varchar(254) NOT NULL UNIQUE, zip_code varchar(10) NOT NULL)",
                 # the rules floor's submissions and events
                 f"CREATE TABLE {RULES_TABLE} (id bigserial PRIMARY KEY, "
                 "kind varchar(20) NOT NULL, body jsonb NOT NULL)")


def prepare(supporter_count: int) -> dict:
    """Schema, congress data, a live alert, supporters with a submission each; the session
    cookies and CSRF token that their browsers would hold, and their personal links."""
    from flask import session
    from flask_migrate import upgrade
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import insert, select

    from campaign_app import create_app
    from campaign_app.actions.visitor import SESSION_KEY
    from campaign_app.alerts.demo import demo_alert_data
    from campaign_app.alerts.operations import create_alert
    from campaign_app.congress.operations import sync_congress
    from campaign_app.congress.queries import lookup_zip
    from campaign_app.congress.sources import CongressFiles
    from campaign_app.core.db import db
    from campaign_app.core.time import utcnow
    from campaign_app.supporters.models import Submission, Supporter
    from campaign_app.supporters.tokens import make_personal_token

    app = create_app()
    with app.app_context():
        upgrade()
        sync_congress(CongressFiles.from_location(os.environ["ALERTA_CONGRESS_DATA"]))
        alert = create_alert(demo_alert_data())
        now = utcnow()
        place = {"first_name": "Ana", "zip_code": "82001", "state": "WY", "district": 0,
                 "district_source": "zip-unique"}
        db.session.execute(insert(Supporter), [
            {"email": f"call{n}@example.org", "last_name": f"Call{n}", **place,
             "is_subscribed": False, "is_undeliverable": False, "created_at": now,
             "updated_at": now}
            for n in range(supporter_count)])
        ids = db.session.scalars(select(Supporter.id).where(
            Supporter.email.like("call%@example.org")).order_by(Supporter.id)).all()
        db.session.execute(insert(Submission), [
            {"alert_id": alert.id, "supporter_id": sid, "email": f"call{n}@example.org",
             "last_name": f"Call{n}", "is_new_supporter": True, **place,
             "created_at": now, "updated_at": now}
            for n, sid in enumerate(ids)])
        db.session.commit()
        submissions = db.session.scalars(select(Submission.id).where(
            Submission.alert_id == alert.id).order_by(Submission.supporter_id)).all()
        house = lookup_zip("82001").representatives[0].bioguide_id
        slug, alert_id = alert.slug, alert.id
    with app.test_request_context():
        session["csrf_token"] = secrets.token_hex(20)
        token = generate_csrf()
        serializer = app.session_interface.get_signing_serializer(app)
        cookies = [serializer.dumps({"csrf_token": session["csrf_token"],
                                     SESSION_KEY: {str(alert_id): sid}})
                   for sid in submissions]
        links = [make_personal_token(sid) for sid in ids[:500]]
    return {"slug": slug, "token": token, "cookies": cookies, "bioguide": house,
            "links": links}


def bench_environment(database: str, tmp: Path) -> tuple[str, str]:
    """The settings every process of the run reads (production mode over plain HTTP, the
    per-IP limit out of the way), on a wiped database and Redis db: (database URL, Redis
    URL)."""
    import redis

    url = os.environ.get("BENCH_DATABASE_URL", f"postgresql://postgres@127.0.0.1/{database}")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    os.environ.update({
        "ALERTA_ENV": "production", "SESSION_COOKIE_SECURE": "false",
        "DATABASE_URL": url, "CELERY_BROKER_URL": redis_url,
        "RATELIMIT_STORAGE_URL": redis_url, "ACTION_LIMIT_PER_IP": "1000000000",
        "SECRET_KEY": secrets.token_hex(16), "ALERTA_INSTANCE_DIR": str(tmp / "instance"),
        "LOG_LEVEL": "WARNING", "FLOOR_DATABASE_URL": url,
    })
    os.environ.setdefault("ALERTA_CONGRESS_DATA", str(ROOT.parent / "shared" / "data"))
    ensure_database(url)
    redis.Redis.from_url(redis_url).flushdb()
    return url, redis_url


def procfile_web_defaults() -> tuple[int, int, list[str]]:
    """Workers, threads and the other flags (--preload) as the Procfile's web process runs
    them."""
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines()
               if line.startswith("web:"))
    workers = re.search(r"--workers \$\{WEB_CONCURRENCY:-(\d+)\}", web).group(1)
    threads = re.search(r"--threads \$\{WEB_THREADS:-(\d+)\}", web).group(1)
    return (int(os.environ.get("WEB_CONCURRENCY", workers)),
            int(os.environ.get("WEB_THREADS", threads)),
            ["--preload"] if "--preload" in web.split() else [])


def serve(target: str, port: int, workers: int, threads: int, pythonpath: str | None = None,
          flags: tuple[str, ...] = ()):
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--threads", str(threads), *flags]
    if pythonpath:
        command += ["--pythonpath", pythonpath]
    process = subprocess.Popen([*command, target], cwd=ROOT, env=os.environ.copy())  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)  # noqa: S310
            return process
        except urllib.error.HTTPError:
            return process  # it answers
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"gunicorn for {target} did not start")


def anonymous_page_bytes(slug: str) -> int:
    """The size of the anonymous alert page, which the GET floor answers as much of."""
    from campaign_app import create_app

    response = create_app().test_client().get(f"/a/{slug}")
    assert response.status_code == 200, response.status_code
    return len(response.data)


def load(port: int, scenario: str, seconds: int, connections: int, setup: dict,
         tmp: Path) -> dict:
    script = tmp / f"{scenario}.lua"
    cookies = "{" + ",".join(json.dumps(c) for c in setup["cookies"]) + "}"
    links = "{" + ",".join(json.dumps(t) for t in setup["links"]) + "}"
    script.write_text(LUA % {
        "cookies": cookies, "links": links, "form_path": f"/a/{setup['slug']}",
        "call_path": f"/a/{setup['slug']}/call", "token": setup["token"],
        "bioguide": setup["bioguide"], "scenario": scenario, "run": secrets.token_hex(4)})
    output = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s",
         str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True).stdout
    result = json.loads(re.search(r"^RESULT (.*)$", output, re.M).group(1))
    result["rps"] = result["requests"] / result["seconds"]
    result["errors"] = sum(result[k] for k in ("status", "connect", "read", "write",
                                               "timeout"))
    return result


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, as a platform stops it; a loaded machine can keep gunicorn's master busy for
    a while after its workers have exited."""
    process.terminate()
    try:
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def memory_mb(pid: int) -> tuple[float, list[float]]:
    """(total PSS of the process tree in MB, each process's)."""
    each = [pss_mb(p) for p in tree_pids(pid)]
    return sum(each), each


def embedded_memory(setup: dict, seconds: int, connections: int, tmp: Path) -> dict:
    """The embedded default's processes (`flask start`: web, a worker node per queue, beat) on
    the bench's database and Redis: the alert page and the form loaded through its web, then
    the PSS of each process tree."""
    from campaign_app.embedded import embedded_commands

    port = free_port()
    (tmp / "instance").mkdir(exist_ok=True)
    commands = embedded_commands("127.0.0.1", port, tmp / "instance")
    processes = {name: subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(),  # noqa: S603
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for name, command in commands.items()}
    try:
        deadline = time.monotonic() + 180  # six processes start at once
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.5)
        for scenario in ("get", "form", "call"):
            try:
                load(port, scenario, seconds, connections, setup, tmp)
            except subprocess.CalledProcessError as error:
                print(f"embedded default: the {scenario} load failed ({error})")
        time.sleep(5)  # the worker nodes have their pool processes up by now
        return {name: memory_mb(process.pid) for name, process in processes.items()}
    finally:
        for process in processes.values():
            stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--supporters", type=int, default=5000)
    parser.add_argument("--only", metavar="SCENARIOS",
                        help="comma-separated scenarios to run (hello and combined always "
                             "run: the ratios need them); skips the embedded default")
    args = parser.parse_args()
    only = set(args.only.split(",")) | {"hello", "combined"} if args.only else None
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")

    tmp = Path(tempfile.mkdtemp(prefix="alerta-load-"))
    workers, threads, flags = procfile_web_defaults()
    url, redis_url = bench_environment("alerta_bench_load", tmp)
    setup = prepare(args.supporters)
    os.environ["GET_FLOOR_PAGE_BYTES"] = str(anonymous_page_bytes(setup["slug"]))

    results, memory = {}, {}
    for target, pythonpath, scenarios in (
            ("hello_app:app", str(ROOT / "bench"), ["hello"]),
            ("write_floor_app:app", str(ROOT / "bench"), ["floor"]),
            ("form_floor_app:app", str(ROOT / "bench"), ["formfloor"]),
            ("combined_floor_app:app", str(ROOT / "bench"), ["combined"]),
            ("rules_floor_app:app", str(ROOT / "bench"), ["rules"]),
            ("get_floor_app:app", str(ROOT / "bench"), ["getfloor"]),
            ("get_floor_app:without_csrf", str(ROOT / "bench"), ["getfloor-nocsrf"]),
            ("get_floor_app:without_stamp", str(ROOT / "bench"), ["getfloor-nostamp"]),
            ("campaign_app:create_app()", None, ["form", "call", "get", "getme"])):
        scenarios = [scenario for scenario in scenarios if only is None or scenario in only]
        if not scenarios:
            continue
        port = free_port()
        ours = pythonpath is None
        server = serve(target, port, workers, threads, pythonpath, tuple(flags) if ours else ())
        try:
            for scenario in scenarios:
                load(port, scenario, 3, args.connections, setup, tmp)  # warm-up
                results[scenario] = load(port, scenario, args.seconds, args.connections,
                                         setup, tmp)
            memory[target] = memory_mb(server.pid)
        finally:
            stop(server)
    hello, combined = results["hello"]["rps"], results["combined"]["rps"]
    print(f"gunicorn {workers} workers × {threads} threads {' '.join(flags)}, "
          f"wrk {args.connections} connections, {args.seconds} s each, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    goals = {"form": ("combined", 0.6), "call": ("combined", 0.5), "get": ("hello", 0.7),
             "getme": ("hello", 0.5)}
    for scenario, result in results.items():
        goal = goals.get(scenario)
        against = ""
        if goal:
            base = combined if goal[0] == "combined" else hello
            against = f"  goal ≥ {goal[1]:.2f}× {goal[0]}: {result['rps'] / base:5.2f}×"
        print(f"{scenario:16}: {result['rps']:8,.0f} req/s  {result['rps'] / hello:5.2f}× "
              f"hello-world  {result['rps'] / combined:5.2f}× combined floor  "
              f"p50 {result['p50_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f} ms  "
              f"p99 {result['p99_ms']:6.1f} ms  errors {result['errors']}{against}")
    print("goals: p95 < 100 ms, 0 errors")
    if "rules" in results:
        rules = results["rules"]["rps"] / combined
        print(f"rules floor {rules:.2f}× the combined floor: the form POST's goal (0.6×) "
              f"{'is' if rules >= 0.6 else 'is not'} within the floor of its rules"
              + (f"; form is {results['form']['rps'] / results['rules']['rps']:.2f}× the "
                 "rules floor" if "form" in results else ""))
    if "getfloor" in results and "get" in results:
        floor = results["getfloor"]["rps"]
        print(f"GET floor {floor / hello:.2f}× hello-world: the anonymous page's goal (0.7×) "
              f"{'is' if floor / hello >= 0.7 else 'is not'} within the floor; get is "
              f"{results['get']['rps'] / floor:.2f}× the floor")
    for target, (total, each) in memory.items():
        print(f"memory after the run, {target}: {total:6.1f} MB PSS in all "
              f"(master and workers: {', '.join(f'{mb:.1f}' for mb in each)})")
    print("goal: Alerta's web (4 workers) < 250 MB PSS in all", flush=True)
    if only is not None:
        return
    embedded = embedded_memory(setup, min(args.seconds, 5), args.connections, tmp)
    import redis
    redis.Redis.from_url(redis_url).flushdb()
    for name, (total, each) in embedded.items():
        print(f"embedded default, {name}: {total:6.1f} MB PSS "
              f"({', '.join(f'{mb:.1f}' for mb in each)})")
    print(f"embedded default in all: {sum(total for total, _ in embedded.values()):.1f} MB PSS "
          "(goal < 512 MB)")


if __name__ == "__main__":
    main()
