"""The second floor of bench/action_load.py: the least that a submission kept for sure costs.

One INSERT, committed before the answer (what "nothing lost" asks of any implementation),
over a plain psycopg connection: no ORM, no forms, no CSRF, no session. Served the same way
as hello-world, it shows how much of hello-world's rate is left once a request writes.
"""

import os

import psycopg
from flask import Flask, request

app = Flask(__name__)
_connection: psycopg.Connection | None = None

TABLE = "bench_floor_submissions"
#: The rules floor's submissions and webhook events (bench/rules_floor_app.py).
ROWS = "bench_floor_rows"


def connection() -> psycopg.Connection:
    """One connection per gunicorn worker, opened after the fork."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["FLOOR_DATABASE_URL"], autocommit=True)
    return _connection


@app.route("/", methods=["GET", "POST"])
def submit():
    if request.method == "GET":
        return "ready"
    connection().execute(f"INSERT INTO {TABLE} (email, zip_code) VALUES (%s, %s)",  # noqa: S608
                         (request.form.get("email", "")[:254],
                          request.form.get("zip_code", "")[:10]))
    return "ok"
