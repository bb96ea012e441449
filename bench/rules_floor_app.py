"""The rules floor of bench/action_load.py: the form POST with what the issues require of it,
and nothing else, served the same way as hello-world.

The combined floor (the ActionForm under Flask-WTF with CSRF and the session, one committed
INSERT), plus what other rules add to every submission, each in its least costly form:
  - the per-IP rate limit, counted in Redis across processes: one pipelined INCR + EXPIRE;
  - the alert's version stamp, so that staff closing it holds on the next request: one SELECT;
  - the supporter upserted by email (INSERT … ON CONFLICT DO NOTHING RETURNING) and the
    submission as typed, and the webhook event in the same transaction as the change it
    reports (issue 16): three INSERTs in one transaction, committed before the answer.
Plain psycopg and redis-py, no ORM, no lookup. A form POST that keeps every rule cannot cost
less than this here.
"""

import json
import os

import psycopg
import redis
from flask import Flask, redirect, request, session
from write_floor_app import ROWS, TABLE

from campaign_app.actions.forms import ActionForm

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
_clients: dict = {}


def clients() -> tuple[psycopg.Connection, redis.Redis]:
    """One connection of each per gunicorn worker, opened after the fork."""
    if not _clients or _clients["db"].closed:
        _clients["db"] = psycopg.connect(os.environ["FLOOR_DATABASE_URL"])
        _clients["redis"] = redis.Redis.from_url(os.environ["RATELIMIT_STORAGE_URL"])
    return _clients["db"], _clients["redis"]


@app.route("/", methods=["GET"])
def ready():
    return "ready"


@app.route("/a/<slug>", methods=["POST"])
def submit(slug):
    connection, counts = clients()
    key = f"floor:{request.remote_addr}"
    hits, _ = counts.pipeline().incr(key).expire(key, 60).execute()
    if hits > 1_000_000_000:
        return "slow down", 429
    form = ActionForm()
    if not form.validate_on_submit():
        return {"errors": form.errors}, 422
    with connection.transaction():
        connection.execute(f"SELECT id, email FROM {TABLE} WHERE id = %s", (1,))  # noqa: S608
        supporter = connection.execute(
            f"INSERT INTO {TABLE} (email, zip_code) VALUES (%s, %s) "  # noqa: S608
            "ON CONFLICT (email) DO NOTHING RETURNING id",
            (form.email.data, form.zip_code.data)).fetchone()
        typed = json.dumps({"first_name": form.first_name.data,
                            "last_name": form.last_name.data, "email": form.email.data,
                            "zip_code": form.zip_code.data})
        row = connection.execute(f"INSERT INTO {ROWS} (kind, body) VALUES ('submission', %s) "  # noqa: S608
                                 "RETURNING id", (typed,)).fetchone()
        connection.execute(f"INSERT INTO {ROWS} (kind, body) VALUES ('event', %s)",  # noqa: S608
                           (json.dumps({"type": "person.created", "data": supporter[0]
                                        if supporter else None}),))
    session["submissions"] = {"1": row[0]}
    return redirect(f"/a/{slug}/call")
