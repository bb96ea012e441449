"""The fourth floor of bench/action_load.py: the form floor and the write floor together.

Alerta's ActionForm under Flask-WTF (CSRF checked, every field validated), then one INSERT of
the submission committed over a plain psycopg connection, the session cookie written and a
redirect. No ORM, no lookup, no rate limit: the least any implementation of the action
page's form POST can cost here.
"""

import os

from flask import Flask, redirect, session
from write_floor_app import TABLE, connection

from campaign_app.actions.forms import ActionForm

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]


@app.route("/", methods=["GET"])
def ready():
    return "ready"


@app.route("/a/<slug>", methods=["POST"])
def submit(slug):
    form = ActionForm()
    if not form.validate_on_submit():
        return {"errors": form.errors}, 422
    row = connection().execute(
        f"INSERT INTO {TABLE} (email, zip_code) VALUES (%s, %s) RETURNING id",  # noqa: S608
        (form.email.data, form.zip_code.data)).fetchone()
    session["submissions"] = {"1": row[0]}
    return redirect(f"/a/{slug}/call")
