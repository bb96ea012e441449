"""`flask users …`: manage staff accounts."""

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from ..core.db import db
from .models import ROLES
from .operations import create_user


@click.group("users")
def users_cli():
    """Staff and organizer accounts."""


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@click.option("--name", default="")
@click.password_option(help="Asked for when not given.")
@with_appcontext
def create_command(email, role, name, password):
    """Create a staff user with a role (admin, organizer or viewer)."""
    try:
        create_user(email, password, role, name)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise click.ClickException(f"a user with email {email} already exists") from error
    click.echo(f"Created {role} {email}")
