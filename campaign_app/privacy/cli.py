"""`flask supporters …`: a supporter's requests about their data, from the command line."""

import click
from flask.cli import with_appcontext

from ..core.db import db
from ..supporters.models import Supporter
from ..supporters.queries import supporter_id_by_email
from .erasure import erase_supporter


@click.group("supporters")
def supporters_cli():
    """Supporters' requests about their data."""


@supporters_cli.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Erase without asking to confirm.")
@with_appcontext
def erase_command(email, yes):
    """Erase the supporter with EMAIL: their personal data goes, their actions stay as
    anonymous counts. Asks to confirm unless --yes."""
    supporter_id = supporter_id_by_email(email)
    if supporter_id is None:
        raise click.ClickException("no supporter has this email")
    if not yes:
        click.confirm(f"Erase supporter {supporter_id}? This cannot be undone", abort=True)
    counts = erase_supporter(db.session.get(Supporter, supporter_id))
    db.session.commit()
    click.echo(f"Erased supporter {supporter_id}: " + ", ".join(
        f"{count} {name.replace('_', ' ')}" for name, count in counts.items()))
