"""The `alerta` console command: Flask's CLI with this app (same as `flask --app campaign_app`)."""

from flask.cli import FlaskGroup

from . import create_app


def main() -> None:
    FlaskGroup(create_app=create_app, help="Alerta: action alerts to Congress.")()
