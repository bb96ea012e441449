"""Benchmark: the memory of Alerta's processes after a load (issue 20, item 4).

Starts, as they are run, (1) the Procfile's `web` (gunicorn, WEB_CONCURRENCY workers) on
PostgreSQL + Redis and (2) the embedded default, `flask start` (SQLite, SQLite broker, web,
worker nodes and beat); drives supporter traffic through each (the alert page, the form,
the call report, a few other pages) from several clients at once so every web worker serves
some; then sums the proportional set size (Pss of /proc/<pid>/smaps_rollup) of each process
tree and prints a table.
Goals: web < 250 MB in all; the embedded default's web + worker + beat < 512 MB.

Needs PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1/alerta_bench_memory;
its schema is wiped), Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/14, flushed) and
the congress data (ALERTA_CONGRESS_DATA, default ../shared/data).
Run: .venv/bin/python bench/memory.py [--rounds 60] [--clients 8] [--only web|embedded]
"""

import argparse
import contextlib
import http.cookiejar
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import (  # noqa: E402
    create_database,
    free_port,
    private_mb,
    pss_mb,
    reset_schema,
    tree_pids,
)

DEMO_SLUG = "mexico-human-rights-letter"


class Forms(HTMLParser):
    """The forms of a page: action, and the fields a browser would send by default."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in {"radio", "checkbox"} and (attrs["name"] in self.forms[-1]["fields"]
                                                 or "checked" not in attrs and kind == "checkbox"):
                return
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")


def page_forms(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


class Visitor:
    """One supporter's browser: a cookie jar, following redirects."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as answer:
            return answer.read().decode()

    def post(self, path: str, fields: dict) -> str:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=30) as answer:
            return answer.read().decode()


def act(base: str, slug: str, n: int) -> None:
    """A supporter's visit: the alert page, the form, the call page and a call report."""
    visitor = Visitor(base)
    page = visitor.get(f"/a/{slug}")
    form = next(f for f in page_forms(page) if "zip_code" in f["fields"])
    form["fields"].update({"first_name": "Ana", "last_name": "Memory", "phone": "",
                           "email": f"mem{secrets.token_hex(4)}{n}@example.org",
                           "zip_code": "82001", "website": ""})
    call_page = visitor.post(form["action"] or f"/a/{slug}", form["fields"])
    report = next((f for f in page_forms(call_page) if "outcome" in f["fields"]), None)
    if report is not None:
        report["fields"].update({"outcome": "talked", "note": "bench"})
        visitor.post(report["action"], report["fields"])
    for path in ("/", f"/es/a/{slug}", "/healthz", "/login"):
        with contextlib.suppress(urllib.error.HTTPError):
            visitor.get(path)


def drive(base: str, slug: str, rounds: int, clients: int) -> int:
    """`rounds` visits from each of `clients` threads; returns the failed visits."""
    failures = []

    def client(k):
        for r in range(rounds):
            try:
                act(base, slug, k * 100000 + r)
            except Exception as error:  # noqa: BLE001 (counted, and the first one shown)
                failures.append(error)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        print(f"  {len(failures)} visits failed; first: {failures[0]!r}")
    return len(failures)


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def procfile_command(name: str) -> str:
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines()
                if line.startswith(f"{name}:"))
    return line.split(":", 1)[1].strip()


def process_name(pid: int) -> str:
    words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    text = " ".join(w.decode() for w in words if w)
    for key, label in (("--queues transactional", "worker-transactional"),
                       ("--queues bulk", "worker-bulk"), (" beat", "beat"),
                       ("gunicorn", "web"), ("embedded_run", "flask start (supervisor)"),
                       (" start", "flask start")):
        if key in text:
            return label
    return text[:40]


def table(title: str, root_pid: int) -> float:
    """Print each process of the tree under `root_pid` and return the total PSS in MB."""
    rows = []
    for pid in tree_pids(root_pid):
        try:
            rows.append((process_name(pid), pss_mb(pid), private_mb(pid)))
        except FileNotFoundError:
            continue
    total = sum(pss for _, pss, _ in rows)
    print(f"{title}: {total:.1f} MB PSS in {len(rows)} processes")
    groups: dict[str, list[tuple[float, float]]] = {}
    for name, pss, private in rows:
        groups.setdefault(name, []).append((pss, private))
    for name, sizes in groups.items():
        print(f"  {name:22} {sum(pss for pss, _ in sizes):7.1f} MB  (PSS each: "
              f"{', '.join(f'{pss:.1f}' for pss, _ in sizes)}; private: "
              f"{', '.join(f'{private:.1f}' for _, private in sizes)})")
    return total


def measure_web(args, url: str, redis_url: str, tmp: Path) -> float:
    env = {**os.environ, "ALERTA_ENV": "production", "SESSION_COOKIE_SECURE": "false",
           "DATABASE_URL": url, "CELERY_BROKER_URL": redis_url,
           "RATELIMIT_STORAGE_URL": redis_url, "ACTION_LIMIT_PER_IP": "1000000000",
           "SECRET_KEY": secrets.token_hex(16), "ALERTA_INSTANCE_DIR": str(tmp / "web"),
           "LOG_LEVEL": "WARNING"}
    create_database(url)
    reset_schema(url)
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    flask = [str(Path(sys.executable).parent / "flask")]
    for command in (["db", "upgrade"], ["congress", "sync"], ["demo", "load"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL)
    port = free_port()
    env["PORT"] = str(port)
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    log = (tmp / "web.log").open("w")
    # The Procfile's line as a platform runs it: through a shell, which fills in ${…:-…}.
    process = subprocess.Popen(["sh", "-c", "exec " + procfile_command("web")],  # noqa: S603,S607
                               cwd=ROOT, env=env, start_new_session=True,
                               stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        drive(base, DEMO_SLUG, args.rounds, args.clients)
        time.sleep(2)
        return table("Procfile web", process.pid)
    finally:
        stop(process)


def measure_embedded(args, tmp: Path) -> float:
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "RATELIMIT_STORAGE_URL",
                          "ALERTA_ENV", "SECRET_KEY"}}
    env.update({"ALERTA_INSTANCE_DIR": str(tmp / "embedded"), "LOG_LEVEL": "WARNING",
                "MAIL_PORT": str(free_port()), "ACTION_LIMIT_PER_IP": "1000000000"})
    port = free_port()
    flask = str(Path(sys.executable).parent / "flask")
    log = (tmp / "embedded.log").open("w")
    process = subprocess.Popen([flask, "start", "--port", str(port)], cwd=ROOT,  # noqa: S603
                               env=env, start_new_session=True, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, 600)
        drive(base, DEMO_SLUG, args.rounds, args.clients)
        time.sleep(10)  # the confirmations are sent, beat has ticked
        total = table("embedded default (flask start)", process.pid)
        # Its worker and beat did their work: the confirmations reached the mail catcher.
        caught = sum(1 for path in (tmp / "embedded" / "mail").rglob("*") if path.is_file())
        print(f"  emails caught: {caught} (visits: {args.clients * args.rounds})")
        return total
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60, help="visits per client")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--only", choices=("web", "embedded"))
    args = parser.parse_args()
    os.environ.setdefault("ALERTA_CONGRESS_DATA", str(ROOT.parent / "shared" / "data"))
    url = os.environ.get("BENCH_DATABASE_URL",
                         "postgresql://postgres@127.0.0.1/alerta_bench_memory")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    tmp = Path(tempfile.mkdtemp(prefix="alerta-memory-"))
    print(f"servers' logs in {tmp}")
    print(f"{args.clients} clients × {args.rounds} visits, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    if args.only != "embedded":
        web = measure_web(args, url, redis_url, tmp)
        print(f"goal: web < 250 MB: {'met' if web < 250 else 'NOT met'}", flush=True)
    if args.only != "web":
        embedded = measure_embedded(args, tmp)
        print(f"goal: embedded default < 512 MB: {'met' if embedded < 512 else 'NOT met'}",
              flush=True)


if __name__ == "__main__":
    main()
