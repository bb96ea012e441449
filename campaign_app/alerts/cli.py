"""`flask demo …`: load the reference scenario."""

import click
from flask import current_app
from flask.cli import with_appcontext

from ..core.db import db
from .demo import DEMO_SLUG, demo_alert_data, demo_spanish_texts
from .operations import create_alert, publish_alert, save_translation, update_alert
from .queries import get_alert_by_slug


@click.group("demo")
def demo_cli():
    """Demo data: the reference scenario of DESIGN.md."""


@demo_cli.command("load")
@with_appcontext
def load_command():
    """Create (or refresh) the live reference alert; its deadline is next Friday 5pm Eastern."""
    data = demo_alert_data()
    alert = get_alert_by_slug(DEMO_SLUG)
    if alert is None:
        alert = create_alert(data)
    else:
        update_alert(alert, {k: v for k, v in data.items() if k not in ("slug", "status")})
        if alert.status != "live":
            publish_alert(alert)
    if "es" in current_app.config["LANGUAGES"] and alert.language != "es":
        save_translation(alert, "es", demo_spanish_texts())
    db.session.commit()
    click.echo(f"Demo alert '{alert.title}' is {alert.status} at /a/{alert.slug}")
