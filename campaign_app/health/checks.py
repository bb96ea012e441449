"""The readiness checks: each answers a small dict that is safe to show to anyone.

A check never puts an exception's text, a URL or a setting into its answer (they name
hosts, users and sometimes passwords); it logs the exception for the operator instead.
"""

import ast
import logging
from datetime import timedelta
from functools import cache
from pathlib import Path

from flask import current_app
from sqlalchemy import column, inspect, select, table, text

from ..congress.queries import latest_sync
from ..core.db import db
from ..core.time import utcnow
from .models import Heartbeat
from .operations import BEAT

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"


#: Where Alembic records the revision a database is at (its default name).
VERSION_TABLE = "alembic_version"


@cache
def shipped_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision this code ships, its heads), as the migrations' files declare them in
    their `revision` and `down_revision` lines (they don't change while it runs).

    Read without Alembic: importing it (and Mako) for this one check took ~6.6 MB in every
    web process (issue 20). tests/health checks that this agrees with Alembic's own reading.
    """
    revisions, parents = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        declared = {}
        for node in ast.parse(path.read_text()).body:
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) and node.value else []
            for target in targets:
                if isinstance(target, ast.Name) and target.id in {"revision", "down_revision"}:
                    declared[target.id] = ast.literal_eval(node.value)
        if "revision" not in declared:
            continue
        revisions.add(declared["revision"])
        down = declared.get("down_revision")
        parents.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions), frozenset(revisions - parents)


def database_revisions() -> set[str]:
    """The revisions the database is at (none before the first upgrade)."""
    connection = db.session.connection()
    if not inspect(connection).has_table(VERSION_TABLE):
        return set()
    return set(connection.scalars(select(column("version_num")).select_from(
        table(VERSION_TABLE))))


def check_database() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means the same thing to a load balancer
        log.warning("readiness: database unreachable: %s", type(exc).__name__)
        db.session.rollback()
        return {"ok": False, "error": "unreachable"}
    return {"ok": True}


def check_migrations() -> dict:
    """The schema is at the head revision: a release step that did not run (or a newer
    database under older code) makes this process unready."""
    current = database_revisions()
    known, heads = shipped_revisions()
    if current == heads:
        return {"ok": True}
    # A revision this code doesn't know: the database was upgraded by newer code.
    return {"ok": False, "error": "migration pending" if current <= known
            else "unknown revision"}


def check_broker() -> dict:
    celery = current_app.extensions["celery"]
    timeout = current_app.config.get("HEALTH_BROKER_TIMEOUT", 2)
    try:
        with celery.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
    except Exception as exc:  # kombu raises the transport's own errors
        log.warning("readiness: broker unreachable: %s", type(exc).__name__)
        return {"ok": False, "error": "unreachable"}
    return {"ok": True}


def check_congress_data() -> dict:
    """Loaded at all (else no supporter finds their members); its age is reported, and an
    old sync is a warning, not a failure: yesterday's members still answer the phone."""
    sync = latest_sync()
    if sync is None or sync.finished_at is None:
        return {"ok": False, "error": "not loaded"}
    age = utcnow() - sync.finished_at
    max_age = current_app.config["CONGRESS_DATA_MAX_AGE_DAYS"]
    return {"ok": True, "age_days": age.days, "stale": age > timedelta(days=max_age)}


def check_beat() -> dict:
    """Beat's last heartbeat. Always ok: a stopped beat is reported as stale, for the
    operator's monitoring, but doesn't pull web processes out of the load balancer (they
    serve supporters perfectly well without it)."""
    beat_at = db.session.scalar(select(Heartbeat.beat_at).where(Heartbeat.name == BEAT))
    if beat_at is None:
        return {"ok": True, "stale": True, "last_beat_seconds_ago": None}
    ago = int((utcnow() - beat_at).total_seconds())
    return {"ok": True, "stale": ago > current_app.config["HEARTBEAT_STALE_SECONDS"],
            "last_beat_seconds_ago": ago}


def readiness() -> dict:
    """Every check by name, which failed, and which warn. Checks that read the database
    are skipped when it can't be reached: the database is the failure to name."""
    checks = {"database": check_database()}
    if checks["database"]["ok"]:
        checks["migrations"] = check_migrations()
    checks["broker"] = check_broker()
    if checks["database"]["ok"] and checks["migrations"]["ok"]:
        checks["congress_data"] = check_congress_data()
        checks["beat"] = check_beat()
    for name in ("migrations", "congress_data", "beat"):
        checks.setdefault(name, {"ok": False, "skipped": True})
    failing = [name for name, check in checks.items()
               if not check["ok"] and not check.get("skipped")]
    warnings = [name for name, check in checks.items() if check.get("stale")]
    return {"status": "fail" if failing else "ok", "failing": failing,
            "warnings": warnings, "checks": checks}
