"""The GET floor of bench/action_load.py: the least the anonymous alert page can cost under the
design's rules, served the same way as hello-world.

The page is already rendered (a stored page of the same size as Alerta's), but two things
remain per request whatever the implementation: its version stamp is read from the database
(one SELECT by key over a plain psycopg connection in autocommit: a change staff make in one
process shows on the next request in every other, with no timer), and the browser's CSRF token
goes into its form (Flask-WTF's generate_csrf, the session cookie written). No ORM, no
template, no request log.

`without_csrf` and `without_stamp` drop one rule each: what each costs.
"""

import os

from flask import Flask
from flask_wtf.csrf import generate_csrf
from write_floor_app import TABLE, connection

MARK = "\x00csrf\x00"
#: About the size of Alerta's anonymous alert page (bench/action_load.py passes the real one).
PAGE = ("<!doctype html><form method=post><input type=hidden name=csrf_token value=\"" + MARK
        + "\">" + "x" * int(os.environ.get("GET_FLOOR_PAGE_BYTES", "12000")) + "</form>")


def make_app(*, csrf: bool = True, stamp: bool = True) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]

    @app.route("/", methods=["GET", "POST"])
    def ready():
        return "ready"

    @app.get("/a/<slug>")
    def page(slug):
        version = connection().execute(
            f"SELECT id, email FROM {TABLE} WHERE id = %s", (1,)).fetchone() \
            if stamp else None  # noqa: S608
        response = app.make_response(PAGE.replace(MARK, generate_csrf() if csrf else ""))
        response.set_etag(str(version))
        response.headers["Cache-Control"] = "private, no-cache"
        return response

    return app


app = make_app()
without_csrf = make_app(csrf=False)
without_stamp = make_app(stamp=False)
