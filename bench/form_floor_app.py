"""The third floor of bench/action_load.py: the issue's own form handling, with no database.

Alerta's ActionForm under Flask-WTF (CSRF checked, every field validated), then the session
cookie written and a redirect, as the action page does; nothing is looked up or stored.
Served the same way as hello-world, it shows what the form itself costs.
"""

import os

from flask import Flask, redirect, session

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
    session["acting_as"] = {"1": 1}
    return redirect(f"/a/{slug}/call")
