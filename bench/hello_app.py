"""The floor of bench/action_load.py: a hello-world Flask app, served the same way."""

from flask import Flask

app = Flask(__name__)


@app.route("/", methods=["GET", "POST"])
def hello():
    return "Hello, world!"
